#pragma once

#include <memory>
#include <string>

#include "api_fixture.hpp"
#include "plugin_runtime/plugin_registry.hpp"

namespace rifa::testing {

inline constexpr const char* kSandboxSecret = "sales-test-webhook-secret-0123456789";
// valor_boleta of the categoria whose purchases the "sandbox" instance declines (one ticket).
inline constexpr int64_t kDeclinedPrice = 77700;

// The API with ticket sales wired to the real payment_sandbox plugin library (built into
// RIFA_PLUGIN_DIR), loaded as two instances:
//  * "sandbox": confirms at once, declines an amount of kDeclinedPrice; bound by default;
//  * "sandbox_manual": leaves payments pending until a signed webhook arrives; bound to the
//    categoria named "Manual".
class SalesApiTest : public ApiTest {
 protected:
  void configure_api(app::ApiWiringOptions& options) override;
  // "sandbox_delayed" (bound to the categoria "Delayed"): pending, then after 200 ms the plugin
  // itself POSTs a signed payment.succeeded webhook to this server through the host transport.
  void add_delayed_sandbox();

  // A categoria (made once per name), a rifa in it, made activa. Returns the rifa id.
  std::string active_rifa(const std::string& categoria, int64_t precio = 5000, int total_boletas = 100,
                          const std::string& assignment = "sequential");
  ApiReply buy(const Account& who, const std::string& rifa_id, int quantity, const std::string& key,
               nlohmann::json extra = nlohmann::json::object());
  // POST /webhooks/{instance} with a body signed by kSandboxSecret at `signed_at_s` (0 = now).
  ApiReply send_webhook(const std::string& instance, const std::string& body, int64_t signed_at_s = 0,
                        const std::string& secret = kSandboxSecret);
  static std::string payment_event(const std::string& type, const std::string& provider_ref,
                                   const std::string& event_id = "evt_1");
  std::string provider_ref_of(const std::string& transaccion_id);
  std::string estado_of(const std::string& ticket_id);
  std::string status_of(const std::string& transaccion_id);

  std::unique_ptr<plugin_runtime::PluginRegistry> plugins_;
  std::map<std::string, std::string> categorias_;
};

std::string hmac_sha256_hex(const std::string& key, const std::string& data);

}  // namespace rifa::testing
