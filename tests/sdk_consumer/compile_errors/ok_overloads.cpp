// expect: OK
#include "rifa/sdk/plugin.hpp"

// An overloaded name is still an override: no false "does not override" message.
class Pay final : public rifa::sdk::PaymentPlugin {
 public:
  using PaymentPlugin::PaymentPlugin;
  std::string create_payment(const std::string&) override { return "{}"; }
  std::string verify_webhook(const std::string&, const std::string&, const std::string&) override { return "{}"; }
  std::string get_payment(const std::string&) override { return "{}"; }
  std::string refund(const std::string& request) override { return refund(request.size()); }
  std::string refund(std::size_t amount) { return "{\"amount\": " + std::to_string(amount) + "}"; }
  std::string payout(const std::string&) override { return "{}"; }
};

RIFA_PLUGIN(Pay, RIFA_KIND_PAYMENT, "pay", "1.0.0", "overloads", nullptr)
