#pragma once
// A loopback fake of the parts of Stripe's API the plugin uses, speaking the documented shapes
// (docs.stripe.com/api): form-encoded POSTs, Bearer keys, Idempotency-Key replays, PaymentIntents
// (requires_payment_method, requires_action with use_stripe_sdk, succeeded, card_error 402),
// refunds and transfers. Failure modes: the next N requests answer 500.
#include <atomic>
#include <set>

#include "provider_harness.hpp"

namespace rifa::testing {

class FakeStripe : public FakeServer {
 public:
  explicit FakeStripe(std::string secret_key) : secret_key_(std::move(secret_key)) {
    router_.add("POST", "/v1/payment_intents",
                [this](api::Request& r) { return guarded(r, [&] { return create(r); }); });
    router_.add("GET", "/v1/payment_intents/{id}", [this](api::Request& r) {
      return guarded(r, [&] {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = intents_.find(r.path_params["id"]);
        if (it == intents_.end())
          return error(404, "invalid_request_error", "resource_missing", "No such payment_intent");
        json out = it->second;
        if (r.target.find("expand%5B%5D=latest_charge") != std::string::npos && !out["latest_charge"].is_null()) {
          out["latest_charge"] = charges_[out["latest_charge"].get<std::string>()];
        }
        return json_answer(200, out);
      });
    });
    router_.add("POST", "/v1/refunds", [this](api::Request& r) { return guarded(r, [&] { return refund(r); }); });
    router_.add("POST", "/v1/transfers", [this](api::Request& r) {
      return guarded(r, [&] {
        auto form = parse_form(r.body);
        std::lock_guard<std::mutex> lock(mutex_);
        return json_answer(200, {{"id", "tr_" + std::to_string(++counter_)},
                                 {"object", "transfer"},
                                 {"amount", std::stoll(form["amount"])},
                                 {"currency", form["currency"]},
                                 {"destination", form["destination"]},
                                 {"reversed", false}});
      });
    });
    start();
  }

  std::set<int64_t> decline_amounts;  // in Stripe's unit
  std::set<int64_t> three_ds_amounts;
  std::atomic<int> fail_next{0};  // answer 500 to this many requests
  std::atomic<int> intents_created{0};

  // Stripe moves an intent to succeeded (after the app confirmed it); returns the intent.
  json succeed(const std::string& id) {
    std::lock_guard<std::mutex> lock(mutex_);
    json& pi = intents_.at(id);
    pi["status"] = "succeeded";
    pi["amount_received"] = pi["amount"];
    const std::string charge = "ch_" + std::to_string(++counter_);
    charges_[charge] = {
        {"id", charge},         {"object", "charge"}, {"payment_intent", id},      {"amount", pi["amount"]},
        {"amount_refunded", 0}, {"refunded", false},  {"currency", pi["currency"]}};
    pi["latest_charge"] = charge;
    return pi;
  }
  json intent(const std::string& id) {
    std::lock_guard<std::mutex> lock(mutex_);
    return intents_.at(id);
  }
  json charge_of(const std::string& id) {
    std::lock_guard<std::mutex> lock(mutex_);
    return charges_.at(intents_.at(id)["latest_charge"].get<std::string>());
  }

 private:
  template <typename F>
  api::Response guarded(api::Request& r, F&& f) {
    remember(r);
    if (r.header("authorization") != "Bearer " + secret_key_) {
      // Stripe masks the key it names: never the whole key.
      return error(401, "invalid_request_error", "api_key_invalid", "Invalid API Key provided: sk_test_****");
    }
    if (fail_next > 0) {
      --fail_next;
      return error(500, "api_error", "", "An unknown error occurred");
    }
    const std::string key = r.header("idempotency-key");
    if (r.method == "POST" && !key.empty()) {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = replies_.find(key);
      if (it != replies_.end()) {
        if (it->second.first != r.body) {
          return error(
              400, "idempotency_error", "",
              "Keys for idempotent requests can only be used with the same parameters they were first used with.");
        }
        return it->second.second;
      }
    }
    api::Response answer = f();
    if (r.method == "POST" && !key.empty() && answer.status < 500) {
      std::lock_guard<std::mutex> lock(mutex_);
      replies_[key] = {r.body, answer};
    }
    return answer;
  }

  static api::Response error(int status, const std::string& type, const std::string& code, const std::string& message,
                             json extra = json::object()) {
    json e = {{"type", type}, {"message", message}};
    if (!code.empty()) e["code"] = code;
    e.update(extra);
    return json_answer(status, {{"error", e}});
  }

  api::Response create(api::Request& r) {
    auto form = parse_form(r.body);
    const int64_t amount = std::stoll(form["amount"]);
    std::lock_guard<std::mutex> lock(mutex_);
    const std::string id = "pi_3Mtw" + std::to_string(++counter_);
    json pi = {{"id", id},
               {"object", "payment_intent"},
               {"amount", amount},
               {"currency", form["currency"]},
               {"client_secret", id + "_secret_" + std::to_string(counter_ * 7919)},
               {"status", "requires_payment_method"},
               {"next_action", nullptr},
               {"last_payment_error", nullptr},
               {"latest_charge", nullptr},
               {"metadata", json::object()}};
    for (const auto& [k, v] : form) {
      if (k.rfind("metadata[", 0) == 0) pi["metadata"][k.substr(9, k.size() - 10)] = v;
    }
    ++intents_created;
    if (form.count("payment_method") && form["confirm"] == "true") {
      if (decline_amounts.count(amount)) {
        pi["last_payment_error"] = {{"type", "card_error"},
                                    {"code", "card_declined"},
                                    {"decline_code", "insufficient_funds"},
                                    {"message", "Your card has insufficient funds."}};
        intents_[id] = pi;
        return error(402, "card_error", "card_declined", "Your card has insufficient funds.",
                     {{"decline_code", "insufficient_funds"}, {"payment_intent", pi}});
      }
      if (three_ds_amounts.count(amount)) {
        pi["status"] = "requires_action";
        pi["next_action"] = {{"type", "use_stripe_sdk"}, {"use_stripe_sdk", {{"type", "three_d_secure_redirect"}}}};
      } else {
        pi["status"] = "succeeded";
        pi["amount_received"] = amount;
        const std::string charge = "ch_" + std::to_string(++counter_);
        charges_[charge] = {
            {"id", charge},         {"object", "charge"}, {"payment_intent", id},        {"amount", amount},
            {"amount_refunded", 0}, {"refunded", false},  {"currency", form["currency"]}};
        pi["latest_charge"] = charge;
      }
    }
    intents_[id] = pi;
    return json_answer(200, pi);
  }

  api::Response refund(api::Request& r) {
    auto form = parse_form(r.body);
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = intents_.find(form["payment_intent"]);
    if (it == intents_.end()) return error(404, "invalid_request_error", "resource_missing", "No such payment_intent");
    if (it->second["latest_charge"].is_null()) {
      return error(400, "invalid_request_error", "charge_not_refundable", "This PaymentIntent has no charge to refund");
    }
    json& charge = charges_[it->second["latest_charge"].get<std::string>()];
    const int64_t amount = std::stoll(form["amount"]);
    charge["amount_refunded"] = charge["amount_refunded"].get<int64_t>() + amount;
    charge["refunded"] = charge["amount_refunded"] == charge["amount"];
    return json_answer(200, {{"id", "re_" + std::to_string(++counter_)},
                             {"object", "refund"},
                             {"amount", amount},
                             {"payment_intent", form["payment_intent"]},
                             {"status", "succeeded"}});
  }

  std::string secret_key_;
  int64_t counter_ = 1000;
  std::map<std::string, json> intents_;
  std::map<std::string, json> charges_;
  std::map<std::string, std::pair<std::string, api::Response>> replies_;
};

}  // namespace rifa::testing
