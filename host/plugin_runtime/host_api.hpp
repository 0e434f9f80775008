#pragma once

#include <string>

#include "plugin_runtime/plugin_instance.hpp"

// The ABI's opaque handles, as the host defines them.
struct rifa_host {
  std::string instance_id;
  rifa::plugin_runtime::HostServices services;
};

struct rifa_call {
  std::string result;
  std::string error;
};
