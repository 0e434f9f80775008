#include "app/verify_command.hpp"

#include <curl/curl.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "engine/settlement/verification_check.hpp"

namespace rifa::app {
namespace {

constexpr long kFetchTimeoutS = 30;
constexpr size_t kMaxDocumentBytes = 64 * 1024 * 1024;

size_t append_body(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  if (body->size() + size * count > kMaxDocumentBytes) return 0;  // aborts the transfer
  body->append(data, size * count);
  return size * count;
}

Result<std::string> fetch(const std::string& url) {
  CURL* curl = curl_easy_init();
  if (!curl) return make_error(ErrorCode::kInternal, "cannot start libcurl");
  std::string body;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, kFetchTimeoutS);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  const CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(curl);
  if (code != CURLE_OK) return make_error(ErrorCode::kUnavailable, url + ": " + curl_easy_strerror(code));
  if (status != 200) return make_error(ErrorCode::kUnavailable, url + ": HTTP " + std::to_string(status));
  return body;
}

Result<std::string> read_source(const std::string& source) {
  if (source.rfind("http://", 0) == 0 || source.rfind("https://", 0) == 0) return fetch(source);
  std::ifstream in(source, std::ios::binary);
  if (!in) return make_error(ErrorCode::kNotFound, source + ": cannot open");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

int run_verify(const std::string& source, std::ostream& out, std::ostream& err) {
  auto text = read_source(source);
  if (!text) {
    err << "rifa-host: verify: " << text.error().message << "\n";
    return 2;
  }
  const auto doc = nlohmann::json::parse(*text, nullptr, false);
  if (doc.is_discarded()) {
    err << "rifa-host: verify: " << source << ": not JSON\n";
    return 2;
  }
  const auto check = settlement::check_verification(doc);
  for (const auto& line : check.passed) out << "ok    " << line << "\n";
  for (const auto& line : check.differences) out << "DIFF  " << line << "\n";
  if (!check.ok()) {
    out << "FAILED: " << check.differences.size() << " difference(s)\n";
    return 1;
  }
  out << (check.settled ? "OK: the commitment and the winners check out\n"
                        : "OK: the commitment checks out; no draw has been taken yet\n");
  return 0;
}

}  // namespace rifa::app
