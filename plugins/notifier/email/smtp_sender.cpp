#include "smtp_sender.hpp"

#include <curl/curl.h>

#include <cstring>
#include <memory>

#include "rifa/sdk/error.hpp"

namespace rifa::plugins::email {
namespace {

struct Upload {
  const std::string* data;
  size_t offset = 0;
};

size_t read_chunk(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t room = size * count;
  const size_t left = upload->data->size() - upload->offset;
  const size_t n = left < room ? left : room;
  std::memcpy(buffer, upload->data->data() + upload->offset, n);
  upload->offset += n;
  return n;
}

std::string address_only(const std::string& mailbox) {
  const size_t open = mailbox.rfind('<');
  const size_t close = mailbox.rfind('>');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    return mailbox.substr(open, close - open + 1);
  }
  return "<" + mailbox + ">";
}

}  // namespace

void send_mail(const SmtpOptions& options, const std::string& from, const std::string& to, const std::string& message) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw sdk::Error(RIFA_ERR_INTERNAL, "curl_easy_init failed");
  CURL* h = curl.get();
  Upload upload{&message};
  const std::string from_address = address_only(from);
  curl_slist* recipients = curl_slist_append(nullptr, address_only(to).c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> recipients_guard(recipients, curl_slist_free_all);
  char error[CURL_ERROR_SIZE] = {0};

  curl_easy_setopt(h, CURLOPT_URL, options.url.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, from_address.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, read_chunk);
  curl_easy_setopt(h, CURLOPT_READDATA, &upload);
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout_ms));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.timeout_ms));
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  if (options.url.rfind("smtps://", 0) != 0) {
    if (options.starttls == "required") curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    if (options.starttls == "opportunistic") curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  }
  if (!options.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options.ca_file.c_str());
  if (!options.verify_tls) {
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!options.username.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, options.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, options.password.c_str());
  }
  const CURLcode code = curl_easy_perform(h);
  if (code == CURLE_OK) return;
  std::string reason = error[0] ? error : curl_easy_strerror(code);
  long smtp_code = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &smtp_code);
  if (smtp_code > 0) reason += " (SMTP " + std::to_string(smtp_code) + ")";
  const std::string what = "SMTP " + options.url + ": " + reason;
  // RFC 5321 4.2.1: a 5yz reply is a permanent refusal (the same mail will be refused again); a
  // 4yz reply, a refused or dropped connection and a TLS failure may pass later.
  if (smtp_code >= 500 && smtp_code < 600) throw sdk::Error(RIFA_ERR_DECLINED, what);
  throw sdk::Error(code == CURLE_OPERATION_TIMEDOUT ? RIFA_ERR_TIMEOUT : RIFA_ERR_TRANSPORT, what);
}

}  // namespace rifa::plugins::email
