#pragma once

#include <cstdint>
#include <set>
#include <string>

namespace rifa::plugins::sandbox {

enum class ConfirmMode { kImmediate, kDelayed, kManual };

struct SandboxConfig {
  std::string webhook_secret;
  ConfirmMode confirm = ConfirmMode::kImmediate;
  int64_t confirm_delay_ms = 2000;
  std::string webhook_url;  // required for kDelayed
  int64_t webhook_tolerance_s = 300;
  std::set<int64_t> decline_amounts_cents;
  std::string state_file;  // empty: state lives in memory only
  // Development mode: the shipped example secret (kShippedWebhookSecret) is accepted. Off by
  // default, so a host started with the example config and no real secret cannot be sent forged
  // confirmations signed with a secret anyone can read in the repository.
  bool development = false;
  // Tests and development only: create_payment waits this long before it does anything, like a
  // provider that is slow to answer (outside the instance's lock: slow calls overlap). 0 = none.
  int64_t answer_delay_ms = 0;
};

// The webhook secret written in the shipped example configs.
inline constexpr const char* kShippedWebhookSecret = "dev-only-sandbox-secret";

// Reads the instance config (already validated against the schema) and applies the defaults.
// Throws rifa::sdk::Error(RIFA_ERR_CONFIG) for what the schema cannot express.
SandboxConfig parse_sandbox_config(const std::string& config_json);

// The schema published in the manifest.
extern const char* const kSandboxConfigSchema;

}  // namespace rifa::plugins::sandbox
