#include "plugin_runtime/plugin_payment_gateway.hpp"

namespace rifa::plugin_runtime {
namespace {

ErrorCode error_code_for(rifa_status status) {
  switch (status) {
    case RIFA_ERR_DECLINED: return ErrorCode::kPaymentDeclined;
    case RIFA_ERR_SIGNATURE: return ErrorCode::kSignature;
    case RIFA_ERR_NOT_FOUND: return ErrorCode::kNotFound;
    case RIFA_ERR_INVALID_ARGUMENT: return ErrorCode::kInvalidArgument;
    case RIFA_ERR_UNSUPPORTED: return ErrorCode::kUnsupported;
    case RIFA_ERR_TIMEOUT: return ErrorCode::kTimeout;
    case RIFA_ERR_TRANSPORT: return ErrorCode::kUnavailable;
    case RIFA_ERR_CONFIG: return ErrorCode::kConfigInvalid;
    default: return ErrorCode::kInternal;
  }
}

Error call_error(const std::string& instance, const char* operation, const plugin_runtime::CallOutcome& call) {
  // A decline's message is the provider's reason, shown to the buyer as it is.
  if (call.status == RIFA_ERR_DECLINED) return make_error(ErrorCode::kPaymentDeclined, call.error);
  return make_error(error_code_for(call.status), "payment instance '" + instance + "' " + operation + ": " +
                                                     plugin_runtime::status_name(call.status) + ": " + call.error);
}

Result<nlohmann::json> parse_answer(const std::string& instance, const char* operation, const std::string& text) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_object()) {
    return make_error(ErrorCode::kInternal, "payment instance '" + instance + "' " + operation +
                                                " answered something that is not a JSON object");
  }
  return doc;
}

std::string string_member(const nlohmann::json& doc, const char* key) {
  auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The optional amount members of an answer or event. A member that is there but malformed is an
// error: a confirmation must never be believed on an amount that could not be read.
Result<void> read_amount(const std::string& instance, const char* operation, const nlohmann::json& doc,
                         std::optional<int64_t>& amount_cents, std::optional<std::string>& currency) {
  if (auto it = doc.find("amount_cents"); it != doc.end() && !it->is_null()) {
    if (!it->is_number_integer()) {
      return make_error(ErrorCode::kInvalidArgument, "payment instance '" + instance + "' " + operation +
                                                         ": amount_cents must be an integer number of cents");
    }
    amount_cents = it->get<int64_t>();
  }
  if (auto it = doc.find("currency"); it != doc.end() && !it->is_null()) {
    if (!it->is_string()) {
      return make_error(ErrorCode::kInvalidArgument,
                        "payment instance '" + instance + "' " + operation + ": currency must be a string");
    }
    currency = it->get<std::string>();
  }
  return {};
}

// The answer's next step for the app (sdk/ABI.md: the optional "next_action", or a bare
// "checkout_url" read as a redirect); anything else is left out rather than passed on half-read.
nlohmann::json next_action_of(const nlohmann::json& doc) {
  const auto text = [](const nlohmann::json& o, const char* k) {
    return o.contains(k) && o[k].is_string() && !o[k].get<std::string>().empty();
  };
  if (auto it = doc.find("next_action"); it != doc.end() && it->is_object() && text(*it, "type")) {
    const std::string type = (*it)["type"];
    if (type == "redirect" && text(*it, "url")) return {{"type", type}, {"url", (*it)["url"]}};
    if (type == "client_secret" && text(*it, "value")) {
      nlohmann::json out = {{"type", type}, {"value", (*it)["value"]}};
      if (text(*it, "publishable_key")) out["publishable_key"] = (*it)["publishable_key"];
      return out;
    }
    if (type == "wait")
      return {{"type", type}, {"message", text(*it, "message") ? (*it)["message"] : nlohmann::json("")}};
  }
  if (text(doc, "checkout_url")) return {{"type", "redirect"}, {"url", doc["checkout_url"]}};
  return nullptr;
}

Result<engine::PaymentAnswer> payment_answer(const std::string& instance, const char* operation,
                                             const plugin_runtime::CallOutcome& call) {
  if (!call.ok()) return call_error(instance, operation, call);
  auto doc = parse_answer(instance, operation, call.result);
  if (!doc) return doc.error();
  engine::PaymentAnswer answer;
  answer.provider_ref = string_member(*doc, "provider_ref");
  const auto status = engine::parse_payment_status(string_member(*doc, "status"));
  if (answer.provider_ref.empty() || !status) {
    return make_error(ErrorCode::kInternal, "payment instance '" + instance + "' " + operation +
                                                " answered without a provider_ref or a known status: " + call.result);
  }
  answer.status = *status;
  answer.reason = string_member(*doc, "reason");
  if (auto read = read_amount(instance, operation, *doc, answer.amount_cents, answer.currency); !read) {
    return make_error(ErrorCode::kInternal, read.error().message);
  }
  answer.next_action = next_action_of(*doc);
  return answer;
}

// The plugin's answer as it is: the payout and refund services record every outcome themselves.
engine::ProviderOutcome provider_outcome(const CallOutcome& call, const char* reference_member) {
  engine::ProviderOutcome out;
  out.delivered = call.ok();
  out.status_name = status_name(call.status);
  if (!call.ok()) {
    out.declined = call.status == RIFA_ERR_DECLINED;
    out.error = call.error;
    return out;
  }
  out.raw = call.result;
  const nlohmann::json doc = nlohmann::json::parse(call.result, nullptr, false);
  if (doc.is_object()) {
    out.reference = doc.value(reference_member, "");
    out.status = doc.value("status", "");
  }
  return out;
}

}  // namespace

std::string PluginPaymentGateway::instance_for(const std::string& rifa_id, const std::string& categoria_nombre) const {
  return settings::resolve_bindings(*bindings_->current(), rifa_id, categoria_nombre).payment;
}

Result<std::shared_ptr<PluginInstance>> PluginPaymentGateway::payment_instance(const std::string& id) const {
  auto p = registry_ ? registry_->find(id) : nullptr;
  if (!p || p->kind() != RIFA_KIND_PAYMENT) {
    return make_error(ErrorCode::kNotFound, "no payment plugin instance '" + id + "' is loaded");
  }
  return p;
}

Result<plugin_runtime::CallLimiter::Permit> PluginPaymentGateway::admit(const std::string& instance,
                                                                        const char* operation) const {
  if (!limiter_) return plugin_runtime::CallLimiter::Permit();
  auto permit = limiter_->acquire(instance);
  if (permit) return permit;
  Error busy = make_error(ErrorCode::kRateLimited,
                          "payment instance '" + instance + "' " + operation + ": not called, " +
                              std::to_string(limiter_->limit_for(instance)) +
                              " call(s) to it are already in flight (server.plugin_calls_per_instance); retry later");
  busy.retry_after_s = 1;
  return busy;
}

Result<engine::PaymentAnswer> PluginPaymentGateway::create(const std::string& instance,
                                                           const engine::PaymentRequest& request) {
  auto p = payment_instance(instance);
  if (!p) return p.error();
  auto permit = admit(instance, "create_payment");
  if (!permit) return permit.error();
  const nlohmann::json body = {{"amount_cents", request.amount_cents},
                               {"currency", request.currency},
                               {"idempotency_key", request.idempotency_key},
                               {"description", request.description},
                               {"metadata", request.metadata}};
  return payment_answer(instance, "create_payment", (*p)->create_payment(body.dump()));
}

Result<engine::WebhookEvent> PluginPaymentGateway::verify_webhook(const std::string& instance,
                                                                  const std::string& method, const std::string& headers,
                                                                  const std::string& body) {
  auto p = payment_instance(instance);
  if (!p) return p.error();
  auto permit = admit(instance, "verify_webhook");
  if (!permit) return permit.error();
  const auto call = (*p)->verify_webhook(method, headers, body);
  if (!call.ok()) {
    Error e = call_error(instance, "verify_webhook", call);
    // Whatever else the plugin disliked about the request, it is the sender's fault, not ours.
    if (e.code != ErrorCode::kSignature && e.code != ErrorCode::kNotFound) e.code = ErrorCode::kInvalidArgument;
    return e;
  }
  auto doc = parse_answer(instance, "verify_webhook", call.result);
  if (!doc) return doc.error();
  engine::WebhookEvent event;
  event.event_id = string_member(*doc, "event_id");
  event.type = string_member(*doc, "type");
  event.provider_ref = string_member(*doc, "provider_ref");
  event.status = string_member(*doc, "status");
  event.reason = string_member(*doc, "reason");
  if (auto read = read_amount(instance, "verify_webhook", *doc, event.amount_cents, event.currency); !read) {
    return read.error();
  }
  return event;
}

Result<engine::PaymentAnswer> PluginPaymentGateway::get_payment(const std::string& instance,
                                                                const std::string& provider_ref) {
  auto p = payment_instance(instance);
  if (!p) return p.error();
  auto permit = admit(instance, "get_payment");
  if (!permit) return permit.error();
  return payment_answer(instance, "get_payment", (*p)->get_payment(provider_ref));
}

Result<std::string> PluginPaymentGateway::refund(const std::string& instance, const std::string& provider_ref,
                                                 int64_t amount_cents, const std::string& idempotency_key) {
  auto p = payment_instance(instance);
  if (!p) return p.error();
  auto permit = admit(instance, "refund");
  if (!permit) return permit.error();
  const nlohmann::json body = {
      {"provider_ref", provider_ref}, {"amount_cents", amount_cents}, {"idempotency_key", idempotency_key}};
  const auto call = (*p)->refund(body.dump());
  if (!call.ok()) return call_error(instance, "refund", call);
  auto doc = parse_answer(instance, "refund", call.result);
  if (!doc) return doc.error();
  return string_member(*doc, "refund_ref");
}

Result<engine::ProviderOutcome> PluginPaymentGateway::send_payout(const std::string& instance,
                                                                  const engine::PayoutRequest& request) {
  auto p = payment_instance(instance);
  if (!p) return p.error();
  const nlohmann::json body = {{"amount_cents", request.amount_cents},       {"currency", request.currency},
                               {"idempotency_key", request.idempotency_key}, {"beneficiary", request.beneficiary},
                               {"description", request.description},         {"metadata", request.metadata}};
  return provider_outcome((*p)->payout(body.dump()), "payout_ref");
}

Result<engine::ProviderOutcome> PluginPaymentGateway::send_refund(const std::string& instance,
                                                                  const std::string& provider_ref, int64_t amount_cents,
                                                                  const std::string& idempotency_key) {
  auto p = payment_instance(instance);
  if (!p) return p.error();
  const nlohmann::json body = {
      {"provider_ref", provider_ref}, {"amount_cents", amount_cents}, {"idempotency_key", idempotency_key}};
  return provider_outcome((*p)->refund(body.dump()), "refund_ref");
}

}  // namespace rifa::plugin_runtime
