/*
 * Rifa1122 plugin ABI — the only header the host and a plugin must agree on.
 *
 * Pure C (C99). Read sdk/ABI.md for the compatibility policy and the ownership rules; the short
 * version:
 *
 *  - A plugin exports exactly one symbol, RIFA_PLUGIN_ENTRY_SYMBOL ("rifa_plugin_manifest_v1"),
 *    a function returning a pointer to a static rifa_plugin_manifest.
 *  - The host loads a plugin when the majors are equal and host minor >= plugin minor.
 *  - Every struct starts with `struct_size` (its sizeof as the writer compiled it). Fields are only
 *    ever appended; a reader checks that a field lies inside struct_size before touching it
 *    (RIFA_HAS_FIELD).
 *  - Strings are UTF-8 and NUL-terminated unless a length is given next to them. Open-ended data
 *    (configs, draw results, payment requests) travels as JSON text.
 *  - Memory is freed by the side that allocated it. A plugin returns results and error messages by
 *    handing bytes to the host (rifa_host_api.call_set_result / call_set_error), which copies them.
 *    Host-owned data given to a plugin (an HTTP response) is released through the host API.
 *  - No C++ type, exception or allocator crosses this boundary.
 *
 * Name prefixes say who implements what: rifa_plugin_* / rifa_*_vtable are implemented by the
 * plugin; rifa_host_api is implemented by the host.
 */
#ifndef RIFA_SDK_ABI_H
#define RIFA_SDK_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** ABI version of this header. Bump MINOR when appending fields or enum values; bump MAJOR for
 *  anything else. tests/plugin_abi checks that this header never changes without a bump. */
#define RIFA_ABI_VERSION_MAJOR 1
#define RIFA_ABI_VERSION_MINOR 1

/** Name of the single symbol every plugin exports. */
#define RIFA_PLUGIN_ENTRY_SYMBOL "rifa_plugin_manifest_v1"

/** Visibility for the entry symbol (plugins are built with -fvisibility=hidden). */
#if defined(_WIN32)
#define RIFA_PLUGIN_EXPORT __declspec(dllexport)
#else
#define RIFA_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/** True when a struct written with size `obj_ptr->struct_size` contains `field`. */
#define RIFA_HAS_FIELD(type, obj_ptr, field) \
  ((obj_ptr)->struct_size >= offsetof(type, field) + sizeof(((type*)0)->field))

/** Outcome of every call across the boundary. Values are fixed forever; new ones are appended.
 *  Anything but RIFA_OK and RIFA_NOT_PUBLISHED should come with a message set through
 *  rifa_host_api.call_set_error. */
typedef enum rifa_status {
  RIFA_OK = 0,
  /** Lottery: the draw for that date is not published yet (a normal answer; ask again later). */
  RIFA_NOT_PUBLISHED = 1,
  /** The caller passed something malformed (bad JSON, missing field, bad date). */
  RIFA_ERR_INVALID_ARGUMENT = 100,
  /** The instance config was refused (schema or semantic check). */
  RIFA_ERR_CONFIG = 101,
  /** A page or response could not be understood (layout changed): the message names what was
   *  missing. Never answer with a guessed value instead. */
  RIFA_ERR_PARSE = 102,
  /** Network failure talking to the outside world (connect, TLS, DNS, HTTP 5xx). */
  RIFA_ERR_TRANSPORT = 103,
  /** The outside world did not answer within the timeout. */
  RIFA_ERR_TIMEOUT = 104,
  /** Payment: the provider declined (the message says why, for the end user). */
  RIFA_ERR_DECLINED = 105,
  /** Payment: a webhook's signature is missing, forged or stale. */
  RIFA_ERR_SIGNATURE = 106,
  /** The referenced object (payment, draw) does not exist. */
  RIFA_ERR_NOT_FOUND = 107,
  /** This plugin does not implement that operation. */
  RIFA_ERR_UNSUPPORTED = 108,
  /** Lottery: a result was read but fails validation (wrong date, number out of range, repeated
   *  balls, inconsistent draw number). It must not be used. */
  RIFA_ERR_VALIDATION = 109,
  /** Replay mode: the plugin made a request that was never recorded. */
  RIFA_ERR_NOT_RECORDED = 110,
  /** A bug or an unexpected failure inside the plugin (e.g. a caught C++ exception). */
  RIFA_ERR_INTERNAL = 199
} rifa_status;

/** What a plugin is. Zero is never valid. */
typedef enum rifa_plugin_kind {
  RIFA_KIND_INVALID = 0,
  RIFA_KIND_LOTTERY = 1,
  RIFA_KIND_PAYMENT = 2,
  RIFA_KIND_NOTIFIER = 3
} rifa_plugin_kind;

typedef enum rifa_log_level {
  RIFA_LOG_INVALID = 0,
  RIFA_LOG_DEBUG = 1,
  RIFA_LOG_INFO = 2,
  RIFA_LOG_WARN = 3,
  RIFA_LOG_ERROR = 4
} rifa_log_level;

/** Manifest flags. */
enum {
  /** The host calls this instance from one thread at a time. Without it the plugin promises that
   *  an instance is safe to call from several threads at once. */
  RIFA_PLUGIN_FLAG_SERIALIZED = 1u << 0
};

/** Opaque host handle for one plugin instance (logging tag, transport, recorder). */
typedef struct rifa_host rifa_host;
/** Opaque host object for one call: where the plugin puts its result and error message. */
typedef struct rifa_call rifa_call;

/** An outgoing HTTP request. All pointers are owned by the plugin and only read during the call. */
typedef struct rifa_http_request {
  uint32_t struct_size;
  /** "GET", "POST", ... */
  const char* method;
  /** Absolute http:// or https:// URL. */
  const char* url;
  /** Extra request headers, "Name: value" lines separated by "\n"; may be NULL. */
  const char* headers;
  /** Request body (may be NULL when body_len is 0). */
  const char* body;
  size_t body_len;
  /** Whole-exchange timeout; 0 means the host's default for this instance. */
  uint32_t timeout_ms;
} rifa_http_request;

/** An HTTP response filled by the host. Its pointers are owned by the host and stay valid until
 *  the plugin passes the struct to rifa_host_api.http_response_release (exactly once). */
typedef struct rifa_http_response {
  uint32_t struct_size;
  /** HTTP status code (200, 404, ...). */
  int32_t status;
  /** URL after redirects. NUL-terminated. */
  const char* effective_url;
  /** Response headers, "name: value" lines separated by "\n", names lower-cased. */
  const char* headers;
  /** Response body (not NUL-terminated in general; body[body_len] is a NUL added by the host). */
  const char* body;
  size_t body_len;
  /** Reserved for the host. */
  void* host_private;
} rifa_http_response;

/**
 * Services the host gives each plugin instance. Stable for the life of the instance; safe to call
 * from any thread, including threads the plugin starts itself (e.g. to send a delayed webhook),
 * until destroy returns.
 */
typedef struct rifa_host_api {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;

  /** Log a message (UTF-8, `len` bytes) into the host's log, tagged with the instance id. */
  void (*log)(rifa_host* host, rifa_log_level level, const char* message, size_t len);

  /** The host's clock: Unix time in milliseconds (tests inject a fixed clock). */
  int64_t (*now_unix_ms)(rifa_host* host);

  /**
   * Perform an HTTP exchange through the host's transport (timeouts, retries, egress allow-list,
   * metrics, record/replay). On RIFA_OK `response` is filled (any HTTP status, including 4xx/5xx)
   * and must be released. On failure (RIFA_ERR_TRANSPORT, RIFA_ERR_TIMEOUT, RIFA_ERR_NOT_RECORDED,
   * RIFA_ERR_INVALID_ARGUMENT) nothing needs releasing and `error_call`, when not NULL, receives
   * the reason as its error message.
   */
  rifa_status (*http_request)(rifa_host* host, const rifa_http_request* request,
                              rifa_http_response* response, rifa_call* error_call);

  /** Give back a response filled by http_request. */
  void (*http_response_release)(rifa_host* host, rifa_http_response* response);

  /** Set the result of the current call (JSON text, copied by the host). Last call wins. */
  void (*call_set_result)(rifa_call* call, const char* data, size_t len);

  /** Set the error message of the current call (UTF-8, copied by the host). Last call wins. */
  void (*call_set_error)(rifa_call* call, const char* message, size_t len);
} rifa_host_api;

/**
 * Lottery plugin operations. Results are JSON objects of this shape:
 *
 *   { "date": "2026-01-22",            the draw date (America/Bogota), equal to the date asked for
 *     "draw_number": "2830",           the sorteo, digits as text
 *     "numbers": ["0042"],             main number(s), digit strings with leading zeros kept
 *     "series": "007",                 optional, digit string
 *     "extra": {"superbalota": "05"},  optional, lottery-specific named values (digit strings)
 *     "secondary": [{"name": "seco", "number": "1234", "series": "045", "prize_cents": 0}],
 *     "source_url": "https://...",     where the result was read
 *     "raw_sha256": "hex" }            SHA-256 of the raw page or response body it was read from
 */
typedef struct rifa_lottery_vtable {
  uint32_t struct_size;
  /** Fetch the result of the draw held on `date_iso` ("YYYY-MM-DD"). RIFA_OK with a result,
   *  RIFA_NOT_PUBLISHED, or an error. */
  rifa_status (*fetch_draw)(void* instance, const char* date_iso, rifa_call* call);
  /** Parse one page or response body the plugin would have fetched (replay and conformance).
   *  `url` is where it came from. Same answers as fetch_draw. */
  rifa_status (*parse_page)(void* instance, const char* date_iso, const char* url, const char* body,
                            size_t body_len, rifa_call* call);
  /** The draw schedule as JSON: {"timezone": "America/Bogota", "days": ["thursday"],
   *  "time": "22:30", "publish_delay_minutes": 60}. May be NULL (the host then asks daily). */
  rifa_status (*schedule)(void* instance, rifa_call* call);
  /**
   * Since 1.1 (check RIFA_HAS_FIELD(rifa_lottery_vtable, vtable, draw_dates); may also be NULL).
   * The draws the lottery holds on the dates from `from_iso` to `to_iso` ("YYYY-MM-DD", both
   * inclusive, America/Bogota) by its own calendar: holidays, draws moved to another day of the
   * week and rule changes included. RIFA_OK with a JSON array in date order, one element a draw:
   *   [{"date": "2025-12-26", "time": "22:30", "timezone": "America/Bogota"}, ...]
   * ("time" is the local draw time HH:MM; an empty array when no draw falls in the range).
   * RIFA_ERR_INVALID_ARGUMENT for a malformed or reversed range; a plugin may refuse a range longer
   * than 400 days the same way (the host never asks for more). RIFA_ERR_UNSUPPORTED (or an absent
   * or NULL pointer) makes the host fall back to schedule()'s weekdays.
   */
  rifa_status (*draw_dates)(void* instance, const char* from_iso, const char* to_iso, rifa_call* call);
} rifa_lottery_vtable;

/**
 * Payment plugin operations. Amounts are integer cents. Requests and results are JSON:
 *   create_payment  in  {"amount_cents", "currency", "idempotency_key", "description", "metadata"}
 *                   out {"provider_ref", "status": "pending"|"succeeded"|"failed", "reason"?,
 *                        "checkout_url"?}
 *   verify_webhook  out {"event_id", "provider_ref", "status", "type"?, "amount_cents"?, "currency"?,
 *                        "reason"?}   (RIFA_ERR_SIGNATURE when the signature is missing, forged or
 *                        stale). "amount_cents" (integer) and "currency" (ISO 4217), when the
 *                        provider's event carries them, are what the provider says was paid: the
 *                        host compares them with the transaccion and refuses a confirmation that
 *                        differs.
 *   get_payment     out {"provider_ref", "status", "amount_cents", "currency", "reason"?}
 *   refund          in  {"provider_ref", "amount_cents", "idempotency_key"}  out {"refund_ref", "status"}
 *   payout          in  {"amount_cents", "currency", "idempotency_key", "beneficiary": {...}}
 *                   out {"payout_ref", "status"}. Must be idempotent per idempotency_key.
 * A declined payment is RIFA_ERR_DECLINED with the reason as the error message.
 */
typedef struct rifa_payment_vtable {
  uint32_t struct_size;
  rifa_status (*create_payment)(void* instance, const char* request_json, rifa_call* call);
  /** `headers` as "name: value" lines separated by "\n" (names lower-cased); body as received. */
  rifa_status (*verify_webhook)(void* instance, const char* method, const char* headers,
                                const char* body, size_t body_len, rifa_call* call);
  rifa_status (*get_payment)(void* instance, const char* provider_ref, rifa_call* call);
  rifa_status (*refund)(void* instance, const char* request_json, rifa_call* call);
  rifa_status (*payout)(void* instance, const char* request_json, rifa_call* call);
} rifa_payment_vtable;

/**
 * Notifier plugin operations. The event is JSON:
 *   {"event_id", "type": "rifa_opened"|"rifa_closed"|"ticket_sold"|"result_published"|"winner"|
 *    "payout_sent"|"payout_failed", "occurred_at", "rifa_id", "data": {...}}
 * A failure is retried later by the host's job queue, so delivery should tolerate repeats of the
 * same event_id.
 */
typedef struct rifa_notifier_vtable {
  uint32_t struct_size;
  rifa_status (*deliver)(void* instance, const char* event_json, rifa_call* call);
} rifa_notifier_vtable;

/**
 * What the entry symbol returns. Static storage owned by the plugin, valid while the library is
 * loaded. The first three fields never move, so a host of any version can read the ABI version.
 */
typedef struct rifa_plugin_manifest {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;

  rifa_plugin_kind kind;
  uint32_t flags;
  /** Short machine name, e.g. "bogota". */
  const char* name;
  /** The plugin's own version, e.g. "1.2.0". */
  const char* version;
  /** One line for humans. */
  const char* description;
  /** JSON Schema (the subset in sdk/ABI.md) of the instance config; the host validates the config
   *  against it before calling create. NULL means "an object with no properties". */
  const char* config_schema_json;

  /**
   * Create an instance. `api` and `host` stay valid until destroy. `config_json` has already been
   * validated against the schema. On success store the instance in *out_instance and return
   * RIFA_OK; on failure return an error with a message set on `call` (*out_instance is ignored).
   */
  rifa_status (*create)(const rifa_host_api* api, rifa_host* host, const char* instance_id,
                        const char* config_json, rifa_call* call, void** out_instance);
  /** Destroy an instance created by create. Called once, after every other call returned. */
  void (*destroy)(void* instance);

  /** Exactly the vtable for `kind` is non-NULL. */
  const rifa_lottery_vtable* lottery;
  const rifa_payment_vtable* payment;
  const rifa_notifier_vtable* notifier;
} rifa_plugin_manifest;

/** Signature of the entry symbol. */
typedef const rifa_plugin_manifest* (*rifa_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* RIFA_SDK_ABI_H */
