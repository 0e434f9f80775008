// Stripe-Signature verification against Stripe's own library: the official `stripe` npm package
// (pinned, installed into the build tree by the stripe_npm_install fixture) signs payloads with
// stripe.webhooks.generateTestHeaderString and judges every header with
// stripe.webhooks.constructEvent; payment_stripe (loaded as the host loads it) must accept exactly
// the headers Stripe's library accepts: none of the tampered bodies, old timestamps, wrong
// secrets or headers without v1.
#include <gtest/gtest.h>

#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "provider_harness.hpp"

namespace rifa::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSecret = "whsec_test_rifa1122_npm_crosscheck_secret";
constexpr const char* kOtherSecret = "whsec_test_someone_elses_endpoint_secret";

// Runs node on `script` with `input` on stdin; returns stdout.
std::string run_node(const std::string& script, const std::string& input) {
  const fs::path dir = fs::temp_directory_path() / ("rifa-stripe-npm-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "run.js") << script;
  std::ofstream(dir / "input.json") << input;
  const std::string command = "NODE_PATH='" + std::string(RIFA_STRIPE_NPM_DIR) + "/node_modules' node '" +
                              (dir / "run.js").string() + "' < '" + (dir / "input.json").string() + "'";
  std::string output;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
    ::pclose(pipe);
  }
  fs::remove_all(dir);
  return output;
}

// For each case: the header Stripe's library generates (from `sign_secret`, `timestamp`, and
// `scheme`), then Stripe's verdict on (`verify_body`, header) with `verify_secret`, tolerance 300
// s, received at `now` (receivedAt is in milliseconds).
constexpr const char* kScript = R"js(
const Stripe = require('stripe');
const stripe = Stripe('sk_test_placeholder_never_used');
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = input.cases.map((c) => {
  let header = c.header;
  if (header === undefined) {
    const opts = {payload: c.body, secret: c.sign_secret, timestamp: c.timestamp};
    if (c.scheme) opts.scheme = c.scheme;
    header = stripe.webhooks.generateTestHeaderString(opts);
    if (c.also_secret) {
      const other = stripe.webhooks.generateTestHeaderString({payload: c.body, secret: c.also_secret, timestamp: c.timestamp});
      header = header + ',' + other.split(',').filter((p) => p.startsWith('v1=')).join(',');
    }
  }
  let accepted = false, reason = '';
  try {
    stripe.webhooks.constructEvent(c.verify_body, header, c.verify_secret, 300, undefined, input.now * 1000);
    accepted = true;
  } catch (e) { reason = e.message; }
  return {header, accepted, reason};
});
const pkg = JSON.parse(require('fs').readFileSync(require('path').join(process.env.NODE_PATH, 'stripe', 'package.json'), 'utf8'));
process.stdout.write(JSON.stringify({version: pkg.version, results: out}));
)js";

class StripeSignatureNpmTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(fs::path(RIFA_STRIPE_NPM_DIR) / "node_modules" / "stripe" / "package.json")) {
      GTEST_SKIP() << "Stripe's npm package is not installed in " << RIFA_STRIPE_NPM_DIR
                   << " (the stripe_npm_install CTest fixture installs it; it needs npm and the registry)";
    }
    ::setenv("RIFA_NPM_STRIPE_KEY", "sk_test_51NpmCrossCheck", 1);
    ::setenv("RIFA_NPM_STRIPE_WHSEC", kSecret, 1);
  }
};

std::string event_body(const std::string& id, int64_t amount) {
  return json({{"id", id},
               {"object", "event"},
               {"type", "payment_intent.succeeded"},
               {"api_version", "2024-06-20"},
               {"data",
                {{"object",
                  {{"id", "pi_3NpmCheck" + id.substr(4)},
                   {"object", "payment_intent"},
                   {"amount", amount},
                   {"amount_received", amount},
                   {"currency", "cop"},
                   {"status", "succeeded"},
                   {"description", "Rifa ñandú 🎟"}}}}}})
      .dump(2);
}

TEST_F(StripeSignatureNpmTest, ThePluginAcceptsExactlyWhatStripesLibraryAccepts) {
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  struct Case {
    std::string name;
    json spec;
    bool should_accept;
  };
  const std::string body = event_body("evt_1NpmA", 2500000);
  const std::string compact = json::parse(body).dump();
  std::string tampered = body;
  tampered.replace(tampered.find("2500000"), 7, "2500001");
  std::vector<Case> cases = {
      {"signed now", {{"body", body}, {"sign_secret", kSecret}, {"timestamp", now}, {"verify_body", body}}, true},
      {"another payload",
       {{"body", event_body("evt_1NpmB", 100)},
        {"sign_secret", kSecret},
        {"timestamp", now - 10},
        {"verify_body", event_body("evt_1NpmB", 100)}},
       true},
      {"299 s old", {{"body", body}, {"sign_secret", kSecret}, {"timestamp", now - 299}, {"verify_body", body}}, true},
      {"during rotation: old and new secret",
       {{"body", body},
        {"sign_secret", kOtherSecret},
        {"also_secret", kSecret},
        {"timestamp", now},
        {"verify_body", body}},
       true},
      {"tampered body",
       {{"body", body}, {"sign_secret", kSecret}, {"timestamp", now}, {"verify_body", tampered}},
       false},
      {"re-serialized body",
       {{"body", body}, {"sign_secret", kSecret}, {"timestamp", now}, {"verify_body", compact}},
       false},
      {"old timestamp",
       {{"body", body}, {"sign_secret", kSecret}, {"timestamp", now - 301}, {"verify_body", body}},
       false},
      {"a day old",
       {{"body", body}, {"sign_secret", kSecret}, {"timestamp", now - 86400}, {"verify_body", body}},
       false},
      {"wrong secret",
       {{"body", body}, {"sign_secret", kOtherSecret}, {"timestamp", now}, {"verify_body", body}},
       false},
      {"no v1 (v0 scheme only)",
       {{"body", body}, {"sign_secret", kSecret}, {"timestamp", now}, {"scheme", "v0"}, {"verify_body", body}},
       false},
      {"no v1 at all", {{"header", "t=" + std::to_string(now)}, {"verify_body", body}}, false},
      {"no timestamp", {{"header", "v1=" + std::string(64, 'a')}, {"verify_body", body}}, false},
  };
  json input = {{"now", now}, {"cases", json::array()}};
  for (auto& c : cases) {
    c.spec["verify_secret"] = kSecret;
    input["cases"].push_back(c.spec);
  }
  const std::string output = run_node(kScript, input.dump());
  const json results = json::parse(output, nullptr, false);
  ASSERT_FALSE(results.is_discarded()) << "node answered: " << output;
  std::cout << "Stripe's library: stripe@" << results["version"].get<std::string>() << "\n";

  HostedPlugin host(RIFA_STRIPE_PLUGIN_FILE,
                    {{"api_base", "http://127.0.0.1:9"},
                     {"secret_key_env", "RIFA_NPM_STRIPE_KEY"},
                     {"webhook_secret_env", "RIFA_NPM_STRIPE_WHSEC"}},
                    now * 1000);
  ASSERT_TRUE(host.created()) << host.create_error();
  for (size_t i = 0; i < cases.size(); ++i) {
    const json& r = results["results"][i];
    const std::string header = r["header"];
    const bool stripe_accepts = r["accepted"];
    EXPECT_EQ(stripe_accepts, cases[i].should_accept) << cases[i].name << ": Stripe says " << r["reason"];
    const auto ours = host->verify_webhook("POST", "content-type: application/json\nstripe-signature: " + header + "\n",
                                           cases[i].spec["verify_body"].get<std::string>());
    EXPECT_EQ(ours.status == RIFA_OK, stripe_accepts)
        << cases[i].name << ": header " << header << "; ours: " << ours.error << "; Stripe's: " << r["reason"];
    if (!stripe_accepts) { EXPECT_EQ(ours.status, RIFA_ERR_SIGNATURE) << cases[i].name << ": " << ours.error; }
    if (stripe_accepts && ours.ok()) { EXPECT_EQ(parse(ours.result)["type"], "payment.succeeded"); }
  }
}

}  // namespace
}  // namespace rifa::testing
