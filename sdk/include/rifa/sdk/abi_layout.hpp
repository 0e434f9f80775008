#pragma once
/// @file
/// The ABI's growth rule as code, for whoever reads a struct the other side wrote (the host reading
/// a plugin's manifest, vtables and HTTP structs; a plugin reading the host's rifa_host_api).
///
///  - `v1_0::...` is the ABI 1.0 layout of each struct: the smallest struct_size a reader
///    accepts. A smaller one is refused, naming the struct, the size given and the size needed.
///  - read_covered() copies only the bytes the writer's struct_size covers into a zero-filled
///    struct of the reader's own layout, as OBS does with its info structs: a field appended after
///    the writer was built reads as absent (a NULL pointer, 0), never as bytes past the writer's
///    struct.
///
/// See sdk/ABI.md, "Growth rule". Plain C++17, header-only, no ABI change: abi.h stays the contract.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "rifa/sdk/abi.h"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

namespace rifa::sdk::abi {

/// Where `member` ends in its struct: the struct_size a writer must give for it to be present.
#define RIFA_SDK_FIELD_END(type, member) static_cast<uint32_t>(offsetof(type, member) + sizeof(decltype(type::member)))

/// The ABI 1.0 layout of every struct that starts with struct_size: the last 1.0 field's end.
namespace v1_0 {
inline constexpr uint32_t manifest = RIFA_SDK_FIELD_END(rifa_plugin_manifest, notifier);
inline constexpr uint32_t lottery_vtable = RIFA_SDK_FIELD_END(rifa_lottery_vtable, schedule);
inline constexpr uint32_t payment_vtable = RIFA_SDK_FIELD_END(rifa_payment_vtable, payout);
inline constexpr uint32_t notifier_vtable = RIFA_SDK_FIELD_END(rifa_notifier_vtable, deliver);
inline constexpr uint32_t http_request = RIFA_SDK_FIELD_END(rifa_http_request, timeout_ms);
inline constexpr uint32_t http_response = RIFA_SDK_FIELD_END(rifa_http_response, host_private);
inline constexpr uint32_t host_api = RIFA_SDK_FIELD_END(rifa_host_api, call_set_error);
}  // namespace v1_0

/// The fields a reader may need from a plugin's manifest before it knows the version.
inline constexpr uint32_t kManifestVersionEnd = RIFA_SDK_FIELD_END(rifa_plugin_manifest, abi_minor);

/// `theirs` as the reader's layout: the bytes inside theirs.struct_size, then zeros. The copy's
/// struct_size stays the writer's, so RIFA_HAS_FIELD on the copy still says what the writer knew.
template <class T>
T read_covered(const T& theirs) noexcept {
  T ours{};
  std::memcpy(static_cast<void*>(&ours), static_cast<const void*>(&theirs),
              std::min<size_t>(theirs.struct_size, sizeof(T)));
  return ours;
}

/// Writes `ours` into `theirs` only as far as theirs.struct_size reaches; theirs.struct_size is
/// kept. For a struct the other side allocated and the reader fills (rifa_http_response).
template <class T>
void write_covered(T& theirs, T ours) noexcept {
  ours.struct_size = theirs.struct_size;
  std::memcpy(static_cast<void*>(&theirs), static_cast<const void*>(&ours),
              std::min<size_t>(theirs.struct_size, sizeof(T)));
}

/// "lottery vtable struct_size 16 is smaller than ABI 1.0's lottery vtable (32 bytes)", or ""
/// when `given` reaches `needed`.
inline std::string size_problem(const char* what, uint32_t given, uint32_t needed) {
  if (given >= needed) return std::string();
  return std::string(what) + " struct_size " + std::to_string(given) + " is smaller than ABI 1.0's " + what + " (" +
         std::to_string(needed) + " bytes)";
}

}  // namespace rifa::sdk::abi

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif
