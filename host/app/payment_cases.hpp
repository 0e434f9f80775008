#pragma once

#include <filesystem>
#include <optional>
#include <ostream>

namespace rifa::app {

// Recorded cases of a payment plugin (fixtures/payments/README.md): each folder holds a cassette
// of the provider's documented answers and a case.json naming the library, its config, the
// environment its secrets are read from, the host clock, and the calls to make in order with the
// outcome each must produce:
//
//   {"library": "payment_stripe", "config": {...}, "env": {"STRIPE_SECRET_KEY": "sk_test_..."},
//    "now_unix_ms": 1767225600000, "description": "...",
//    "steps": [{"call": "create_payment", "request": {...},
//               "expected": {"status": "ok", "result": {...}}},
//              {"call": "verify_webhook", "method": "POST", "headers": "stripe-signature: ...\n",
//               "body_file": "event.json", "expected": {"status": "signature", "error_contains": "..."}},
//              {"call": "get_payment", "provider_ref": "pi_...", "expected": {...}},
//              {"call": "refund", "request": {...}, "expected": {...}}]}
//
// Runs every case under `root` with the replay transport (offline), prints one line per case and
// returns the number of failures.
int run_payment_cases(const std::filesystem::path& root, std::ostream& out,
                      const std::optional<std::filesystem::path>& library_override = std::nullopt);

}  // namespace rifa::app
