#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

#include "rifa/sdk/abi.h"

namespace rifa::app {

// Recorded cases of a notifier plugin (sdk/docs/CASES.md, "Notifier cases"; fixtures/notifiers/):
// each folder holds a case.json and, for a plugin that speaks HTTP through the host, a cassette
// (exchanges.json + body files: the receiver's answers). A plugin that speaks SMTP itself is
// replayed by a loopback SMTP responder the kit starts (app/smtp_responder.hpp), playing the
// case's recorded replies; "{{smtp_port}}" in the config's strings becomes its port.
//
//   {"version": 1, "library": "notifier_webhook", "config": {...}, "now": "2026-01-23T14:00:00.000Z",
//    "description": "...",
//    "smtp": {"refuse_connection": false, "sessions": [{"replies": {"rcpt": "550 5.1.1 ..."}} | {"silent": true}]},
//    "steps": [{"event": {...the event deliver() is given...},
//               "expected": {"outcome": "delivered" | "retry" | "permanent", "status": "transport",
//                            "retry_after_s": 120 | null, "error_contains": "...", "because": "...",
//                            "http": [{"method", "url", "headers": {...}, "body_json": {...},
//                                      "standard_webhooks_secret": "whsec_..."}],
//                            "smtp": {"sessions": 1, "mail_from": "<...>" | null, "rcpt_to": [...],
//                                     "message": true, "headers": {...}, "text_contains": [...]}}}]}
//
// What a step does not list did not happen: no "http" means no HTTP request, no "smtp" no SMTP
// session. Every step also fails when the plugin sent an HTTP request the cassette does not hold
// (a different URL or body), whatever it answered.
struct NotifierCaseOptions {
  // The library under `plugins check`: only the cases naming it run, the others are skipped.
  std::optional<std::filesystem::path> library_override;
};

// How the host takes a deliver() status: delivered (RIFA_OK), permanent (RIFA_ERR_DECLINED,
// RIFA_ERR_INVALID_ARGUMENT: the event is given up) or retry (anything else: the job queue tries
// again later).
const char* notifier_outcome_name(rifa_status status);

// Runs every case under `root`, prints one line per case (a failure says what the plugin should
// have done) and returns the number of failures. A case naming another library is a SKIP; none
// for the library under check is a failure.
int run_notifier_cases(const std::filesystem::path& root, const NotifierCaseOptions& options, std::ostream& out);

}  // namespace rifa::app
