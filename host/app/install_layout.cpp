#include "app/install_layout.hpp"

#include <system_error>

namespace rifa::app {

std::filesystem::path shipped_data_dir(const char* name, const std::filesystem::path& source_tree_dir) {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto installed = exe.parent_path().parent_path() / "share" / "rifa1122" / name;
    if (std::filesystem::is_directory(installed, ec)) return installed;
  }
  return source_tree_dir;
}

}  // namespace rifa::app
