#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "plugin_runtime/http_transport.hpp"

namespace rifa::plugin_runtime {

// A recorded conversation of one plugin instance with the outside world, stored in a folder:
//
//   <dir>/exchanges.json   {"version": 1, "exchanges": [
//                             {"request":  {"method": "GET", "url": "https://...", "body": ""},
//                              "response": {"status": 200, "effective_url": "https://...",
//                                           "headers": "content-type: text/html\n",
//                                           "body_file": "001.html"}},
//                             {"request":  {...}, "error": {"code": "timeout", "message": "..."}}]}
//   <dir>/001.html          the response body, byte for byte
//
// Bodies live in their own files so a QA engineer can open, diff and hand-edit a recorded page.
// An exchange is matched on method + URL + request body; repeated identical requests are answered
// in recorded order, and the last one is repeated when they run out.
struct RecordedExchange {
  HttpRequest request;
  std::optional<HttpResponse> response;
  std::optional<Error> error;  // kTimeout / kUnavailable / ... as recorded
};

class Cassette {
 public:
  // Reads <dir>/exchanges.json and its body files. Errors name the file and what is wrong.
  static Result<Cassette> load(const std::filesystem::path& dir);
  // Writes the whole cassette (exchanges.json last, through a temp file and rename).
  Result<void> save(const std::filesystem::path& dir) const;

  std::vector<RecordedExchange>& exchanges() { return exchanges_; }
  const std::vector<RecordedExchange>& exchanges() const { return exchanges_; }

 private:
  std::vector<RecordedExchange> exchanges_;
};

// Answers from a cassette; a request that was never recorded is kNotRecorded, naming it.
class ReplayTransport final : public HttpTransport {
 public:
  ReplayTransport(Cassette cassette, std::filesystem::path dir);
  Result<HttpResponse> perform(const HttpRequest& request) override;

 private:
  std::mutex mutex_;
  Cassette cassette_;
  std::filesystem::path dir_;
  std::vector<bool> used_;
};

// Passes every exchange to `inner` and appends it (response or failure) to the cassette in `dir`,
// saving after each one so a crash loses at most the exchange in flight.
class RecordingTransport final : public HttpTransport {
 public:
  RecordingTransport(std::shared_ptr<HttpTransport> inner, std::filesystem::path dir);
  Result<HttpResponse> perform(const HttpRequest& request) override;

 private:
  std::shared_ptr<HttpTransport> inner_;
  std::filesystem::path dir_;
  std::mutex mutex_;
  Cassette cassette_;
};

const char* error_code_name_for_cassette(ErrorCode code);

}  // namespace rifa::plugin_runtime
