#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace rifa {

// One closed set of error codes. Numbers are fixed and never reused; api/ maps each to an HTTP
// status and a problem+json `type` in one table.
enum class ErrorCode : int32_t {
  kInternal = 1,          // a bug or an unexpected infrastructure failure: log it, answer 500
  kInvalidArgument = 2,   // the caller sent something malformed: fix the request
  kNotFound = 3,          // the referenced object does not exist
  kConflict = 4,          // the current state forbids it (sold out, rifa closed, key in flight)
  kUnauthenticated = 5,   // no valid credentials
  kPermissionDenied = 6,  // credentials valid, role too low
  kUnavailable = 7,       // a dependency is down: retry later
  kConfigInvalid = 8,     // the YAML config or a plugin config was refused
  kPluginLoad = 9,        // a plugin library could not be loaded or failed its checks
  kDatabase = 10,         // the database refused or failed
  kMigration = 11,        // a migration failed or an applied one was edited
  kNotPublished = 12,     // a lottery draw is not published yet: wait and ask again
  kParse = 13,            // a lottery page could not be understood
  kValidation = 14,       // a lottery result failed validation and must not be used
  kPaymentDeclined = 15,  // the payment provider declined
  kSignature = 16,        // a webhook signature is missing, forged or stale
  kTimeout = 17,          // an outside call timed out
  kNotRecorded = 18,      // replay mode: the request was never recorded
  kUnsupported = 19,      // the plugin does not implement that operation
  kRateLimited = 20,      // too many requests from this client: wait Error::retry_after_s and retry
};

const char* to_string(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  int retry_after_s = 0;  // > 0: when the caller may try again (HTTP Retry-After)
  // The request member the error is about ("quantity", "reglas.tiers[1].share_bp"), or empty: the
  // problem+json `field`. Set by make_field_error; never recovered from the message.
  std::string field{};
};

// A value or an Error. Domain outcomes travel as Result; exceptions are for bugs and
// infrastructure failures.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit on purpose
  Result(Error error) : state_(std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

inline Error make_error(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

// An error about one request member: `field` is carried as data, and the message reads
// "<field>: <message>" for whoever reads it as text (logs, problem+json `detail`).
inline Error make_field_error(ErrorCode code, std::string field, const std::string& message) {
  std::string text = field + ": " + message;
  return Error{code, std::move(text), 0, std::move(field)};
}

}  // namespace rifa
