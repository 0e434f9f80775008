#pragma once

#include <string>
#include <vector>

#include "settings/settings.hpp"

namespace rifa::app {

// Whether weak secrets may be served. Production is the default: a host started with the shipped
// example secrets would accept tokens and payment confirmations anyone can forge, because those
// secrets are public (they are in this repository).
enum class RunMode { kProduction, kDevelopment };

// kDevelopment when `--dev` was given or RIFA_ENV is "development" (case-insensitive); any other
// RIFA_ENV value, or none, is production.
RunMode run_mode(bool dev_flag, const char* rifa_env);

// HS256 keys shorter than the hash output weaken the MAC (RFC 7518 §3.2); webhook HMACs likewise.
inline constexpr size_t kMinSecretBytes = 32;

// One secret that must not guard a production host: where it is in the config and why.
struct WeakSecret {
  std::string path;    // e.g. "secrets.jwt_secret", "plugins.instances.sandbox.config.webhook_secret"
  std::string reason;  // e.g. "is a shipped example value (dev-only-...)"
};

// Every secret of the config that is a shipped example value (any value starting "dev-only-") or
// shorter than kMinSecretBytes: each `secrets.*` entry, and each plugin-instance config member
// whose name contains "secret" (at any depth), such as a payment plugin's webhook_secret.
// An unset jwt_secret is not listed: the host then makes a random one per process.
std::vector<WeakSecret> find_weak_secrets(const settings::Settings& settings);

}  // namespace rifa::app
