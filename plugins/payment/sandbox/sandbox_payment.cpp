// payment_sandbox: a simulated provider with the behaviours the host must handle from a real one:
// immediate, delayed (signed webhook from a background thread) and manual confirmation, declines,
// idempotent refunds and payouts, signed webhooks, and state that survives a restart.
#include <chrono>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "payment/request.hpp"
#include "rifa/sdk/plugin.hpp"
#include "sandbox_config.hpp"
#include "sandbox_store.hpp"
#include "webhook_sender.hpp"
#include "webhook_signature.hpp"

namespace rifa::plugins::sandbox {
namespace {

using nlohmann::json;
using payment::parse_request;
using payment::require_amount;
using payment::require_currency;
using payment::require_string;
using sdk::Error;

void check_same_amount(const json& earlier, int64_t amount_cents, const std::string& key) {
  const int64_t earlier_amount = earlier["amount_cents"].get<int64_t>();
  if (earlier_amount != amount_cents) {
    throw Error(RIFA_ERR_INVALID_ARGUMENT, "idempotency key '" + key + "' was already used with amount_cents " +
                                               std::to_string(earlier_amount) + ", not " +
                                               std::to_string(amount_cents));
  }
}

class SandboxPayment final : public sdk::PaymentPlugin {
 public:
  // Every call takes mutex_; the webhook thread too. Concurrent calls are safe.
  static constexpr uint32_t kPluginFlags = 0;

  SandboxPayment(sdk::Host host, std::string instance_id, std::string config_json)
      : PaymentPlugin(host, std::move(instance_id), std::move(config_json)),
        config_(parse_sandbox_config(this->config_json())),
        store_(config_.state_file) {
    // Webhooks a previous run scheduled but never sent.
    for (const json& payment : store_.all(RecordKind::kPayment)) {
      if (payment.value("delayed", false) && !payment.value("webhook_sent", false) && payment["status"] == "pending") {
        schedule_confirmation(payment["ref"].get<std::string>(), payment["confirm_at_ms"].get<int64_t>());
      }
    }
  }

  std::string create_payment(const std::string& request_json) override {
    const json request = parse_request(request_json, "create_payment");
    const int64_t amount = require_amount(request, "create_payment");
    const std::string currency = require_currency(request, "create_payment");
    const std::string key = require_string(request, "idempotency_key", "create_payment");
    if (config_.answer_delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(config_.answer_delay_ms));

    std::lock_guard<std::mutex> lock(mutex_);
    const auto shared = store_.lock();  // and what other hosts sharing the state file wrote
    if (const json* earlier = store_.find_by_key(RecordKind::kPayment, key)) {
      check_same_amount(*earlier, amount, key);
      return creation_answer(*earlier);
    }
    const int64_t now_ms = host().now_unix_ms();
    json payment = {{"ref", make_ref("sbx_", "payment", key)},
                    {"idempotency_key", key},
                    {"amount_cents", amount},
                    {"currency", currency},
                    {"created_ms", now_ms},
                    {"status", "pending"},
                    {"refunded_cents", 0}};
    if (config_.decline_amounts_cents.count(amount)) {
      payment["status"] = "failed";
      payment["reason"] = decline_reason(amount);
    } else if (config_.confirm == ConfirmMode::kImmediate) {
      payment["status"] = "succeeded";
    } else if (config_.confirm == ConfirmMode::kDelayed) {
      payment["delayed"] = true;
      payment["webhook_sent"] = false;
      payment["confirm_at_ms"] = now_ms + config_.confirm_delay_ms;
    }
    store_.put(RecordKind::kPayment, payment);
    if (payment.value("delayed", false)) schedule_confirmation(payment["ref"], payment["confirm_at_ms"]);
    host().info("payment " + payment["ref"].get<std::string>() + " of " + std::to_string(amount) + " " + currency +
                " cents: " + payment["status"].get<std::string>());
    return creation_answer(payment);
  }

  std::string verify_webhook(const std::string& method, const std::string& headers, const std::string& body) override {
    if (method != "POST") throw Error(RIFA_ERR_INVALID_ARGUMENT, "sandbox webhooks are POST requests, got " + method);
    verify_webhook_signature(config_.webhook_secret, headers, body, host().now_unix_ms() / 1000,
                             config_.webhook_tolerance_s);
    json event;
    try {
      event = json::parse(body);
    } catch (const json::parse_error& e) {
      throw Error(RIFA_ERR_INVALID_ARGUMENT, std::string("webhook body is not valid JSON (") + e.what() + ")");
    }
    if (!event.is_object()) throw Error(RIFA_ERR_INVALID_ARGUMENT, "webhook body must be a JSON object");
    const std::string event_id = require_string(event, "event_id", "webhook");
    const std::string type = require_string(event, "type", "webhook");
    const std::string ref = require_string(event, "provider_ref", "webhook");

    std::string status;
    if (type == "payment.succeeded") {
      status = "succeeded";
    } else if (type == "payment.failed") {
      status = "failed";
    } else if (type == "payout.paid") {
      status = "paid";
    } else if (type == "refund.succeeded") {
      status = "succeeded";
    } else {
      throw Error(RIFA_ERR_INVALID_ARGUMENT, "unknown webhook type '" + type + "'");
    }

    json answer = {{"event_id", event_id}, {"type", type}, {"provider_ref", ref}, {"status", status}};
    for (const char* field : {"amount_cents", "currency", "reason"}) {
      if (event.contains(field)) answer[field] = event[field];
    }
    if (type.rfind("payment.", 0) == 0) apply_payment_event(ref, status, event.value("reason", ""));
    return answer.dump();
  }

  std::string get_payment(const std::string& provider_ref) override {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto shared = store_.lock();  // and what other hosts sharing the state file wrote
    const json* payment = store_.find(RecordKind::kPayment, provider_ref);
    if (!payment) throw Error(RIFA_ERR_NOT_FOUND, "no sandbox payment '" + provider_ref + "'");
    json answer = {{"provider_ref", provider_ref},
                   {"status", effective_status(*payment)},
                   {"amount_cents", (*payment)["amount_cents"]},
                   {"currency", (*payment)["currency"]}};
    if (payment->contains("reason")) answer["reason"] = (*payment)["reason"];
    return answer.dump();
  }

  std::string refund(const std::string& request_json) override {
    const json request = parse_request(request_json, "refund");
    const std::string ref = require_string(request, "provider_ref", "refund");
    const int64_t amount = require_amount(request, "refund");
    const std::string key = require_string(request, "idempotency_key", "refund");

    std::lock_guard<std::mutex> lock(mutex_);
    const auto shared = store_.lock();  // and what other hosts sharing the state file wrote
    if (const json* earlier = store_.find_by_key(RecordKind::kRefund, key)) {
      check_same_amount(*earlier, amount, key);
      return refund_answer(*earlier);
    }
    const json* found = store_.find(RecordKind::kPayment, ref);
    if (!found) throw Error(RIFA_ERR_NOT_FOUND, "no sandbox payment '" + ref + "'");
    json payment = *found;
    const std::string status = effective_status(payment);
    if (status != "succeeded") {
      throw Error(RIFA_ERR_INVALID_ARGUMENT,
                  "payment '" + ref + "' is " + status + "; only a succeeded payment can be refunded");
    }
    const int64_t refundable = payment["amount_cents"].get<int64_t>() - payment.value("refunded_cents", int64_t{0});
    if (amount > refundable) {
      throw Error(RIFA_ERR_INVALID_ARGUMENT, "refund of " + std::to_string(amount) + " cents exceeds the " +
                                                 std::to_string(refundable) + " cents still refundable on '" + ref +
                                                 "'");
    }
    const json refund = {{"ref", make_ref("sbx_re_", "refund", key)},
                         {"idempotency_key", key},
                         {"provider_ref", ref},
                         {"amount_cents", amount},
                         {"status", "succeeded"}};
    store_.put(RecordKind::kRefund, refund);
    payment["status"] = "succeeded";  // a delayed confirmation that became due is now settled
    payment["refunded_cents"] = payment.value("refunded_cents", int64_t{0}) + amount;
    if (payment["refunded_cents"].get<int64_t>() == payment["amount_cents"].get<int64_t>())
      payment["status"] = "refunded";
    store_.put(RecordKind::kPayment, payment);
    return refund_answer(refund);
  }

  std::string payout(const std::string& request_json) override {
    const json request = parse_request(request_json, "payout");
    const int64_t amount = require_amount(request, "payout");
    const std::string currency = require_currency(request, "payout");
    const std::string key = require_string(request, "idempotency_key", "payout");

    std::lock_guard<std::mutex> lock(mutex_);
    const auto shared = store_.lock();  // and what other hosts sharing the state file wrote
    if (const json* earlier = store_.find_by_key(RecordKind::kPayout, key)) {
      check_same_amount(*earlier, amount, key);
      if ((*earlier)["status"] == "failed") throw Error(RIFA_ERR_DECLINED, (*earlier)["reason"].get<std::string>());
      return payout_answer(*earlier);
    }
    json payout = {{"ref", make_ref("sbx_po_", "payout", key)},
                   {"idempotency_key", key},
                   {"amount_cents", amount},
                   {"currency", currency},
                   {"beneficiary", request.value("beneficiary", json::object())},
                   {"created_ms", host().now_unix_ms()},
                   {"status", "paid"}};
    const bool declined = config_.decline_amounts_cents.count(amount) != 0;
    if (declined) {
      payout["status"] = "failed";
      payout["reason"] = decline_reason(amount);
    }
    store_.put(RecordKind::kPayout, payout);
    host().info("payout " + payout["ref"].get<std::string>() + " of " + std::to_string(amount) + " " + currency +
                " cents: " + payout["status"].get<std::string>());
    if (declined) throw Error(RIFA_ERR_DECLINED, payout["reason"].get<std::string>());
    return payout_answer(payout);
  }

 private:
  std::string make_ref(const char* prefix, const char* kind, const std::string& key) const {
    // Derived from the key so that the same key maps to the same ref even across restarts.
    return prefix + sdk::sha256_hex(instance_id() + "|" + kind + "|" + key).substr(0, 24);
  }

  static std::string decline_reason(int64_t amount) {
    return "declined by sandbox: amount " + std::to_string(amount) + " is configured to decline";
  }

  // A delayed payment counts as succeeded once its delay has passed on the host clock, whether or
  // not its webhook went out yet.
  std::string effective_status(const json& payment) const {
    const std::string status = payment["status"].get<std::string>();
    if (status == "pending" && payment.value("delayed", false) &&
        host().now_unix_ms() >= payment["confirm_at_ms"].get<int64_t>()) {
      return "succeeded";
    }
    return status;
  }

  std::string creation_answer(const json& payment) const {
    if (payment["status"] == "failed") throw Error(RIFA_ERR_DECLINED, payment["reason"].get<std::string>());
    const json answer = {{"provider_ref", payment["ref"]}, {"status", payment["status"]}};
    return answer.dump();
  }
  static std::string refund_answer(const json& refund) {
    return json({{"refund_ref", refund["ref"]}, {"status", refund["status"]}}).dump();
  }
  static std::string payout_answer(const json& payout) {
    return json({{"payout_ref", payout["ref"]}, {"status", payout["status"]}}).dump();
  }

  void apply_payment_event(const std::string& ref, const std::string& status, const std::string& reason) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto shared = store_.lock();  // and what other hosts sharing the state file wrote
    const json* found = store_.find(RecordKind::kPayment, ref);
    if (!found || (*found)["status"] != "pending") return;  // unknown or settled: a repeat changes nothing
    json payment = *found;
    payment["status"] = status;
    if (!reason.empty()) payment["reason"] = reason;
    store_.put(RecordKind::kPayment, payment);
  }

  void schedule_confirmation(const std::string& ref, int64_t confirm_at_ms) {
    const int64_t wait_ms = std::max<int64_t>(0, confirm_at_ms - host().now_unix_ms());
    sender_.schedule(std::chrono::milliseconds(wait_ms), [this, ref] { send_confirmation(ref); });
  }

  // Runs on the sender thread, outside any call: errors can only be logged.
  void send_confirmation(const std::string& ref) noexcept {
    try {
      json payment;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto shared = store_.lock();  // and what other hosts sharing the state file wrote
        const json* found = store_.find(RecordKind::kPayment, ref);
        if (!found || found->value("webhook_sent", false)) return;
        payment = *found;
      }
      const int64_t now_s = host().now_unix_ms() / 1000;
      const json event = {{"event_id", "evt_" + sdk::sha256_hex(ref + "|payment.succeeded").substr(0, 24)},
                          {"type", "payment.succeeded"},
                          {"provider_ref", ref},
                          {"amount_cents", payment["amount_cents"]},
                          {"currency", payment["currency"]},
                          {"created", now_s}};
      sdk::HttpRequest request;
      request.method = "POST";
      request.url = config_.webhook_url;
      request.body = event.dump();
      request.headers = {{"Content-Type", "application/json"},
                         {kSignatureHeader, sign_webhook(config_.webhook_secret, now_s, request.body)}};
      const sdk::HttpResponse response = host().http(request);
      if (response.status < 200 || response.status >= 300) {
        host().warn("webhook for " + ref + " to " + config_.webhook_url + " answered HTTP " +
                    std::to_string(response.status));
      }
      std::lock_guard<std::mutex> lock(mutex_);
      const auto shared = store_.lock();  // and what other hosts sharing the state file wrote
      const json* found = store_.find(RecordKind::kPayment, ref);
      if (!found) return;
      json updated = *found;
      updated["webhook_sent"] = true;
      if (updated["status"] == "pending") updated["status"] = "succeeded";
      store_.put(RecordKind::kPayment, updated);
    } catch (const std::exception& e) {
      host().error("webhook for " + ref + " to " + config_.webhook_url + " failed: " + e.what());
    }
  }

  SandboxConfig config_;
  std::mutex mutex_;
  SandboxStore store_;
  WebhookSender sender_;  // last: destroyed (and joined) first, while everything it uses still exists
};

}  // namespace
}  // namespace rifa::plugins::sandbox

RIFA_PLUGIN(rifa::plugins::sandbox::SandboxPayment, RIFA_KIND_PAYMENT, "sandbox", "1.0.0",
            "Simulated payment provider: immediate, delayed or manual confirmation, signed webhooks",
            rifa::plugins::sandbox::kSandboxConfigSchema)
