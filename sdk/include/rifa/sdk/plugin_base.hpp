#pragma once
/// @file
/// What every plugin class written with the C++ wrapper has: its host, instance id and config.

#include <cstdint>
#include <string>
#include <utility>

#include "rifa/sdk/abi.h"
#include "rifa/sdk/host.hpp"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

namespace rifa::sdk {

/// Common base of LotteryPlugin, PaymentPlugin and NotifierPlugin. Derive from one of those, not
/// from this class.
///
/// The constructor of the derived class receives (Host, instance_id, config_json) and runs inside
/// the host's create call: throw rifa::sdk::Error(RIFA_ERR_CONFIG, "...") to refuse a config the
/// schema could not express. The destructor runs in destroy, after every other call has returned.
///
/// Threading: without RIFA_PLUGIN_FLAG_SERIALIZED in kPluginFlags (see plugin.hpp) the host may
/// call the virtuals of one instance from several threads at once.
class PluginBase {
 public:
  /// Flags published in the manifest. A derived class may hide this with its own
  /// `static constexpr uint32_t kPluginFlags = 0;` to declare itself safe for concurrent calls.
  /// The default asks the host to serialize calls, which is always safe.
  static constexpr uint32_t kPluginFlags = RIFA_PLUGIN_FLAG_SERIALIZED;

  /// `config_json` has already been validated by the host against the manifest's schema; the
  /// schema's defaults are NOT filled in: apply them yourself.
  PluginBase(Host host, std::string instance_id, std::string config_json)
      : host_(host), instance_id_(std::move(instance_id)), config_json_(std::move(config_json)) {}
  virtual ~PluginBase() = default;
  PluginBase(const PluginBase&) = delete;
  PluginBase& operator=(const PluginBase&) = delete;

  /// The host services; valid for the life of the instance.
  const Host& host() const noexcept { return host_; }
  /// The id the host's config gives this instance (e.g. "bogota").
  const std::string& instance_id() const noexcept { return instance_id_; }
  /// The instance config as JSON text, as the host passed it.
  const std::string& config_json() const noexcept { return config_json_; }

 private:
  Host host_;
  std::string instance_id_;
  std::string config_json_;
};

}  // namespace rifa::sdk

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif
