#include "plugin_runtime/cassette.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace rifa::plugin_runtime {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Result<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kNotFound, path.string() + ": cannot open");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Result<void> write_file(const fs::path& path, const std::string& data) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return make_error(ErrorCode::kInternal, tmp.string() + ": cannot write");
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out) return make_error(ErrorCode::kInternal, tmp.string() + ": write failed");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return make_error(ErrorCode::kInternal, path.string() + ": " + ec.message());
  return {};
}

std::string extension_for(const std::string& headers, const std::string& body) {
  if (headers.find("application/json") != std::string::npos) return ".json";
  if (headers.find("text/html") != std::string::npos || body.find("<html") != std::string::npos ||
      body.find("<!DOCTYPE") != std::string::npos || body.find("<!doctype") != std::string::npos) {
    return ".html";
  }
  return ".body";
}

std::optional<ErrorCode> code_from_name(const std::string& name) {
  if (name == "timeout") return ErrorCode::kTimeout;
  if (name == "unavailable") return ErrorCode::kUnavailable;
  if (name == "permission_denied") return ErrorCode::kPermissionDenied;
  if (name == "invalid_argument") return ErrorCode::kInvalidArgument;
  return std::nullopt;
}

bool same_request(const HttpRequest& a, const HttpRequest& b) {
  return a.method == b.method && a.url == b.url && a.body == b.body;
}

}  // namespace

const char* error_code_name_for_cassette(ErrorCode code) { return to_string(code); }

Result<Cassette> Cassette::load(const fs::path& dir) {
  const fs::path index = dir / "exchanges.json";
  auto text = read_file(index);
  if (!text) return make_error(ErrorCode::kNotFound, "cassette " + index.string() + ": not found");
  json doc;
  try {
    doc = json::parse(*text);
  } catch (const json::parse_error& e) {
    return make_error(ErrorCode::kParse, "cassette " + index.string() + ": invalid JSON: " + e.what());
  }
  if (!doc.is_object() || doc.value("version", 0) != 1 || !doc.contains("exchanges") || !doc["exchanges"].is_array()) {
    return make_error(ErrorCode::kParse,
                      "cassette " + index.string() + ": expected {\"version\": 1, \"exchanges\": [...]}");
  }
  Cassette cassette;
  size_t i = 0;
  for (const auto& item : doc["exchanges"]) {
    const std::string where = "cassette " + index.string() + ": exchanges[" + std::to_string(i++) + "]";
    try {
      RecordedExchange ex;
      const auto& req = item.at("request");
      ex.request.method = req.value("method", "GET");
      ex.request.url = req.at("url").get<std::string>();
      ex.request.body = req.value("body", "");
      if (item.contains("response")) {
        const auto& res = item["response"];
        HttpResponse response;
        response.status = res.at("status").get<int32_t>();
        response.effective_url = res.value("effective_url", ex.request.url);
        response.headers = res.value("headers", "");
        if (res.contains("body_file")) {
          auto body = read_file(dir / res["body_file"].get<std::string>());
          if (!body) return make_error(ErrorCode::kNotFound, where + ": body file " + body.error().message);
          response.body = std::move(*body);
        } else {
          response.body = res.value("body", "");
        }
        ex.response = std::move(response);
      } else if (item.contains("error")) {
        const auto& err = item["error"];
        const auto code = code_from_name(err.at("code").get<std::string>());
        if (!code) {
          return make_error(ErrorCode::kParse, where +
                                                   ": error.code must be timeout, unavailable, permission_denied or "
                                                   "invalid_argument");
        }
        ex.error = Error{*code, err.value("message", "recorded failure")};
      } else {
        return make_error(ErrorCode::kParse, where + ": needs a \"response\" or an \"error\"");
      }
      cassette.exchanges_.push_back(std::move(ex));
    } catch (const json::exception& e) { return make_error(ErrorCode::kParse, where + ": " + e.what()); }
  }
  return cassette;
}

Result<void> Cassette::save(const fs::path& dir) const {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return make_error(ErrorCode::kInternal, dir.string() + ": " + ec.message());
  json list = json::array();
  for (size_t i = 0; i < exchanges_.size(); ++i) {
    const auto& ex = exchanges_[i];
    json item;
    item["request"] = {{"method", ex.request.method}, {"url", ex.request.url}, {"body", ex.request.body}};
    if (ex.response) {
      char name[32];
      std::snprintf(name, sizeof name, "%03zu", i + 1);
      const std::string file = name + extension_for(ex.response->headers, ex.response->body);
      if (auto r = write_file(dir / file, ex.response->body); !r) return r;
      item["response"] = {{"status", ex.response->status},
                          {"effective_url", ex.response->effective_url},
                          {"headers", ex.response->headers},
                          {"body_file", file}};
    } else if (ex.error) {
      item["error"] = {{"code", to_string(ex.error->code)}, {"message", ex.error->message}};
    }
    list.push_back(std::move(item));
  }
  json doc = {{"version", 1}, {"exchanges", std::move(list)}};
  return write_file(dir / "exchanges.json", doc.dump(2) + "\n");
}

ReplayTransport::ReplayTransport(Cassette cassette, fs::path dir)
    : cassette_(std::move(cassette)), dir_(std::move(dir)), used_(cassette_.exchanges().size(), false) {}

Result<HttpResponse> ReplayTransport::perform(const HttpRequest& request) {
  std::lock_guard lock(mutex_);
  const auto& exchanges = cassette_.exchanges();
  std::optional<size_t> last_match;
  for (size_t i = 0; i < exchanges.size(); ++i) {
    if (!same_request(exchanges[i].request, request)) continue;
    last_match = i;
    if (!used_[i]) break;
  }
  if (!last_match) {
    return make_error(ErrorCode::kNotRecorded, "replay: no recorded exchange for " + request.method + " " +
                                                   request.url + " in " + (dir_ / "exchanges.json").string());
  }
  used_[*last_match] = true;
  const auto& ex = exchanges[*last_match];
  if (ex.error) return *ex.error;
  return *ex.response;
}

RecordingTransport::RecordingTransport(std::shared_ptr<HttpTransport> inner, fs::path dir)
    : inner_(std::move(inner)), dir_(std::move(dir)) {
  if (auto existing = Cassette::load(dir_)) cassette_ = std::move(*existing);
}

Result<HttpResponse> RecordingTransport::perform(const HttpRequest& request) {
  Result<HttpResponse> result = inner_->perform(request);
  std::lock_guard lock(mutex_);
  RecordedExchange ex;
  ex.request = request;
  if (result) {
    ex.response = *result;
  } else {
    ex.error = result.error();
  }
  cassette_.exchanges().push_back(std::move(ex));
  if (auto saved = cassette_.save(dir_); !saved) {
    return make_error(ErrorCode::kInternal, "record: " + saved.error().message);
  }
  return result;
}

}  // namespace rifa::plugin_runtime
