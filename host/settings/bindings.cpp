#include "settings/bindings.hpp"

#include <algorithm>
#include <cctype>

namespace rifa::settings {
namespace {

void apply(ResolvedBinding& binding, const BindingOverride& override_) {
  if (override_.lottery) binding.lottery = *override_.lottery;
  if (override_.payment) binding.payment = *override_.payment;
  if (override_.notifiers) binding.notifiers = *override_.notifiers;
}

}  // namespace

ResolvedBinding resolve_bindings(const Bindings& bindings, std::string_view rifa_id, std::string_view categoria) {
  ResolvedBinding binding = bindings.defaults;
  if (auto it = bindings.categorias.find(categoria); it != bindings.categorias.end()) apply(binding, it->second);
  std::string id(rifa_id);
  std::transform(id.begin(), id.end(), id.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (auto it = bindings.rifas.find(id); it != bindings.rifas.end()) apply(binding, it->second);
  if (auto it = bindings.frozen_payment.find(id); it != bindings.frozen_payment.end()) binding.payment = it->second;
  return binding;
}

NotifierResolver notifier_resolver(Bindings bindings) {
  return [bindings = std::move(bindings)](std::string_view rifa_id, std::string_view categoria) {
    return resolve_bindings(bindings, rifa_id, categoria).notifiers;
  };
}

NotifierResolver notifier_resolver(std::shared_ptr<const LiveBindings> live) {
  return [live = std::move(live)](std::string_view rifa_id, std::string_view categoria) {
    return resolve_bindings(*live->current(), rifa_id, categoria).notifiers;
  };
}

}  // namespace rifa::settings
