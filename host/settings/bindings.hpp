#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rifa::settings {

// The plugin instances one rifa uses, by instance id.
struct ResolvedBinding {
  std::string lottery;
  std::string payment;
  std::vector<std::string> notifiers;

  bool operator==(const ResolvedBinding&) const = default;
};

// A partial override: only the slots that are set replace the level below. An empty notifiers
// list is a real override ("no notifiers"), unlike an absent one.
struct BindingOverride {
  std::optional<std::string> lottery;
  std::optional<std::string> payment;
  std::optional<std::vector<std::string>> notifiers;

  bool operator==(const BindingOverride&) const = default;
};

struct Bindings {
  ResolvedBinding defaults;
  std::map<std::string, BindingOverride, std::less<>> categorias;  // by categoria_rifa.nombre (exact)
  std::map<std::string, BindingOverride, std::less<>> rifas;       // by rifa id, lowercase UUID
  // Not from the YAML: the payment instance each activated rifa froze (rifas.payment_instance, read
  // from the database at start and at every reload), which wins over everything above, so that
  // changing the file never moves an activa rifa's sales or payouts to another provider.
  std::map<std::string, std::string, std::less<>> frozen_payment;  // by rifa id, lowercase UUID

  bool operator==(const Bindings&) const = default;
};

// defaults < categoria < rifa < frozen_payment. rifa_id is matched case-insensitively (UUIDs);
// an unknown categoria or rifa id simply has no override.
ResolvedBinding resolve_bindings(const Bindings& bindings, std::string_view rifa_id, std::string_view categoria);

// The bindings a serving host uses now. A config reload replaces them whole (host/app/config_reload);
// every purchase, payout and notification reads them through here, so the next one after a reload
// sees the new ones. current() is a snapshot that stays valid while its holder uses it.
class LiveBindings {
 public:
  explicit LiveBindings(Bindings initial = {}) : bindings_(std::make_shared<const Bindings>(std::move(initial))) {}
  std::shared_ptr<const Bindings> current() const {
    std::lock_guard lock(mutex_);
    return bindings_;
  }
  void replace(Bindings next) {
    auto fresh = std::make_shared<const Bindings>(std::move(next));
    std::lock_guard lock(mutex_);
    bindings_ = std::move(fresh);
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Bindings> bindings_;
};

// The notifier instances bound to a rifa, as a function: what settlement::SettlementService and
// the notification publishers take (the engine does not see the config). Over fixed bindings, or
// over live ones (a reload changes what it answers).
using NotifierResolver = std::function<std::vector<std::string>(std::string_view rifa_id, std::string_view categoria)>;
NotifierResolver notifier_resolver(Bindings bindings);
NotifierResolver notifier_resolver(std::shared_ptr<const LiveBindings> live);

}  // namespace rifa::settings
