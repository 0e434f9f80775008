// The C++ wrapper at the boundary: what each answer and each exception of a plugin becomes on the
// C side, and the host services as the wrapper exposes them. Drives a real plugin library
// (cpp_probe_plugin.cpp, built as C++17) through the fake host.
#include <gtest/gtest.h>

#include "rifa/sdk/json_text.hpp"
#include "rifa/sdk/sha256.hpp"
#include "rifa/sdk/testing/fake_host.hpp"
#include "rifa/sdk/testing/plugin_harness.hpp"
#include "rifa/sdk/testing/shared_library.hpp"

namespace rifa::testing {
namespace {

using sdk::testing::FakeHost;
using sdk::testing::PluginHarness;
using sdk::testing::SharedLibrary;

class SdkWrapperTest : public ::testing::Test {
 protected:
  SdkWrapperTest()
      : library_(RIFA_PROBE_PLUGIN_FILE), manifest_(library_.manifest()), probe_(manifest_, host_, "probe") {}

  SharedLibrary library_;
  const rifa_plugin_manifest* manifest_;
  FakeHost host_;
  PluginHarness probe_;
};

TEST_F(SdkWrapperTest, MacroFillsTheManifest) {
  EXPECT_EQ(manifest_->struct_size, sizeof(rifa_plugin_manifest));
  EXPECT_EQ(manifest_->abi_major, RIFA_ABI_VERSION_MAJOR);
  EXPECT_EQ(manifest_->abi_minor, RIFA_ABI_VERSION_MINOR);
  EXPECT_EQ(manifest_->kind, RIFA_KIND_LOTTERY);
  EXPECT_EQ(manifest_->flags, static_cast<uint32_t>(RIFA_PLUGIN_FLAG_SERIALIZED)) << "the default is serialized";
  EXPECT_STREQ(manifest_->name, "probe");
  EXPECT_STREQ(manifest_->version, "0.0.1");
  EXPECT_STREQ(manifest_->description, "SDK wrapper probe");
  ASSERT_NE(manifest_->lottery, nullptr);
  EXPECT_EQ(manifest_->lottery->struct_size, sizeof(rifa_lottery_vtable));
  EXPECT_EQ(manifest_->payment, nullptr);
  EXPECT_EQ(manifest_->notifier, nullptr);
  ASSERT_TRUE(probe_.created()) << probe_.create_outcome().error;
  EXPECT_TRUE(host_.logged(RIFA_LOG_INFO, "probe probe created"));
}

TEST_F(SdkWrapperTest, AnswersBecomeStatusesAndResults) {
  auto ok = probe_.fetch_draw("ok");
  EXPECT_EQ(ok.status, RIFA_OK);
  EXPECT_EQ(ok.result, R"({"date": "2026-01-22"})");
  EXPECT_EQ(ok.error, "");

  auto later = probe_.fetch_draw("not-published");
  EXPECT_EQ(later.status, RIFA_NOT_PUBLISHED);
  EXPECT_EQ(later.result, "");
  EXPECT_EQ(later.error, "later, please");
  auto silent = probe_.fetch_draw("not-published-silent");
  EXPECT_EQ(silent.status, RIFA_NOT_PUBLISHED);
  EXPECT_EQ(silent.error, "");

  auto parsed = probe_.parse_page("2026-01-22", "https://x.test/r", std::string("a\0b", 3));
  EXPECT_EQ(parsed.result, R"({"url": "https://x.test/r", "length": 3})");
}

TEST_F(SdkWrapperTest, ExceptionsNeverCrossTheBoundary) {
  auto parse = probe_.fetch_draw("parse-error");
  EXPECT_EQ(parse.status, RIFA_ERR_PARSE);
  EXPECT_EQ(parse.error, "no results table");
  auto oom = probe_.fetch_draw("bad-alloc");
  EXPECT_EQ(oom.status, RIFA_ERR_INTERNAL);
  EXPECT_EQ(oom.error, "out of memory");
  auto runtime = probe_.fetch_draw("runtime");
  EXPECT_EQ(runtime.status, RIFA_ERR_INTERNAL);
  EXPECT_EQ(runtime.error, "unexpected exception: boom");
  auto odd = probe_.fetch_draw("int");
  EXPECT_EQ(odd.status, RIFA_ERR_INTERNAL);
  EXPECT_EQ(odd.error, "unexpected exception of unknown type");
  auto bug = probe_.fetch_draw("error-ok");
  EXPECT_EQ(bug.status, RIFA_ERR_INTERNAL);
  EXPECT_EQ(bug.error, "plugin bug: rifa::sdk::Error thrown with status RIFA_OK");
  // An error may carry details for the host (a notifier's retry hint), beside its message.
  auto hinted = probe_.fetch_draw("retry-later");
  EXPECT_EQ(hinted.status, RIFA_ERR_TRANSPORT);
  EXPECT_EQ(hinted.error, "busy");
  EXPECT_EQ(hinted.result, R"({"retry_after_s": 120})");
  EXPECT_EQ(parse.result, "") << "no details unless the plugin gives them";
  auto unknown = probe_.fetch_draw("dance");
  EXPECT_EQ(unknown.status, RIFA_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(unknown.error, "unknown probe command 'dance'");
}

TEST_F(SdkWrapperTest, ScheduleDefaultsToUnsupported) {
  auto schedule = probe_.schedule();
  EXPECT_EQ(schedule.status, RIFA_ERR_UNSUPPORTED);
  EXPECT_EQ(schedule.error, "this plugin publishes no schedule");
}

// ABI 1.1: the vtable carries draw_dates, a class that does not override it answers UNSUPPORTED
// (the host then reads schedule()), and a 1.0-sized vtable is read as not having it at all.
TEST_F(SdkWrapperTest, DrawDatesDefaultsToUnsupportedAndIsAbsentFromA10Vtable) {
  ASSERT_TRUE(RIFA_HAS_FIELD(rifa_lottery_vtable, manifest_->lottery, draw_dates));
  ASSERT_NE(manifest_->lottery->draw_dates, nullptr);
  auto dates = probe_.draw_dates("2025-12-22", "2025-12-28");
  EXPECT_EQ(dates.status, RIFA_ERR_UNSUPPORTED);
  EXPECT_EQ(dates.error, "this plugin publishes no draw calendar");

  rifa_lottery_vtable old_vtable = *manifest_->lottery;
  old_vtable.struct_size = static_cast<uint32_t>(offsetof(rifa_lottery_vtable, draw_dates));
  rifa_plugin_manifest old_manifest = *manifest_;
  old_manifest.lottery = &old_vtable;
  PluginHarness old_plugin(&old_manifest, host_, "old");
  auto absent = old_plugin.draw_dates("2025-12-22", "2025-12-28");
  EXPECT_EQ(absent.status, RIFA_ERR_UNSUPPORTED);
  EXPECT_EQ(absent.error, "the manifest has no lottery draw_dates");
}

TEST_F(SdkWrapperTest, ConstructorFailuresRefuseTheInstance) {
  PluginHarness refused(manifest_, host_, "p2", R"({"refuse": true})");
  EXPECT_FALSE(refused.created());
  EXPECT_EQ(refused.create_outcome().status, RIFA_ERR_CONFIG);
  EXPECT_EQ(refused.create_outcome().error, "probe: config asks to be refused");
  PluginHarness crashed(manifest_, host_, "p3", R"({"crash": true})");
  EXPECT_EQ(crashed.create_outcome().status, RIFA_ERR_INTERNAL);
  EXPECT_EQ(crashed.create_outcome().error, "unexpected exception: crash in constructor");
}

TEST_F(SdkWrapperTest, ClockComesFromTheHost) {
  host_.set_now_unix_ms(1234567);
  EXPECT_EQ(probe_.fetch_draw("clock").result, "1234567");
}

TEST_F(SdkWrapperTest, HttpGoesThroughTheHostAndReleasesTheResponse) {
  host_.respond(
      "https://results.test/page",
      sdk::testing::CannedResponse{RIFA_OK, 404, "no \"draw\"\n", "etag: \"v1\"\ncontent-type: text/html\n", ""});
  auto outcome = probe_.fetch_draw("http:https://results.test/page");
  ASSERT_EQ(outcome.status, RIFA_OK) << outcome.error;
  EXPECT_EQ(outcome.result, R"({"status": 404, "body": "no \"draw\"\n", "etag": "\"v1\""})");
  EXPECT_EQ(host_.outstanding_responses(), 0);
  const auto requests = host_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].headers, "Accept: text/html\n");
  EXPECT_EQ(requests[0].timeout_ms, 1500u);
}

TEST_F(SdkWrapperTest, TransportFailureKeepsTheHostsReason) {
  host_.fail("https://results.test/slow", RIFA_ERR_TIMEOUT, "GET https://results.test/slow: timed out after 1500 ms");
  auto outcome = probe_.fetch_draw("http:https://results.test/slow");
  EXPECT_EQ(outcome.status, RIFA_ERR_TIMEOUT);
  EXPECT_EQ(outcome.error, "GET https://results.test/slow: timed out after 1500 ms");

  // A plugin that catches and rethrows its own Error replaces the message.
  auto wrapped = probe_.fetch_draw("http-caught:https://results.test/slow");
  EXPECT_EQ(wrapped.status, RIFA_ERR_TIMEOUT);
  EXPECT_EQ(wrapped.error, "wrapped: GET https://results.test/slow: timeout (the host's reason is on the call)");

  auto unrecorded = probe_.fetch_draw("http:https://results.test/other");
  EXPECT_EQ(unrecorded.status, RIFA_ERR_NOT_RECORDED);
  EXPECT_EQ(unrecorded.error, "no canned response for GET https://results.test/other");
}

TEST(SdkHelpers, Sha256MatchesTheFipsVectors) {
  EXPECT_EQ(sdk::sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sdk::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sdk::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sdk::sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(SdkHelpers, JsonQuoteEscapesWhatJsonRequires) {
  EXPECT_EQ(sdk::json_quote("plain"), "\"plain\"");
  EXPECT_EQ(sdk::json_quote("a\"b\\c\nd\te"), R"("a\"b\\c\nd\te")");
  EXPECT_EQ(sdk::json_quote(std::string("\x01", 1)), R"("\u0001")");
  EXPECT_EQ(sdk::json_quote("Bogotá"), "\"Bogotá\"");
}

}  // namespace
}  // namespace rifa::testing
