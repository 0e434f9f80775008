#pragma once
/// @file
/// rifa::sdk::testing::PluginHarness: drives one plugin instance through its manifest the way the
/// host does (create, calls, destroy), on a FakeHost, and returns each call's outcome as values.
///
/// Lifetime: the manifest's library and the FakeHost must outlive the harness; the harness
/// destroys its instance in its destructor. Not copyable or movable.
///
/// Threading: the harness itself is as thread-safe as the plugin: it adds no locking, so call it
/// from several threads only for a plugin without RIFA_PLUGIN_FLAG_SERIALIZED.

#include <string>
#include <utility>

#include "rifa/sdk/abi.h"
#include "rifa/sdk/abi_layout.hpp"
#include "rifa/sdk/testing/fake_host.hpp"

namespace rifa::sdk::testing {

/// The outcome of one call: its status and whatever the plugin put on the call.
struct Outcome {
  rifa_status status = RIFA_ERR_INTERNAL;
  std::string result;
  std::string error;
  bool ok() const noexcept { return status == RIFA_OK; }
};

class PluginHarness {
 public:
  /// Calls manifest->create with `host`'s table. Never throws for a failing create: check
  /// created() and create_outcome().
  PluginHarness(const rifa_plugin_manifest* manifest, FakeHost& host, std::string instance_id,
                const std::string& config_json = "{}")
      : instance_id_(std::move(instance_id)) {
    // Read as the host reads it (sdk/ABI.md, "Growth rule"): copies holding only what each
    // struct_size covers, so a field an older plugin lacks is NULL here.
    if (manifest) {
      manifest_ = abi::read_covered(*manifest);
      if (manifest_.lottery) manifest_.lottery = &(lottery_ = abi::read_covered(*manifest_.lottery));
      if (manifest_.payment) manifest_.payment = &(payment_ = abi::read_covered(*manifest_.payment));
      if (manifest_.notifier) manifest_.notifier = &(notifier_ = abi::read_covered(*manifest_.notifier));
    }
    if (!manifest || !manifest_.create) {
      create_outcome_ = Outcome{RIFA_ERR_INVALID_ARGUMENT, "", "manifest or create is NULL"};
      return;
    }
    FakeCall call;
    void* instance = nullptr;
    create_outcome_.status = manifest_.create(FakeHost::api(), host.handle(), instance_id_.c_str(), config_json.c_str(),
                                              call.handle(), &instance);
    create_outcome_.result = call.result();
    create_outcome_.error = call.error();
    if (create_outcome_.status == RIFA_OK) instance_ = instance;
  }
  ~PluginHarness() {
    if (instance_ && manifest_.destroy) manifest_.destroy(instance_);
  }
  PluginHarness(const PluginHarness&) = delete;
  PluginHarness& operator=(const PluginHarness&) = delete;

  bool created() const noexcept { return instance_ != nullptr; }
  const Outcome& create_outcome() const noexcept { return create_outcome_; }
  /// The plugin's opaque instance (nullptr when create failed).
  void* instance() const noexcept { return instance_; }

  // Lottery.
  Outcome fetch_draw(const std::string& date_iso) {
    const rifa_lottery_vtable* v = manifest_.lottery;
    if (!v || !v->fetch_draw) return missing("lottery fetch_draw");
    return invoke([&](rifa_call* c) { return v->fetch_draw(instance_, date_iso.c_str(), c); });
  }
  Outcome parse_page(const std::string& date_iso, const std::string& url, const std::string& body) {
    const rifa_lottery_vtable* v = manifest_.lottery;
    if (!v || !v->parse_page) return missing("lottery parse_page");
    return invoke([&](rifa_call* c) {
      return v->parse_page(instance_, date_iso.c_str(), url.c_str(), body.data(), body.size(), c);
    });
  }
  Outcome schedule() {
    const rifa_lottery_vtable* v = manifest_.lottery;
    if (!v || !v->schedule) return missing("lottery schedule");
    return invoke([&](rifa_call* c) { return v->schedule(instance_, c); });
  }
  /// draw_dates (ABI 1.1): RIFA_ERR_UNSUPPORTED when the plugin's vtable predates it or leaves it NULL.
  Outcome draw_dates(const std::string& from_iso, const std::string& to_iso) {
    const rifa_lottery_vtable* v = manifest_.lottery;
    if (!v || !RIFA_HAS_FIELD(rifa_lottery_vtable, v, draw_dates) || !v->draw_dates) {
      return missing("lottery draw_dates");
    }
    return invoke([&](rifa_call* c) { return v->draw_dates(instance_, from_iso.c_str(), to_iso.c_str(), c); });
  }

  // Payment.
  Outcome create_payment(const std::string& request_json) {
    const rifa_payment_vtable* v = manifest_.payment;
    if (!v || !v->create_payment) return missing("payment create_payment");
    return invoke([&](rifa_call* c) { return v->create_payment(instance_, request_json.c_str(), c); });
  }
  Outcome verify_webhook(const std::string& method, const std::string& headers, const std::string& body) {
    const rifa_payment_vtable* v = manifest_.payment;
    if (!v || !v->verify_webhook) return missing("payment verify_webhook");
    return invoke([&](rifa_call* c) {
      return v->verify_webhook(instance_, method.c_str(), headers.c_str(), body.data(), body.size(), c);
    });
  }
  Outcome get_payment(const std::string& provider_ref) {
    const rifa_payment_vtable* v = manifest_.payment;
    if (!v || !v->get_payment) return missing("payment get_payment");
    return invoke([&](rifa_call* c) { return v->get_payment(instance_, provider_ref.c_str(), c); });
  }
  Outcome refund(const std::string& request_json) {
    const rifa_payment_vtable* v = manifest_.payment;
    if (!v || !v->refund) return missing("payment refund");
    return invoke([&](rifa_call* c) { return v->refund(instance_, request_json.c_str(), c); });
  }
  Outcome payout(const std::string& request_json) {
    const rifa_payment_vtable* v = manifest_.payment;
    if (!v || !v->payout) return missing("payment payout");
    return invoke([&](rifa_call* c) { return v->payout(instance_, request_json.c_str(), c); });
  }

  // Notifier.
  Outcome deliver(const std::string& event_json) {
    const rifa_notifier_vtable* v = manifest_.notifier;
    if (!v || !v->deliver) return missing("notifier deliver");
    return invoke([&](rifa_call* c) { return v->deliver(instance_, event_json.c_str(), c); });
  }

 private:
  template <class Fn>
  Outcome invoke(Fn&& fn) {
    if (!instance_) return Outcome{RIFA_ERR_INVALID_ARGUMENT, "", "no instance: create failed"};
    FakeCall call;
    Outcome outcome;
    outcome.status = fn(call.handle());
    outcome.result = call.result();
    outcome.error = call.error();
    return outcome;
  }
  static Outcome missing(const char* what) {
    return Outcome{RIFA_ERR_UNSUPPORTED, "", std::string("the manifest has no ") + what};
  }

  rifa_plugin_manifest manifest_{};
  rifa_lottery_vtable lottery_{};
  rifa_payment_vtable payment_{};
  rifa_notifier_vtable notifier_{};
  std::string instance_id_;
  void* instance_ = nullptr;
  Outcome create_outcome_;
};

}  // namespace rifa::sdk::testing
