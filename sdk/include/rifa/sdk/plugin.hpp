#pragma once
/// @file
/// The one include for plugin authors: the C++ wrapper over the Rifa1122 plugin C ABI (C++17).
///
/// Write a class deriving from LotteryPlugin, PaymentPlugin or NotifierPlugin with a constructor
/// (rifa::sdk::Host, std::string instance_id, std::string config_json), then export it once, at
/// namespace scope in one .cpp file:
///
///     RIFA_PLUGIN(MyLottery, RIFA_KIND_LOTTERY, "mylottery", "1.0.0", "My lottery",
///                 R"({"type": "object", "additionalProperties": false, "properties": {}})")
///
/// Throw rifa::sdk::Error(status, message) to answer with an error; any other exception becomes
/// RIFA_ERR_INTERNAL ("out of memory" for std::bad_alloc). Build with rifa_add_plugin() so that
/// only the entry symbol is exported. See sdk/README.md and sdk/ABI.md.

#include "rifa/sdk/abi.h"
#include "rifa/sdk/error.hpp"
#include "rifa/sdk/host.hpp"
#include "rifa/sdk/internal/trampolines.hpp"
#include "rifa/sdk/json_text.hpp"
#include "rifa/sdk/lottery.hpp"
#include "rifa/sdk/notifier.hpp"
#include "rifa/sdk/payment.hpp"
#include "rifa/sdk/plugin_base.hpp"
#include "rifa/sdk/sha256.hpp"

/// Exports `ClassName` as this library's plugin: defines the static manifest, the noexcept C
/// trampolines and the `extern "C"` entry symbol rifa_plugin_manifest_v1. Use exactly once per
/// library. `Kind` must match the class's base (checked at compile time); `Name`, `Version`,
/// `Description` and `ConfigSchemaJson` must be string literals (the manifest keeps the pointers).
/// The manifest's flags come from `ClassName::kPluginFlags` (default RIFA_PLUGIN_FLAG_SERIALIZED).
#define RIFA_PLUGIN(ClassName, Kind, Name, Version, Description, ConfigSchemaJson)                                 \
  static_assert(::rifa::sdk::internal::kind_of<ClassName>() != RIFA_KIND_LOTTERY || (Kind) == RIFA_KIND_LOTTERY,   \
                "RIFA_PLUGIN: " #ClassName                                                                         \
                " derives from rifa::sdk::LotteryPlugin: write RIFA_KIND_LOTTERY, not " #Kind);                    \
  static_assert(::rifa::sdk::internal::kind_of<ClassName>() != RIFA_KIND_PAYMENT || (Kind) == RIFA_KIND_PAYMENT,   \
                "RIFA_PLUGIN: " #ClassName                                                                         \
                " derives from rifa::sdk::PaymentPlugin: write RIFA_KIND_PAYMENT, not " #Kind);                    \
  static_assert(::rifa::sdk::internal::kind_of<ClassName>() != RIFA_KIND_NOTIFIER || (Kind) == RIFA_KIND_NOTIFIER, \
                "RIFA_PLUGIN: " #ClassName                                                                         \
                " derives from rifa::sdk::NotifierPlugin: write RIFA_KIND_NOTIFIER, not " #Kind);                  \
  static_assert(::rifa::sdk::internal::check_plugin_class<ClassName>());                                           \
  extern "C" RIFA_PLUGIN_EXPORT const rifa_plugin_manifest* rifa_plugin_manifest_v1(void) {                        \
    return ::rifa::sdk::internal::manifest_of<ClassName>(Name, Version, Description, ConfigSchemaJson);            \
  }
