// libFuzzer entry for one parser, chosen at build time by RIFA_FUZZ_TARGET. Any broken invariant
// aborts so that libFuzzer saves the input.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_checks.hpp"

namespace {

using rifa::lottery::fuzz::Target;

#define RIFA_STR2(x) #x
#define RIFA_STR(x) RIFA_STR2(x)

struct Choice {
  Target target;
  const char* date;  // a draw day of that lottery, so that valid pages can reach Ok
};

Choice choose() {
  const std::string_view name = RIFA_STR(RIFA_FUZZ_TARGET);
  if (name == "baloto_listing") return {Target::kBalotoListing, "2025-11-08"};
  if (name == "baloto_draw_page") return {Target::kBalotoDrawPage, "2025-11-08"};
  if (name == "bogota_results") return {Target::kBogotaResults, "2026-01-22"};
  if (name == "valle_tabla_normal") return {Target::kValleTablaNormal, "2026-09-02"};
  if (name == "valle_home") return {Target::kValleHome, "2026-09-02"};
  return {Target::kResultadobaloto, "2025-11-08"};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  static const Choice kChoice = choose();
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const auto outcome = rifa::lottery::fuzz::run(kChoice.target, body, kChoice.date);
  const std::string broken = rifa::lottery::fuzz::check_invariants(kChoice.target, body, kChoice.date, outcome);
  if (!broken.empty()) {
    std::fprintf(stderr, "invariant broken: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
