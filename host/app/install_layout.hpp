#pragma once

#include <filesystem>

namespace rifa::app {

// Where the host finds the files it ships with, wherever it was installed (the .deb puts it in
// /usr, `cmake --install --prefix P` in P): next to the executable, `<bin>/../share/rifa1122/<name>`
// when that folder exists; otherwise the source tree's folder compiled in (`build/` runs). An
// environment variable set by the operator wins over both (RIFA_MIGRATIONS_DIR).
std::filesystem::path shipped_data_dir(const char* name, const std::filesystem::path& source_tree_dir);

}  // namespace rifa::app
