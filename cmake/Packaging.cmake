# What `cmake --install` and `cpack -G DEB` ship (deploy/debian/ holds the Debian-specific files).
#
# Two components, two packages:
#   host -> rifa1122      /usr/bin/rifa-host, the plugins in /usr/lib/rifa1122/plugins, the
#                         migrations in /usr/share/rifa1122, /etc/rifa1122/rifa.yaml (a conffile),
#                         the systemd unit, the rifa1122 system user (postinst)
#   dev  -> rifa1122-dev  the plugin SDK: headers, the CMake package, docs, rifa-plugin-new
# Build both from a configured build tree: `cpack -G DEB --config build/CPackConfig.cmake`
# (tests/deploy/deb_package_test.sh does it, then installs, checks and purges them). The version is
# the product's (PROJECT_VERSION), not the plugin ABI's (RIFA_SDK_VERSION; see CMakeLists.txt).
include(GNUInstallDirs)

set(RIFA_PLUGIN_INSTALL_DIR lib/rifa1122/plugins)
set(RIFA_DATA_INSTALL_DIR ${CMAKE_INSTALL_DATADIR}/rifa1122)

install(TARGETS rifa-host RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT host)
get_property(_plugins GLOBAL PROPERTY RIFA_SHIPPED_PLUGINS)
install(TARGETS ${_plugins} LIBRARY DESTINATION ${RIFA_PLUGIN_INSTALL_DIR} COMPONENT host)
# Beside the binary, where install_layout.cpp looks for them (<bin>/../share/rifa1122/migrations).
install(DIRECTORY migrations/ DESTINATION ${RIFA_DATA_INSTALL_DIR}/migrations COMPONENT host
        FILES_MATCHING PATTERN "*.sql")
install(FILES deploy/debian/rifa.yaml DESTINATION /etc/rifa1122 COMPONENT host)
install(FILES deploy/debian/rifa1122.service DESTINATION /lib/systemd/system COMPONENT host)
set(_host_docs ${CMAKE_INSTALL_DATAROOTDIR}/doc/rifa1122)
install(FILES README.md deploy/debian/copyright DESTINATION ${_host_docs} COMPONENT host)
install(FILES config/rifa.yaml DESTINATION ${_host_docs} RENAME rifa.example.yaml COMPONENT host)
# Debian wants each package's changelog gzipped, reproducibly (-n: no name, no time stamp).
set(_changelog_gz ${CMAKE_BINARY_DIR}/debian/changelog.gz)
add_custom_command(OUTPUT ${_changelog_gz}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/debian
  COMMAND gzip -9n -c ${PROJECT_SOURCE_DIR}/deploy/debian/changelog > ${_changelog_gz}
  DEPENDS ${PROJECT_SOURCE_DIR}/deploy/debian/changelog VERBATIM)
add_custom_target(rifa_debian_changelog ALL DEPENDS ${_changelog_gz})
install(FILES ${_changelog_gz} DESTINATION ${_host_docs} COMPONENT host)
install(FILES deploy/debian/copyright DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/rifa1122-dev COMPONENT dev)
install(FILES ${_changelog_gz} DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/rifa1122-dev COMPONENT dev)

set(CPACK_PACKAGE_NAME rifa1122)
set(CPACK_PACKAGE_VENDOR "Rifa1122")
set(CPACK_PACKAGE_CONTACT "Rifa1122 maintainers <maintainers@rifa1122.dev>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "plugin-driven lottery and raffle host for the Colombian market")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL host dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # rifa1122_<version>_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://rifa1122.dev")
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

set(CPACK_DEBIAN_HOST_PACKAGE_NAME rifa1122)
# First line: the synopsis; then the extended description (lines under 80 columns, as lintian asks).
set(CPACK_DEBIAN_HOST_DESCRIPTION
    "lottery and raffle host for the Colombian market\n"
    "Runs rifas (raffles) decided by official lottery draws, sells numbers\n"
    "through payment provider plugins and tells players through notifier\n"
    "plugins, behind a REST API. Lotteries, payment providers and notifiers\n"
    "are shared-library plugins.")
# Binaries and plugins ship stripped (lintian refuses unstripped ones).
set(CPACK_STRIP_FILES ON)
# Runtime libraries from dpkg-shlibdeps over the binary and the plugins; adduser for postinst.
set(CPACK_DEBIAN_HOST_PACKAGE_SHLIBDEPS ON)
# SOCI opens its database backends with dlopen, out of dpkg-shlibdeps' sight: named here.
set(CPACK_DEBIAN_HOST_PACKAGE_DEPENDS "adduser, libsoci-sqlite3-4.0, libsoci-postgresql4.0")
set(CPACK_DEBIAN_HOST_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/deploy/debian/conffiles
    ${PROJECT_SOURCE_DIR}/deploy/debian/postinst
    ${PROJECT_SOURCE_DIR}/deploy/debian/prerm
    ${PROJECT_SOURCE_DIR}/deploy/debian/postrm)
set(CPACK_DEBIAN_HOST_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_DEV_PACKAGE_NAME rifa1122-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_DESCRIPTION
    "plugin SDK for the Rifa1122 host\n"
    "The C ABI and header-only C++ wrapper for writing lottery, payment and\n"
    "notifier plugins out of tree, its CMake package (find_package(RifaSDK)),\n"
    "the integrator documentation and rifa-plugin-new, which scaffolds a\n"
    "plugin with a test and a recorded case.")

include(CPack)
