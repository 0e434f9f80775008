#pragma once

#include "engine/payment_gateway.hpp"
#include "plugin_runtime/call_limiter.hpp"
#include "plugin_runtime/plugin_registry.hpp"
#include "settings/bindings.hpp"

namespace rifa::plugin_runtime {

// engine::PaymentGateway over the loaded payment plugin instances and the config's bindings. The
// registry may be null (commands that serve no purchases): every call then answers kNotFound.
// Thread-safe as far as the plugins are (PluginInstance serialises those that ask for it).
class PluginPaymentGateway final : public engine::PaymentGateway {
 public:
  PluginPaymentGateway(const PluginRegistry* registry, settings::Bindings bindings)
      : registry_(registry), bindings_(std::make_shared<settings::LiveBindings>(std::move(bindings))) {}
  // Over a serving host's bindings: a config reload changes which instance new purchases use.
  PluginPaymentGateway(const PluginRegistry* registry, std::shared_ptr<const settings::LiveBindings> bindings)
      : registry_(registry), bindings_(std::move(bindings)) {}

  // Bounds the calls in flight per instance (not owned; nullptr = no bound). Over the bound a call
  // is refused before the plugin is asked: kRateLimited, which the purchase takes as "nothing
  // charged" (it fails at once and answers 503).
  void set_call_limiter(plugin_runtime::CallLimiter* limiter) { limiter_ = limiter; }

  std::string instance_for(const std::string& rifa_id, const std::string& categoria_nombre) const override;
  Result<engine::PaymentAnswer> create(const std::string& instance, const engine::PaymentRequest& request) override;
  Result<engine::WebhookEvent> verify_webhook(const std::string& instance, const std::string& method,
                                              const std::string& headers, const std::string& body) override;
  Result<engine::PaymentAnswer> get_payment(const std::string& instance, const std::string& provider_ref) override;
  Result<std::string> refund(const std::string& instance, const std::string& provider_ref, int64_t amount_cents,
                             const std::string& idempotency_key) override;
  bool has_instance(const std::string& instance) const override { return payment_instance(instance).ok(); }
  Result<engine::ProviderOutcome> send_payout(const std::string& instance,
                                              const engine::PayoutRequest& request) override;
  Result<engine::ProviderOutcome> send_refund(const std::string& instance, const std::string& provider_ref,
                                              int64_t amount_cents, const std::string& idempotency_key) override;

 private:
  // Shared: a call in flight keeps its instance alive through a config reload that replaces it.
  Result<std::shared_ptr<PluginInstance>> payment_instance(const std::string& id) const;
  // A slot for one call, or the refusal.
  Result<CallLimiter::Permit> admit(const std::string& instance, const char* operation) const;

  const PluginRegistry* registry_;
  std::shared_ptr<const settings::LiveBindings> bindings_;
  plugin_runtime::CallLimiter* limiter_ = nullptr;
};

}  // namespace rifa::plugin_runtime
