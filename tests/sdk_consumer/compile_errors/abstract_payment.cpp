// expect: the payment class is abstract: it does not override refund. Add `std::string refund(const std::string& request_json) override;`
#include "rifa/sdk/plugin.hpp"

class Pay final : public rifa::sdk::PaymentPlugin {
 public:
  using PaymentPlugin::PaymentPlugin;
  std::string create_payment(const std::string&) override { return "{}"; }
  std::string verify_webhook(const std::string&, const std::string&, const std::string&) override { return "{}"; }
  std::string get_payment(const std::string&) override { return "{}"; }
  std::string payout(const std::string&) override { return "{}"; }
};

RIFA_PLUGIN(Pay, RIFA_KIND_PAYMENT, "pay", "1.0.0", "forgot refund", nullptr)
