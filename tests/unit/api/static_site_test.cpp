// api::StaticSite: what it serves below its root and what it refuses (traversal, symlinks out,
// hidden files, unknown types), its headers (content type, page CSP, ETag, Cache-Control) and
// If-None-Match → 304.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "server/static_site.hpp"

namespace rifa::api {
namespace {

namespace fs = std::filesystem;

std::string header(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return {};
}

class StaticSiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("rifa-static-site-" + std::to_string(::getpid()));
    fs::remove_all(base_);
    root_ = base_ / "web";
    fs::create_directories(root_ / "console");
    std::ofstream(root_ / "console" / "index.html") << "<!doctype html><title>x</title>";
    std::ofstream(root_ / "console" / "app.js") << "export const x = 1;";
    std::ofstream(root_ / "console" / ".secret.js") << "hidden";
    std::ofstream(root_ / "console" / "notes.md") << "not served";
    std::ofstream(base_ / "outside.js") << "outside the root";
    fs::create_symlink(base_ / "outside.js", root_ / "console" / "escape.js");
    fs::create_directories(base_ / "elsewhere");
    std::ofstream(base_ / "elsewhere" / "page.html") << "elsewhere";
    fs::create_directory_symlink(base_ / "elsewhere", root_ / "linked");
    fs::create_symlink(root_ / "console" / "app.js", root_ / "console" / "alias.js");  // inside: fine
  }
  void TearDown() override { fs::remove_all(base_); }

  Response get(const std::vector<std::string>& segments, const std::string& if_none_match = "") {
    Request request;
    request.method = "GET";
    request.path = "/web/test";
    if (!if_none_match.empty()) request.headers["if-none-match"] = if_none_match;
    return StaticSite(root_).serve(request, segments);
  }

  fs::path base_;
  fs::path root_;
};

TEST_F(StaticSiteTest, ServesAFileWithItsTypeThePageCspAndAnETag) {
  auto r = get({"console", "index.html"});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "<!doctype html><title>x</title>");
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(header(r, "Content-Security-Policy"), kPageCsp);
  EXPECT_EQ(header(r, "Cache-Control"), "no-cache");
  EXPECT_EQ(header(r, "ETag").size(), 66u);  // "<64 hex>"
  EXPECT_EQ(get({"console", "app.js"}).content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(std::string(kPageCsp).find("unsafe"), std::string::npos);
}

TEST_F(StaticSiteTest, IfNoneMatchWithTheSameETagIs304WithoutABody) {
  const std::string etag = header(get({"console", "app.js"}), "ETag");
  auto r = get({"console", "app.js"}, etag);
  EXPECT_EQ(r.status, 304);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(header(r, "ETag"), etag);
  EXPECT_EQ(get({"console", "app.js"}, "\"other\", W/" + etag).status, 304);
  EXPECT_EQ(get({"console", "app.js"}, "*").status, 304);
  EXPECT_EQ(get({"console", "app.js"}, "\"other\"").status, 200);
}

TEST_F(StaticSiteTest, RefusesTraversalHiddenFilesSymlinksOutAndUnknownTypes) {
  EXPECT_EQ(get({"..", "outside.js"}).status, 404);
  EXPECT_EQ(get({"console", "..", "..", "outside.js"}).status, 404);
  EXPECT_EQ(get({"console/../../outside.js"}).status, 404);
  EXPECT_EQ(get({"console", "..\\..\\outside.js"}).status, 404);
  EXPECT_EQ(get({"console", std::string("app.js\0.html", 12)}).status, 404);
  EXPECT_EQ(get({"console", ".secret.js"}).status, 404);
  EXPECT_EQ(get({"console", "escape.js"}).status, 404) << "a symlink out of the root";
  EXPECT_EQ(get({"linked", "page.html"}).status, 404) << "a folder symlinked from outside";
  EXPECT_EQ(get({"console", "notes.md"}).status, 404) << "no content type for .md";
  EXPECT_EQ(get({"console", "missing.js"}).status, 404);
  EXPECT_EQ(get({"console"}).status, 404);
  EXPECT_EQ(get({}).status, 404);
  EXPECT_EQ(get({"console", ""}).status, 404);
  auto r = get({"console", "missing.js"});
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_EQ(get({"console", "alias.js"}).status, 200) << "a symlink that stays inside is fine";
}

TEST_F(StaticSiteTest, AMissingRootServesNothing) {
  Request request;
  request.path = "/x";
  EXPECT_EQ(StaticSite(base_ / "nope").serve(request, {"console", "index.html"}).status, 404);
}

}  // namespace
}  // namespace rifa::api
