#include "sales_fixture.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>

#include <spdlog/sinks/null_sink.h>

#include "plugin_runtime/curl_transport.hpp"

namespace rifa::testing {

std::string hmac_sha256_hex(const std::string& key, const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

namespace {

int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

void SalesApiTest::configure_api(app::ApiWiringOptions& options) {
  plugins_ = std::make_unique<plugin_runtime::PluginRegistry>();
  const auto library = std::filesystem::path(RIFA_PLUGIN_DIR) / "libpayment_sandbox.so";
  const auto add = [&](const std::string& id, nlohmann::json config) {
    plugin_runtime::HostServices services;
    services.logger = std::make_shared<spdlog::logger>("plugin." + id, std::make_shared<spdlog::sinks::null_sink_mt>());
    services.now_unix_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
    services.transport = std::make_shared<plugin_runtime::CurlTransport>(plugin_runtime::CurlTransportOptions{});
    config["webhook_secret"] = kSandboxSecret;
    auto added = plugins_->add({id, library, RIFA_KIND_PAYMENT, config}, services);
    ASSERT_TRUE(added.ok()) << added.error().message;
  };
  add("sandbox", {{"confirm", "immediate"}, {"decline_amounts_cents", {kDeclinedPrice}}});
  add("sandbox_manual", {{"confirm", "manual"}});
  options.plugins = plugins_.get();
  // Bulk purchases (a whole rifa at once) are what these suites test; the per-buyer cap on held
  // numbers has its own tests (money_holes_test.cpp).
  options.sales.max_held_per_buyer = 100;
  options.bindings.defaults.payment = "sandbox";
  options.bindings.categorias["Manual"].payment = "sandbox_manual";
  // Loaded by the test that needs it, once the server's port is known (add_delayed_sandbox).
  options.bindings.categorias["Delayed"].payment = "sandbox_delayed";
}

void SalesApiTest::add_delayed_sandbox() {
  plugin_runtime::HostServices services;
  services.logger =
      std::make_shared<spdlog::logger>("plugin.sandbox_delayed", std::make_shared<spdlog::sinks::null_sink_mt>());
  services.now_unix_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  plugin_runtime::CurlTransportOptions transport;
  transport.egress_allow = {"127.0.0.1"};
  services.transport = std::make_shared<plugin_runtime::CurlTransport>(transport);
  const nlohmann::json config = {{"webhook_secret", kSandboxSecret},
                                 {"confirm", "delayed"},
                                 {"confirm_delay_ms", 200},
                                 {"webhook_url", url("/api/v1/webhooks/sandbox_delayed")}};
  auto added = plugins_->add(
      {"sandbox_delayed", std::filesystem::path(RIFA_PLUGIN_DIR) / "libpayment_sandbox.so", RIFA_KIND_PAYMENT, config},
      services);
  ASSERT_TRUE(added.ok()) << added.error().message;
}

std::string SalesApiTest::active_rifa(const std::string& categoria, int64_t precio, int total_boletas,
                                      const std::string& assignment) {
  if (!categorias_.count(categoria)) categorias_[categoria] = create_categoria(categoria, precio);
  if (loteria_id_.empty()) loteria_id_ = create_loteria("Loteria de Bogota");
  categoria_id_ = categorias_[categoria];
  const auto rifa = create_rifa({{"total_boletas", total_boletas}, {"assignment", assignment}});
  const std::string id = rifa.value("id", "");
  auto activated = call("PATCH", "/api/v1/rifas/" + id, nlohmann::json{{"estado", "activa"}}, admin_.token);
  EXPECT_EQ(activated.status, 200) << activated.body;
  return id;
}

ApiReply SalesApiTest::buy(const Account& who, const std::string& rifa_id, int quantity, const std::string& key,
                           nlohmann::json extra) {
  nlohmann::json body = {{"quantity", quantity}, {"payment_method", "card"}, {"idempotency_key", key}};
  body.update(extra);
  return call("POST", "/api/v1/rifas/" + rifa_id + "/tickets", body, who.token);
}

ApiReply SalesApiTest::send_webhook(const std::string& instance, const std::string& body, int64_t signed_at_s,
                                    const std::string& secret) {
  const int64_t t = signed_at_s == 0 ? now_s() : signed_at_s;
  const std::string signature = "rifa-sandbox-signature: t=" + std::to_string(t) +
                                ",v1=" + hmac_sha256_hex(secret, std::to_string(t) + "." + body);
  return http_call("POST", url("/api/v1/webhooks/" + instance), body, "", {signature});
}

std::string SalesApiTest::payment_event(const std::string& type, const std::string& provider_ref,
                                        const std::string& event_id) {
  return nlohmann::json{{"event_id", event_id}, {"type", type}, {"provider_ref", provider_ref}, {"created", now_s()}}
      .dump();
}

namespace {
std::string one_text(storage::Database& db, const std::string& sql_text, const std::string& id) {
  auto lease = db.lease();
  std::string value;
  soci::indicator ind = soci::i_null;
  lease.session() << sql_text, soci::use(id), soci::into(value, ind);
  return ind == soci::i_ok ? value : std::string();
}
}  // namespace

std::string SalesApiTest::provider_ref_of(const std::string& transaccion_id) {
  return one_text(test_db_->db(), "SELECT provider_ref FROM transacciones WHERE id = :id", transaccion_id);
}

std::string SalesApiTest::estado_of(const std::string& ticket_id) {
  return one_text(test_db_->db(), "SELECT estado FROM tickets WHERE id = :id", ticket_id);
}

std::string SalesApiTest::status_of(const std::string& transaccion_id) {
  return one_text(test_db_->db(), "SELECT status FROM transacciones WHERE id = :id", transaccion_id);
}

}  // namespace rifa::testing
