#include "settings/bindings.hpp"

#include <gtest/gtest.h>

namespace rifa::settings {
namespace {

constexpr std::string_view kRifa = "6f1c2b9e-0d4a-4c1e-9f3b-2a7d5e8c1b40";

Bindings sample() {
  Bindings b;
  b.defaults = {"mock", "sandbox", {"log"}};
  b.categorias["Oro"] = BindingOverride{"bogota", std::nullopt, std::vector<std::string>{"log", "email"}};
  b.categorias["Plata"] = BindingOverride{};
  b.rifas[std::string(kRifa)] = BindingOverride{std::nullopt, "wompi", std::vector<std::string>{}};
  return b;
}

TEST(ResolveBindings, DefaultsWhenNothingOverrides) {
  EXPECT_EQ(resolve_bindings(sample(), "00000000-0000-0000-0000-000000000000", "Bronce"),
            (ResolvedBinding{"mock", "sandbox", {"log"}}));
}

TEST(ResolveBindings, CategoriaReplacesOnlyTheSlotsItSets) {
  EXPECT_EQ(resolve_bindings(sample(), "00000000-0000-0000-0000-000000000000", "Oro"),
            (ResolvedBinding{"bogota", "sandbox", {"log", "email"}}));
  EXPECT_EQ(resolve_bindings(sample(), "00000000-0000-0000-0000-000000000000", "Plata"),
            (ResolvedBinding{"mock", "sandbox", {"log"}}));
}

TEST(ResolveBindings, CategoriaNamesMatchExactly) {
  EXPECT_EQ(resolve_bindings(sample(), "", "oro"), (ResolvedBinding{"mock", "sandbox", {"log"}}));
}

TEST(ResolveBindings, RifaWinsOverCategoriaAndAnEmptyNotifierListMeansNone) {
  EXPECT_EQ(resolve_bindings(sample(), kRifa, "Oro"), (ResolvedBinding{"bogota", "wompi", {}}));
  EXPECT_EQ(resolve_bindings(sample(), kRifa, "Bronce"), (ResolvedBinding{"mock", "wompi", {}}));
}

TEST(ResolveBindings, RifaIdsMatchCaseInsensitively) {
  EXPECT_EQ(resolve_bindings(sample(), "6F1C2B9E-0D4A-4C1E-9F3B-2A7D5E8C1B40", "Bronce"),
            (ResolvedBinding{"mock", "wompi", {}}));
}

}  // namespace
}  // namespace rifa::settings
