# Proof that check_includes.cmake can fail, and says where: a small tree with the real table, in
# which api/handlers includes storage (forbidden), engine includes common (allowed), a plugin
# includes another plugin (forbidden), and one include names no file.
#   cmake -DCHECK_SCRIPT=... -DDOC=docs/ARCHITECTURE.md -DWORK_DIR=<scratch> -P check_includes_selftest.cmake
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE "${WORK_DIR}")
file(WRITE "${WORK_DIR}/host/common/result.hpp" "#pragma once\n")
file(WRITE "${WORK_DIR}/host/storage/database.hpp" "#pragma once\n#include \"common/result.hpp\"\n")
file(WRITE "${WORK_DIR}/host/engine/rule.hpp" "#pragma once\n#include \"common/result.hpp\"\n")
file(WRITE "${WORK_DIR}/api/handlers/bad_handlers.cpp"
     "// a handler that reaches for SQL\n#include \"engine/rule.hpp\"\n#include \"storage/database.hpp\"\n")
file(WRITE "${WORK_DIR}/plugins/payment/one/one.cpp" "#include \"rifa/sdk/abi.h\"\n#include \"two.hpp\"\n")
file(WRITE "${WORK_DIR}/plugins/payment/two/two.hpp" "#pragma once\n")
file(WRITE "${WORK_DIR}/sdk/include/rifa/sdk/abi.h" "#pragma once\n")
file(WRITE "${WORK_DIR}/host/jobs/runner.cpp" "#include \"engine/no_such_file.hpp\"\n")

execute_process(COMMAND ${CMAKE_COMMAND} -DROOT=${WORK_DIR} -DDOC=${DOC} -P ${CHECK_SCRIPT}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
string(REGEX REPLACE "[ \t\r\n]+" " " flat "${all}")
if(rc EQUAL 0)
  message(FATAL_ERROR "the check passed a tree with forbidden includes:\n${all}")
endif()
foreach(expected
    "api/handlers/bad_handlers.cpp:3: #include \"storage/database.hpp\": forbidden edge api/handlers -> host/storage"
    "plugins/payment/one/one.cpp:2: #include \"two.hpp\": forbidden edge plugins/payment/one -> plugins/payment/two"
    "host/jobs/runner.cpp:1: #include \"engine/no_such_file.hpp\" resolves to no file"
    "3 include(s) cross a boundary")
  string(FIND "${flat}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "expected \"${expected}\" in the check's output:\n${all}")
  endif()
endforeach()
message(STATUS "the include check refuses what it should:\n${all}")
