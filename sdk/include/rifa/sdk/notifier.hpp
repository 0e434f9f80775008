#pragma once
/// @file
/// Base class of notifier plugins.

#include <string>

#include "rifa/sdk/plugin_base.hpp"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

namespace rifa::sdk {

/// Delivers events to a channel. A thrown rifa::sdk::Error (RIFA_ERR_TRANSPORT, ...) makes the host
/// retry later through its job queue, so deliver must tolerate repeats of the same event_id.
class NotifierPlugin : public PluginBase {
 public:
  static constexpr rifa_plugin_kind kKind = RIFA_KIND_NOTIFIER;
  using PluginBase::PluginBase;

  /// `event_json`: {"event_id", "type", "occurred_at", "rifa_id", "data": {...}}. Returning means
  /// delivered.
  virtual void deliver(const std::string& event_json) = 0;
};

}  // namespace rifa::sdk

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif
