#include "app/notifier_cases.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "app/logging.hpp"
#include "app/lottery_cases.hpp"
#include "app/smtp_responder.hpp"
#include "engine/iso_time.hpp"
#include "plugin_runtime/cassette.hpp"
#include "plugin_runtime/plugin_instance.hpp"

namespace rifa::app {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return text;
}

std::string base64_decode(const std::string& text) {
  std::string clean;
  for (char c : text) {
    if (c != '\r' && c != '\n' && c != ' ') clean += c;
  }
  if (clean.empty() || clean.size() % 4 != 0) return "";
  std::string out(clean.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(clean.data()), static_cast<int>(clean.size()));
  if (n < 0) return "";
  size_t padding = 0;
  for (size_t i = clean.size(); i > 0 && clean[i - 1] == '='; --i) ++padding;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

std::string base64_encode(const std::string& data) {
  std::string out(4 * ((data.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// Standard Webhooks (spec v1), verified here independently of any plugin's code: webhook-id and
// webhook-timestamp present, the timestamp within 5 minutes of the plugin's clock, and one of the
// space-separated "v1,<base64>" signatures equal to HMAC-SHA256(key, id.timestamp.body).
std::string verify_standard_webhooks(const std::string& secret, const std::map<std::string, std::string>& headers,
                                     const std::string& body, int64_t now_ms) {
  const auto header = [&](const char* name) {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  };
  const std::string id = header("webhook-id");
  const std::string timestamp = header("webhook-timestamp");
  const std::string signatures = header("webhook-signature");
  if (id.empty()) return "no webhook-id header (the event_id, the same on every retry)";
  if (timestamp.empty() || timestamp.find_first_not_of("0123456789") != std::string::npos) {
    return "webhook-timestamp should be Unix seconds, got '" + timestamp + "'";
  }
  const int64_t skew_s = std::stoll(timestamp) - now_ms / 1000;
  if (skew_s > 300 || skew_s < -300) {
    return "webhook-timestamp " + timestamp + " is " + std::to_string(skew_s) +
           " s away from the host's clock (host().now_unix_ms()); receivers refuse more than 300 s";
  }
  if (signatures.empty()) return "no webhook-signature header";
  const std::string key = base64_decode(secret.rfind("whsec_", 0) == 0 ? secret.substr(6) : secret);
  const std::string content = id + "." + timestamp + "." + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(content.data()),
       content.size(), mac, &mac_size);
  const std::string want = "v1," + base64_encode(std::string(reinterpret_cast<char*>(mac), mac_size));
  std::istringstream list(signatures);
  for (std::string one; list >> one;) {
    if (one == want) return "";
  }
  return "no signature in webhook-signature ('" + signatures + "') verifies with the case's secret over " +
         "webhook-id.webhook-timestamp.body";
}

// "=?UTF-8?B?...?=" words decoded (what the email plugin writes for non-ASCII headers).
std::string decode_header(const std::string& value) {
  std::string out;
  size_t at = 0;
  while (at < value.size()) {
    const size_t open = value.find("=?", at);
    if (open == std::string::npos) break;
    const size_t q1 = value.find('?', open + 2);
    const size_t q2 = q1 == std::string::npos ? q1 : value.find('?', q1 + 1);
    const size_t close = q2 == std::string::npos ? q2 : value.find("?=", q2 + 1);
    if (close == std::string::npos || lower(value.substr(q1 + 1, q2 - q1 - 1)) != "b") break;
    out += value.substr(at, open - at) + base64_decode(value.substr(q2 + 1, close - q2 - 1));
    at = close + 2;
  }
  return out + value.substr(at);
}

// The mail's header fields (unfolded, names lower-cased, first occurrence) and its base64 parts
// decoded one after the other (the text of a multipart mail).
struct Mail {
  std::map<std::string, std::string> headers;
  std::string text;
};

Mail read_mail(const std::string& message) {
  Mail mail;
  const size_t end = message.find("\r\n\r\n");
  std::istringstream lines(message.substr(0, end));
  std::string name;
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !name.empty()) {
      mail.headers[name] += " " + line.substr(line.find_first_not_of(" \t"));
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    name = lower(line.substr(0, colon));
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    if (!mail.headers.count(name)) mail.headers[name] = value;
  }
  for (auto& [key, value] : mail.headers) value = decode_header(value);
  const std::string marker = "Content-Transfer-Encoding: base64\r\n\r\n";
  for (size_t at = message.find(marker); at != std::string::npos; at = message.find(marker, at)) {
    at += marker.size();
    const size_t stop = message.find("\r\n--", at);
    mail.text += base64_decode(message.substr(at, stop == std::string::npos ? std::string::npos : stop - at));
  }
  return mail;
}

// The host's transport as a case sees it: the cassette answers, and every request is kept so the
// step can judge what the plugin sent (and whether the cassette held it).
class WitnessTransport final : public plugin_runtime::HttpTransport {
 public:
  explicit WitnessTransport(std::shared_ptr<plugin_runtime::HttpTransport> inner) : inner_(std::move(inner)) {}
  Result<plugin_runtime::HttpResponse> perform(const plugin_runtime::HttpRequest& request) override {
    auto result = inner_->perform(request);
    std::lock_guard lock(mutex_);
    seen_.push_back({request, !result && result.error().code == ErrorCode::kNotRecorded});
    return result;
  }
  struct Seen {
    plugin_runtime::HttpRequest request;
    bool not_recorded = false;
  };
  std::vector<Seen> since(size_t from) {
    std::lock_guard lock(mutex_);
    return {seen_.begin() + static_cast<std::ptrdiff_t>(std::min(from, seen_.size())), seen_.end()};
  }
  size_t count() {
    std::lock_guard lock(mutex_);
    return seen_.size();
  }

 private:
  std::shared_ptr<plugin_runtime::HttpTransport> inner_;
  std::mutex mutex_;
  std::vector<Seen> seen_;
};

std::string should_text(const std::string& outcome) {
  if (outcome == "delivered") return "answer RIFA_OK (the receiver took the event)";
  if (outcome == "permanent") {
    return "answer RIFA_ERR_DECLINED (throw rifa::sdk::Error(RIFA_ERR_DECLINED, why)): the receiver refused the "
           "event for good, and the host gives it up instead of retrying";
  }
  return "answer RIFA_ERR_TRANSPORT or RIFA_ERR_TIMEOUT (throw rifa::sdk::Error(RIFA_ERR_TRANSPORT, why)): the event "
         "was not delivered but may be later, and the host's job queue tries again";
}

// Replaces "{{smtp_port}}" in every string of the config.
void substitute(json& value, const std::string& port) {
  if (value.is_string()) {
    std::string text = value.get<std::string>();
    for (size_t at; (at = text.find("{{smtp_port}}")) != std::string::npos;) text.replace(at, 13, port);
    value = text;
  } else if (value.is_structured()) {
    for (auto& item : value) substitute(item, port);
  }
}

using Verdict = CaseVerdict;

std::string check_http(const json& expected, const std::vector<WitnessTransport::Seen>& seen, int64_t now_ms) {
  const json list = expected.value("http", json::array());
  for (size_t i = 0; i < seen.size(); ++i) {
    if (seen[i].not_recorded) {
      return "HTTP request " + std::to_string(i + 1) + " (" + seen[i].request.method + " " + seen[i].request.url +
             ") is not in the cassette: the recorded receiver expected another URL or body (body sent: " +
             seen[i].request.body.substr(0, 300) + ")";
    }
  }
  if (seen.size() != list.size()) {
    std::string urls;
    for (const auto& s : seen) urls += (urls.empty() ? "" : ", ") + s.request.method + " " + s.request.url;
    return "expected " + std::to_string(list.size()) + " HTTP request(s), the plugin made " +
           std::to_string(seen.size()) + (urls.empty() ? "" : " (" + urls + ")") +
           (seen.size() > list.size() ? ": a redirect is not followed, and a receiver that took the event (or is gone) "
                                        "is not posted to again"
                                      : "");
  }
  for (size_t i = 0; i < seen.size(); ++i) {
    const json& want = list[i];
    const auto& request = seen[i].request;
    const std::string where = "HTTP request " + std::to_string(i + 1) + ": ";
    if (want.contains("method") && want["method"] != request.method) {
      return where + "method " + request.method + ", expected " + want["method"].get<std::string>();
    }
    if (want.contains("url") && want["url"] != request.url) {
      return where + "URL " + request.url + ", expected " + want["url"].get<std::string>();
    }
    std::map<std::string, std::string> headers;
    for (const auto& [name, value] : request.headers) headers.emplace(lower(name), value);
    const json want_headers = want.value("headers", json::object());  // items() of a temporary would dangle
    for (const auto& [name, value] : want_headers.items()) {
      auto it = headers.find(lower(name));
      if (it == headers.end()) return where + "no " + name + " header";
      if (value.is_string() && it->second != value.get<std::string>()) {
        return where + name + ": '" + it->second + "', expected '" + value.get<std::string>() + "'";
      }
    }
    if (want.contains("standard_webhooks_secret")) {
      if (auto problem = verify_standard_webhooks(want["standard_webhooks_secret"], headers, request.body, now_ms);
          !problem.empty()) {
        return where + problem;
      }
    }
    if (want.contains("body_json")) {
      const json body = json::parse(request.body, nullptr, false);
      if (body.is_discarded()) return where + "the body is not JSON: " + request.body.substr(0, 300);
      if (auto m = first_mismatch(want["body_json"], body, "body"); !m.empty()) return where + m;
    }
  }
  return "";
}

std::string check_smtp(const json& expected, const std::vector<SmtpTranscript>& sessions) {
  if (!expected.contains("smtp")) {
    return sessions.empty()
               ? ""
               : "the plugin opened " + std::to_string(sessions.size()) + " SMTP session(s); none was expected";
  }
  const json& want = expected["smtp"];
  const size_t count = want.value("sessions", size_t{1});
  if (sessions.size() != count) {
    return "expected " + std::to_string(count) + " SMTP session(s), the plugin opened " +
           std::to_string(sessions.size());
  }
  if (sessions.empty()) return "";
  const SmtpTranscript& last = sessions.back();
  std::string mail_from;
  std::vector<std::string> rcpt_to;
  for (const auto& command : last.commands) {
    const std::string verb = lower(command.substr(0, 10));
    if (verb.rfind("mail from:", 0) == 0) mail_from = command.substr(10, command.find(' ', 10) - 10);
    if (verb.rfind("rcpt to:", 0) == 0) rcpt_to.push_back(command.substr(8, command.find(' ', 8) - 8));
  }
  std::string said;
  for (const auto& command : last.commands) said += (said.empty() ? "" : " | ") + command;
  if (want.contains("mail_from")) {
    if (want["mail_from"].is_null() && !mail_from.empty()) {
      return "the plugin sent MAIL FROM:" + mail_from + "; it should not have started a mail (commands: " + said + ")";
    }
    if (want["mail_from"].is_string() && mail_from != want["mail_from"].get<std::string>()) {
      return "MAIL FROM:" + mail_from + ", expected " + want["mail_from"].get<std::string>() + " (commands: " + said +
             ")";
    }
  }
  if (want.contains("rcpt_to") && json(rcpt_to) != want["rcpt_to"]) {
    return "RCPT TO " + json(rcpt_to).dump() + ", expected " + want["rcpt_to"].dump() + " (commands: " + said + ")";
  }
  if (want.contains("message") && want["message"].get<bool>() != last.message_complete) {
    return want["message"].get<bool>() ? "no message was transmitted (commands: " + said + ")"
                                       : "a message was transmitted; none should have been (commands: " + said + ")";
  }
  const Mail mail = read_mail(last.message);
  const json want_headers = want.value("headers", json::object());
  for (const auto& [name, value] : want_headers.items()) {
    auto it = mail.headers.find(lower(name));
    if (it == mail.headers.end()) return "the mail has no " + name + " header";
    if (it->second != value.get<std::string>()) {
      return "the mail's " + name + ": '" + it->second + "', expected '" + value.get<std::string>() + "'";
    }
  }
  for (const auto& text : want.value("text_contains", json::array())) {
    if (mail.text.find(text.get<std::string>()) == std::string::npos) {
      return "the mail's text lacks '" + text.get<std::string>() + "'";
    }
  }
  return "";
}

Verdict run_case(const fs::path& dir, const json& doc, const fs::path& library_path) {
  Verdict v;
  if (doc.value("version", 0) != 1) return {false, "bad case", "\"version\": 1 is required"};
  auto library = plugin_runtime::PluginLibrary::load(library_path);
  if (!library) return {false, "load failed", library.error().message};
  if ((*library)->info().kind != RIFA_KIND_NOTIFIER)
    return {false, "bad case", library_path.string() + " is not a notifier"};

  int64_t now_ms = 0;
  {
    auto now = engine::parse_iso_time(doc.at("now").get<std::string>(), "now");
    if (!now) return {false, "bad case", now.error().message};
    now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now->time_since_epoch()).count();
  }
  std::unique_ptr<SmtpResponder> smtp;
  json config = doc.value("config", json::object());
  if (doc.contains("smtp")) {
    const json& script = doc["smtp"];
    std::vector<SmtpSessionScript> sessions;
    for (const auto& s : script.value("sessions", json::array())) {
      SmtpSessionScript one;
      one.silent = s.value("silent", false);
      const json replies = s.value("replies", json::object());
      for (const auto& [step, reply] : replies.items()) {
        static const std::vector<std::string> kSteps = {"greeting", "ehlo", "helo", "mail", "rcpt", "data",
                                                        "message",  "rset", "noop", "quit", "other"};
        if (std::find(kSteps.begin(), kSteps.end(), step) == kSteps.end()) {
          return {false, "bad case", "smtp.sessions[].replies: unknown step '" + step + "'"};
        }
        one.replies[step] = reply.get<std::string>();
      }
      sessions.push_back(std::move(one));
    }
    smtp = std::make_unique<SmtpResponder>(std::move(sessions), script.value("refuse_connection", false));
    if (smtp->port() == 0) return {false, "kit failure", "SMTP responder: " + smtp->error()};
    substitute(config, std::to_string(smtp->port()));
  }

  auto cassette = plugin_runtime::Cassette::load(dir);
  if (!cassette && cassette.error().code != ErrorCode::kNotFound)
    return {false, "bad cassette", cassette.error().message};
  auto witness = std::make_shared<WitnessTransport>(std::make_shared<plugin_runtime::ReplayTransport>(
      cassette ? std::move(*cassette) : plugin_runtime::Cassette{}, dir));
  plugin_runtime::HostServices services;
  services.logger = make_logger("replay.notifier");
  services.now_unix_ms = [now_ms] { return now_ms; };
  services.transport = witness;
  plugin_runtime::PluginSpec spec{"replay", library_path, RIFA_KIND_NOTIFIER, config};
  auto instance = plugin_runtime::PluginInstance::create(*library, spec, services);
  if (!instance) return {false, "create failed", instance.error().message};

  int index = 0;
  for (const auto& step : doc.at("steps")) {
    ++index;
    const json& expected = step.at("expected");
    const std::string want = expected.at("outcome");
    if (want != "delivered" && want != "retry" && want != "permanent") {
      return {false, "bad case", "step " + std::to_string(index) + ": outcome must be delivered, retry or permanent"};
    }
    const size_t http_before = witness->count();
    const size_t smtp_before = smtp ? smtp->transcripts().size() : 0;
    const plugin_runtime::CallOutcome outcome = (*instance)->deliver(step.at("event").dump());
    const std::string status = plugin_runtime::status_name(outcome.status);
    const std::string got = notifier_outcome_name(outcome.status);
    v.got += (v.got.empty() ? "" : ", ") + got + (got == status ? "" : " (" + status + ")");
    const std::string because = expected.contains("because") ? " — " + expected["because"].get<std::string>() : "";
    const std::string where = "step " + std::to_string(index) + ": ";
    const json result = json::parse(outcome.result.empty() ? "{}" : outcome.result, nullptr, false);

    // What the plugin sent comes first: a wrong request explains a wrong answer.
    if (auto problem = check_http(expected, witness->since(http_before), now_ms); !problem.empty()) {
      return {false, v.got, where + problem + because};
    }
    std::vector<SmtpTranscript> sessions;
    if (smtp) {
      auto all = smtp->transcripts();
      sessions.assign(all.begin() + static_cast<std::ptrdiff_t>(smtp_before), all.end());
    }
    if (auto problem = check_smtp(expected, sessions); !problem.empty())
      return {false, v.got, where + problem + because};

    if (got != want) {
      return {false, v.got,
              where + "the plugin answered " + status + (outcome.error.empty() ? "" : " (" + outcome.error + ")") +
                  ", which the host takes as " + got + "; it should " + should_text(want) + because};
    }
    if (expected.contains("status") && expected["status"] != status) {
      return {
          false, v.got,
          where + "the plugin answered " + status + ", expected " + expected["status"].get<std::string>() + because};
    }
    if (expected.contains("error_contains") &&
        outcome.error.find(expected["error_contains"].get<std::string>()) == std::string::npos) {
      return {false, v.got,
              where + "the error lacks '" + expected["error_contains"].get<std::string>() + "': " + outcome.error};
    }
    if (expected.contains("retry_after_s")) {
      const json& hint = expected["retry_after_s"];
      const bool has = result.is_object() && result.contains("retry_after_s");
      if (hint.is_null() && has) {
        return {false, v.got,
                where + "the plugin asked the host to wait " + result["retry_after_s"].dump() +
                    " s, but the receiver gave no Retry-After: leave the wait to the host's backoff"};
      }
      if (!hint.is_null() && (!has || result["retry_after_s"] != hint)) {
        return {false, v.got,
                where + "the plugin's retry hint is " + (has ? result["retry_after_s"].dump() + " s" : "absent") +
                    "; it should answer {\"retry_after_s\": " + hint.dump() +
                    "} with the error (rifa::sdk::Error(...).with_result(...)), the wait the receiver asked for" +
                    because};
      }
    }
  }
  v.passed = true;
  return v;
}

}  // namespace

const char* notifier_outcome_name(rifa_status status) {
  switch (status) {
    case RIFA_OK: return "delivered";
    case RIFA_ERR_DECLINED:
    case RIFA_ERR_INVALID_ARGUMENT: return "permanent";
    default: return "retry";
  }
}

int run_notifier_cases(const fs::path& root, const NotifierCaseOptions& options, std::ostream& out) {
  return run_case_files(root, options.library_override, out, [&](const fs::path& dir, const json& doc) {
    return run_case(dir, doc,
                    options.library_override ? *options.library_override : resolve_library(doc.at("library"), {}));
  });
}

}  // namespace rifa::app
