# Every dependency comes from a Debian package installed by scripts/setup.sh.
find_package(Threads REQUIRED)
find_package(Boost 1.74 CONFIG REQUIRED)
find_package(yaml-cpp CONFIG REQUIRED)
find_package(spdlog CONFIG REQUIRED)
find_package(nlohmann_json CONFIG REQUIRED)
find_package(GTest CONFIG REQUIRED)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(LibXml2 REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(GUMBO REQUIRED IMPORTED_TARGET gumbo)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(ICU REQUIRED IMPORTED_TARGET icu-uc icu-i18n)

# SOCI 4.0.3 on Debian ships neither a CMake config nor a .pc file.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
find_library(SOCI_CORE_LIBRARY NAMES soci_core REQUIRED)
add_library(soci::core UNKNOWN IMPORTED)
set_target_properties(soci::core PROPERTIES
  IMPORTED_LOCATION "${SOCI_CORE_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${SOCI_INCLUDE_DIR}"
  INTERFACE_COMPILE_DEFINITIONS "SOCI_HAVE_BOOST"
  INTERFACE_LINK_LIBRARIES "Boost::headers;${CMAKE_DL_LIBS}")

# Boost.DLL without Boost.Filesystem.
add_library(rifa_boost_dll INTERFACE)
target_compile_definitions(rifa_boost_dll INTERFACE BOOST_DLL_USE_STD_FS)
target_link_libraries(rifa_boost_dll INTERFACE Boost::headers ${CMAKE_DL_LIBS})
