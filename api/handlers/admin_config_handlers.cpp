#include "handlers/admin_config_handlers.hpp"

#include "handlers/common/error_response.hpp"
#include "handlers/common/json_response.hpp"

namespace rifa::api {

void register_admin_config_routes(Router& router, const ApiContext& context, ConfigReload reload) {
  router.add("POST", std::string(kApiPrefix) + "/admin/config/reload",
             [&context, reload = std::move(reload)](Request& req) {
               auto who = context.authenticator.authenticate(req);
               if (!who) return error_response(who.error(), req);
               if (auto ok = require_role(*who, {engine::Rol::kAdmin}); !ok) return error_response(ok.error(), req);
               if (!reload) {
                 return error_response(make_error(ErrorCode::kUnavailable,
                                                  "this process cannot reload its configuration: it was not started "
                                                  "by `rifa-host serve` from a config file"),
                                       req);
               }
               const ConfigReloadAnswer answer = reload(who->user_id);
               if (answer.applied) return json_body_response(200, answer.report);
               Response refused = error_response(make_error(ErrorCode::kInvalidArgument, answer.error), req);
               auto body = nlohmann::json::parse(refused.body, nullptr, false);
               if (body.is_object()) {
                 body["reload"] = answer.report;
                 refused.body = body.dump();
               }
               return refused;
             });
}

}  // namespace rifa::api
