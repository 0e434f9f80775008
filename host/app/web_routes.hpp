#pragma once

#include <filesystem>

#include "server/router.hpp"
#include "settings/settings.hpp"

namespace rifa::app {

// The folder the pages are served from: server.web_root when set; else the source tree's web/ when
// this rifa-host runs from its build tree, else the install prefix's share/rifa1122/web.
std::filesystem::path web_root(const settings::ServerSettings& server);

// The pages, not the API: GET /admin/ (the operator console), GET /rifas/{id} (a rifa's public
// page) and their files under /web/… Every datum they show comes from the API with the API's
// authorization; these routes serve only files. Kept out of register_http_routes, whose set is the
// API the OpenAPI document describes.
void register_web_routes(api::Router& router, const std::filesystem::path& root);

}  // namespace rifa::app
