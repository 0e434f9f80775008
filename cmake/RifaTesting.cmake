# rifa_add_test(<name> SOURCES ... [LIBS ...] [LABELS ...])
#   A GoogleTest executable registered as one CTest test.
function(rifa_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE GTest::gtest_main GTest::gmock ${ARG_LIBS})
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT 300)
endfunction()

# rifa_add_db_test(<name> SOURCES ... [LIBS ...] [LABELS ...])
#   A GoogleTest executable that needs a database, registered twice: <name>.sqlite and
#   <name>.postgres (label `postgres`). tests/support/test_database.hpp reads RIFA_TEST_BACKEND.
#   The postgres run needs RIFA_TEST_POSTGRES_URL (scripts/test.sh starts a server and sets it).
function(rifa_add_db_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE GTest::gtest_main GTest::gmock rifa_test_support ${ARG_LIBS})
  add_test(NAME ${name}.sqlite COMMAND ${name})
  set_tests_properties(${name}.sqlite PROPERTIES
    LABELS "integration;sqlite;${ARG_LABELS}" ENVIRONMENT "RIFA_TEST_BACKEND=sqlite" TIMEOUT 600)
  add_test(NAME ${name}.postgres COMMAND ${name})
  set_tests_properties(${name}.postgres PROPERTIES
    LABELS "integration;postgres;${ARG_LABELS}" ENVIRONMENT "RIFA_TEST_BACKEND=postgres" TIMEOUT 600
    # Without a server the tests GTEST_SKIP; CTest then reports "not run" instead of a false pass.
    SKIP_REGULAR_EXPRESSION "\\[  SKIPPED \\]")
endfunction()

# rifa_npm_fixture(<fixture> PREFIX <dir> NEEDED_BY "<what>" PACKAGES name@version... [LABELS ...])
#   A CTest fixture test <fixture>_install that installs pinned npm packages into <dir> (a folder
#   of the build tree) for tests that verify our output with an official library; tests name it
#   in FIXTURES_REQUIRED. Skipped (77), saying why, without npm or a registry.
function(rifa_npm_fixture fixture)
  cmake_parse_arguments(ARG "" "PREFIX;NEEDED_BY" "PACKAGES;LABELS" ${ARGN})
  add_test(NAME ${fixture}_install
    COMMAND bash ${PROJECT_SOURCE_DIR}/tests/support/npm_install.sh ${ARG_PREFIX} "${ARG_NEEDED_BY}" ${ARG_PACKAGES})
  set_tests_properties(${fixture}_install PROPERTIES FIXTURES_SETUP ${fixture} SKIP_RETURN_CODE 77 TIMEOUT 300
    LABELS "${ARG_LABELS}")
endfunction()
