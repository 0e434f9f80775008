#pragma once
/// @file
/// Internal: the C functions the manifest points at, generated per plugin class. Each one is
/// noexcept and turns every exception into a rifa_status plus a message on the call, so that no
/// C++ exception ever crosses the C boundary. Use RIFA_PLUGIN (plugin.hpp), not this header.

#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <type_traits>

#include "rifa/sdk/abi.h"
#include "rifa/sdk/abi_layout.hpp"
#include "rifa/sdk/error.hpp"
#include "rifa/sdk/host.hpp"
#include "rifa/sdk/internal/call_context.hpp"
#include "rifa/sdk/lottery.hpp"
#include "rifa/sdk/notifier.hpp"
#include "rifa/sdk/payment.hpp"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

namespace rifa::sdk::internal {

inline void set_error(const rifa_host_api* api, rifa_call* call, const char* message) noexcept {
  if (api && call && message) api->call_set_error(call, message, std::strlen(message));
}

inline void set_result(const rifa_host_api* api, rifa_call* call, const std::string& json) noexcept {
  if (api && call) api->call_set_result(call, json.data(), json.size());
}

/// Runs `fn` (returning rifa_status) and maps whatever it throws. Messages for std::bad_alloc and
/// unknown exceptions are literals so that reporting them cannot fail in turn.
template <class Fn>
rifa_status guarded(const rifa_host_api* api, rifa_call* call, Fn&& fn) noexcept {
  try {
    return fn();
  } catch (const Error& e) {
    if (e.status() == RIFA_OK) {
      set_error(api, call, "plugin bug: rifa::sdk::Error thrown with status RIFA_OK");
      return RIFA_ERR_INTERNAL;
    }
    if (!e.is_reported_by_host()) set_error(api, call, e.what());
    if (!e.result().empty()) set_result(api, call, e.result());
    return e.status();
  } catch (const std::bad_alloc&) {
    set_error(api, call, "out of memory");
    return RIFA_ERR_INTERNAL;
  } catch (const std::exception& e) {
    try {
      const std::string message = std::string("unexpected exception: ") + e.what();
      set_error(api, call, message.c_str());
    } catch (...) { set_error(api, call, e.what()); }
    return RIFA_ERR_INTERNAL;
  } catch (...) {
    set_error(api, call, "unexpected exception of unknown type");
    return RIFA_ERR_INTERNAL;
  }
}

inline std::string text_or_empty(const char* text) { return text ? std::string(text) : std::string(); }

// declares_<member><T, Base>: whether T (or a class between T and Base) declares the member. A
// pointer to a member T only inherits has Base's class type; when T overloads the name, &T::member
// is ambiguous and T is taken to declare it. Used to name the override a class lacks.
#define RIFA_SDK_DECLARES_TRAIT(member)                                \
  template <class T, class Base, class = void>                         \
  struct declares_##member : std::true_type {};                        \
  template <class T, class Base>                                       \
  struct declares_##member<T, Base, std::void_t<decltype(&T::member)>> \
      : std::bool_constant<!std::is_same_v<decltype(&T::member), decltype(&Base::member)>> {};
RIFA_SDK_DECLARES_TRAIT(fetch_draw)
RIFA_SDK_DECLARES_TRAIT(parse_page)
RIFA_SDK_DECLARES_TRAIT(schedule)
RIFA_SDK_DECLARES_TRAIT(create_payment)
RIFA_SDK_DECLARES_TRAIT(verify_webhook)
RIFA_SDK_DECLARES_TRAIT(get_payment)
RIFA_SDK_DECLARES_TRAIT(refund)
RIFA_SDK_DECLARES_TRAIT(payout)
RIFA_SDK_DECLARES_TRAIT(deliver)
#undef RIFA_SDK_DECLARES_TRAIT

// A lottery without schedule() makes the host ask every day; a class says so on purpose with
// `static constexpr bool kPublishesNoSchedule = true;`.
template <class T, class = void>
struct publishes_no_schedule : std::false_type {};
template <class T>
struct publishes_no_schedule<T, std::void_t<decltype(T::kPublishesNoSchedule)>>
    : std::bool_constant<T::kPublishesNoSchedule> {};

// The compile-time messages of RIFA_PLUGIN: each names what to write. Only the checks of T's kind
// are instantiated.
template <class T>
constexpr bool check_plugin_class() {
  static_assert(std::is_base_of_v<PluginBase, T>,
                "RIFA_PLUGIN: the class must derive from rifa::sdk::LotteryPlugin, rifa::sdk::PaymentPlugin or "
                "rifa::sdk::NotifierPlugin (class MyPlugin final : public rifa::sdk::LotteryPlugin { ... })");
  if constexpr (std::is_base_of_v<LotteryPlugin, T>) {
    static_assert(declares_fetch_draw<T, LotteryPlugin>::value,
                  "RIFA_PLUGIN: the lottery class is abstract: it does not override fetch_draw. Add "
                  "`rifa::sdk::DrawAnswer fetch_draw(const std::string& date_iso) override;` (a lottery implements "
                  "every pure virtual of rifa::sdk::LotteryPlugin: fetch_draw, parse_page)");
    static_assert(declares_parse_page<T, LotteryPlugin>::value,
                  "RIFA_PLUGIN: the lottery class is abstract: it does not override parse_page. Add "
                  "`rifa::sdk::DrawAnswer parse_page(const std::string& date_iso, const std::string& url, const "
                  "std::string& body) override;` (a lottery implements every pure virtual of "
                  "rifa::sdk::LotteryPlugin: fetch_draw, parse_page)");
    static_assert(publishes_no_schedule<T>::value || declares_schedule<T, LotteryPlugin>::value,
                  "RIFA_PLUGIN: the lottery class has no schedule(). Add `std::string schedule() override { return "
                  "R\"({\"timezone\": \"America/Bogota\", \"days\": [\"thursday\"], \"time\": \"22:30\", "
                  "\"publish_delay_minutes\": 60})\"; }` (the host and the conformance kit read the draw days from "
                  "it), or declare `static constexpr bool kPublishesNoSchedule = true;` to make the host ask daily");
  } else if constexpr (std::is_base_of_v<PaymentPlugin, T>) {
    static_assert(declares_create_payment<T, PaymentPlugin>::value,
                  "RIFA_PLUGIN: the payment class is abstract: it does not override create_payment. Add "
                  "`std::string create_payment(const std::string& request_json) override;` (a payment plugin "
                  "implements every pure virtual of rifa::sdk::PaymentPlugin: create_payment, verify_webhook, "
                  "get_payment, refund, payout)");
    static_assert(declares_verify_webhook<T, PaymentPlugin>::value,
                  "RIFA_PLUGIN: the payment class is abstract: it does not override verify_webhook. Add "
                  "`std::string verify_webhook(const std::string& method, const std::string& headers, const "
                  "std::string& body) override;`");
    static_assert(declares_get_payment<T, PaymentPlugin>::value,
                  "RIFA_PLUGIN: the payment class is abstract: it does not override get_payment. Add "
                  "`std::string get_payment(const std::string& provider_ref) override;`");
    static_assert(declares_refund<T, PaymentPlugin>::value,
                  "RIFA_PLUGIN: the payment class is abstract: it does not override refund. Add "
                  "`std::string refund(const std::string& request_json) override;`");
    static_assert(declares_payout<T, PaymentPlugin>::value,
                  "RIFA_PLUGIN: the payment class is abstract: it does not override payout. Add "
                  "`std::string payout(const std::string& request_json) override;`");
  } else if constexpr (std::is_base_of_v<NotifierPlugin, T>) {
    static_assert(declares_deliver<T, NotifierPlugin>::value,
                  "RIFA_PLUGIN: the notifier class is abstract: it does not override deliver. Add "
                  "`void deliver(const std::string& event_json) override;`");
  }
  static_assert(!std::is_abstract_v<T>,
                "RIFA_PLUGIN: the class is abstract: it leaves a pure virtual of its base without an override "
                "(see the base class in rifa/sdk/lottery.hpp, payment.hpp or notifier.hpp)");
  static_assert(std::is_abstract_v<T> || std::is_constructible_v<T, Host, std::string, std::string>,
                "RIFA_PLUGIN: the class needs a constructor (rifa::sdk::Host, std::string instance_id, "
                "std::string config_json) passing them to its base: MyPlugin(rifa::sdk::Host host, std::string id, "
                "std::string config) : LotteryPlugin(host, std::move(id), std::move(config)) {}");
  return true;
}

template <class T>
struct Exports {
  static_assert(check_plugin_class<T>());

  static T* self(void* instance) noexcept { return static_cast<T*>(instance); }
  static const rifa_host_api* api_of(void* instance) noexcept {
    return instance ? self(instance)->host().api() : nullptr;
  }

  /// Calls `fn(T&)` on a live instance inside CallScope and guarded().
  template <class Fn>
  static rifa_status on_instance(void* instance, rifa_call* call, Fn&& fn) noexcept {
    if (!instance) return RIFA_ERR_INVALID_ARGUMENT;  // no instance, so no api to report through
    CallScope scope(call);
    return guarded(api_of(instance), call, [&]() -> rifa_status { return fn(*self(instance)); });
  }

  static rifa_status create(const rifa_host_api* api, rifa_host* host, const char* instance_id, const char* config_json,
                            rifa_call* call, void** out_instance) noexcept {
    // The host's table must hold ABI 1.0's functions, all of which Host uses (sdk/ABI.md, "Growth
    // rule"); a shorter one cannot even carry an error message.
    if (api && api->struct_size < abi::v1_0::host_api) return RIFA_ERR_INVALID_ARGUMENT;
    CallScope scope(call);
    return guarded(api, call, [&]() -> rifa_status {
      if (!api || !host || !out_instance)
        throw Error(RIFA_ERR_INVALID_ARGUMENT, "create: NULL api, host or out_instance");
      *out_instance = nullptr;
      if constexpr (!std::is_abstract_v<T>) {  // an abstract T already stopped the build with a message
        auto plugin = std::make_unique<T>(Host(api, host), text_or_empty(instance_id),
                                          config_json ? std::string(config_json) : std::string("{}"));
        *out_instance = plugin.release();
      }
      return RIFA_OK;
    });
  }

  static void destroy(void* instance) noexcept {
    // A destructor that throws is a bug; swallowing keeps the host alive.
    try {
      delete self(instance);
    } catch (...) {}
  }

  static rifa_status answer(T& plugin, rifa_call* call, const DrawAnswer& draw) {
    if (draw.published()) {
      set_result(plugin.host().api(), call, draw.result_json());
      return RIFA_OK;
    }
    if (!draw.reason().empty()) set_error(plugin.host().api(), call, draw.reason().c_str());
    return RIFA_NOT_PUBLISHED;
  }

  static rifa_status reply(T& plugin, rifa_call* call, const std::string& json) {
    set_result(plugin.host().api(), call, json);
    return RIFA_OK;
  }

  // Lottery.
  static rifa_status fetch_draw(void* instance, const char* date_iso, rifa_call* call) noexcept {
    return on_instance(instance, call, [&](T& p) { return answer(p, call, p.fetch_draw(text_or_empty(date_iso))); });
  }
  static rifa_status parse_page(void* instance, const char* date_iso, const char* url, const char* body,
                                size_t body_len, rifa_call* call) noexcept {
    return on_instance(instance, call, [&](T& p) {
      const std::string text = (body && body_len) ? std::string(body, body_len) : std::string();
      return answer(p, call, p.parse_page(text_or_empty(date_iso), text_or_empty(url), text));
    });
  }
  static rifa_status schedule(void* instance, rifa_call* call) noexcept {
    return on_instance(instance, call, [&](T& p) { return reply(p, call, p.schedule()); });
  }
  static rifa_status draw_dates(void* instance, const char* from_iso, const char* to_iso, rifa_call* call) noexcept {
    return on_instance(instance, call, [&](T& p) {
      return reply(p, call, p.draw_dates(text_or_empty(from_iso), text_or_empty(to_iso)));
    });
  }

  // Payment.
  static rifa_status create_payment(void* instance, const char* request_json, rifa_call* call) noexcept {
    return on_instance(instance, call,
                       [&](T& p) { return reply(p, call, p.create_payment(text_or_empty(request_json))); });
  }
  static rifa_status verify_webhook(void* instance, const char* method, const char* headers, const char* body,
                                    size_t body_len, rifa_call* call) noexcept {
    return on_instance(instance, call, [&](T& p) {
      const std::string text = (body && body_len) ? std::string(body, body_len) : std::string();
      return reply(p, call, p.verify_webhook(text_or_empty(method), text_or_empty(headers), text));
    });
  }
  static rifa_status get_payment(void* instance, const char* provider_ref, rifa_call* call) noexcept {
    return on_instance(instance, call,
                       [&](T& p) { return reply(p, call, p.get_payment(text_or_empty(provider_ref))); });
  }
  static rifa_status refund(void* instance, const char* request_json, rifa_call* call) noexcept {
    return on_instance(instance, call, [&](T& p) { return reply(p, call, p.refund(text_or_empty(request_json))); });
  }
  static rifa_status payout(void* instance, const char* request_json, rifa_call* call) noexcept {
    return on_instance(instance, call, [&](T& p) { return reply(p, call, p.payout(text_or_empty(request_json))); });
  }

  // Notifier.
  static rifa_status deliver(void* instance, const char* event_json, rifa_call* call) noexcept {
    return on_instance(instance, call, [&](T& p) {
      p.deliver(text_or_empty(event_json));
      return RIFA_OK;
    });
  }
};

template <class T>
constexpr rifa_plugin_kind kind_of() {
  if constexpr (std::is_base_of_v<LotteryPlugin, T>) {
    return RIFA_KIND_LOTTERY;
  } else if constexpr (std::is_base_of_v<PaymentPlugin, T>) {
    return RIFA_KIND_PAYMENT;
  } else if constexpr (std::is_base_of_v<NotifierPlugin, T>) {
    return RIFA_KIND_NOTIFIER;
  } else {
    return RIFA_KIND_INVALID;
  }
}

// Only the vtable of T's kind is instantiated: the others would name methods T does not have.
template <class T>
const rifa_lottery_vtable* lottery_vtable_of() noexcept {
  if constexpr (kind_of<T>() == RIFA_KIND_LOTTERY) {
    static const rifa_lottery_vtable vtable = {sizeof(rifa_lottery_vtable), &Exports<T>::fetch_draw,
                                               &Exports<T>::parse_page, &Exports<T>::schedule, &Exports<T>::draw_dates};
    return &vtable;
  } else {
    return nullptr;
  }
}

template <class T>
const rifa_payment_vtable* payment_vtable_of() noexcept {
  if constexpr (kind_of<T>() == RIFA_KIND_PAYMENT) {
    static const rifa_payment_vtable vtable = {sizeof(rifa_payment_vtable), &Exports<T>::create_payment,
                                               &Exports<T>::verify_webhook, &Exports<T>::get_payment,
                                               &Exports<T>::refund,         &Exports<T>::payout};
    return &vtable;
  } else {
    return nullptr;
  }
}

template <class T>
const rifa_notifier_vtable* notifier_vtable_of() noexcept {
  if constexpr (kind_of<T>() == RIFA_KIND_NOTIFIER) {
    static const rifa_notifier_vtable vtable = {sizeof(rifa_notifier_vtable), &Exports<T>::deliver};
    return &vtable;
  } else {
    return nullptr;
  }
}

/// The static manifest of plugin class T. The strings must have static storage (literals).
template <class T>
const rifa_plugin_manifest* manifest_of(const char* name, const char* version, const char* description,
                                        const char* config_schema_json) noexcept {
  static const rifa_plugin_manifest manifest = {
      sizeof(rifa_plugin_manifest),
      RIFA_ABI_VERSION_MAJOR,
      RIFA_ABI_VERSION_MINOR,
      kind_of<T>(),
      T::kPluginFlags,
      name,
      version,
      description,
      config_schema_json,
      &Exports<T>::create,
      &Exports<T>::destroy,
      lottery_vtable_of<T>(),
      payment_vtable_of<T>(),
      notifier_vtable_of<T>(),
  };
  return &manifest;
}

}  // namespace rifa::sdk::internal

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif
