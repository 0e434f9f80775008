#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rifa::settings {

// The plugin instances one rifa uses, by instance id.
struct ResolvedBinding {
  std::string lottery;
  std::string payment;
  std::vector<std::string> notifiers;

  bool operator==(const ResolvedBinding&) const = default;
};

// A partial override: only the slots that are set replace the level below. An empty notifiers
// list is a real override ("no notifiers"), unlike an absent one.
struct BindingOverride {
  std::optional<std::string> lottery;
  std::optional<std::string> payment;
  std::optional<std::vector<std::string>> notifiers;

  bool operator==(const BindingOverride&) const = default;
};

struct Bindings {
  ResolvedBinding defaults;
  std::map<std::string, BindingOverride, std::less<>> categorias;  // by categoria_rifa.nombre (exact)
  std::map<std::string, BindingOverride, std::less<>> rifas;       // by rifa id, lowercase UUID
};

// defaults < categoria < rifa. rifa_id is matched case-insensitively (UUIDs); an unknown
// categoria or rifa id simply has no override.
ResolvedBinding resolve_bindings(const Bindings& bindings, std::string_view rifa_id, std::string_view categoria);

// The notifier instances bound to a rifa, as a function over a copy of `bindings`: what
// settlement::SettlementService takes (the engine does not see the config).
std::function<std::vector<std::string>(std::string_view rifa_id, std::string_view categoria)> notifier_resolver(
    Bindings bindings);

}  // namespace rifa::settings
