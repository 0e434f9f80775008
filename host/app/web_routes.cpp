#include "app/web_routes.hpp"

#include <memory>
#include <string>
#include <system_error>

#include <spdlog/spdlog.h>

#include "app/install_layout.hpp"
#include "server/static_site.hpp"

namespace rifa::app {

namespace fs = std::filesystem;

fs::path web_root(const settings::ServerSettings& server) {
  if (!server.web_root.empty()) return server.web_root;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  const std::string build_dir = RIFA_BUILD_DIR;
  if (!ec && exe.string().rfind(build_dir + "/", 0) == 0) return RIFA_SOURCE_WEB_DIR;
  // Installed: next to the binary (<bin>/../share/rifa1122/web), wherever the package put it; the
  // configured install prefix only when that folder is missing.
  return shipped_data_dir("web", RIFA_INSTALL_WEB_DIR);
}

void register_web_routes(api::Router& router, const fs::path& root) {
  std::error_code ec;
  if (fs::is_directory(root, ec)) {
    spdlog::info("pages (/admin/, /rifas/{{id}}) served from {}", root.string());
  } else {
    spdlog::warn("server.web_root {} is not a folder: /admin/ and /rifas/{{id}} will answer 404", root.string());
  }
  auto site = std::make_shared<api::StaticSite>(root);
  router.add("GET", "/admin", [site](api::Request& r) { return site->serve(r, {"console", "index.html"}); });
  router.add("GET", "/rifas/{id}", [site](api::Request& r) { return site->serve(r, {"public", "rifa.html"}); });
  router.add("GET", "/web/{dir}/{file}", [site](api::Request& r) {
    return site->serve(r, {r.path_params["dir"], r.path_params["file"]});
  });
  router.add("GET", "/web/{dir}/{sub}/{file}", [site](api::Request& r) {
    return site->serve(r, {r.path_params["dir"], r.path_params["sub"], r.path_params["file"]});
  });
}

}  // namespace rifa::app
