# Proves check_abi_lock.cmake can fail: an edited header without a bump, and a bump without a lock
# update, are refused with a message that says what to do; an updated lock passes.
#   cmake -DCHECK_SCRIPT=... -DABI_HEADER=... -DLOCK_FILE=... -DWORK_DIR=... -P abi_lock_selftest.cmake
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
file(READ "${ABI_HEADER}" _header)

function(run_check header lock expect_success expected_text)
  execute_process(COMMAND "${CMAKE_COMMAND}" -DABI_HEADER=${header} -DLOCK_FILE=${lock} -P "${CHECK_SCRIPT}"
                  RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
  # CMake wraps long messages: compare with all whitespace collapsed.
  string(REGEX REPLACE "[ \t\n]+" " " _all "${_out}${_err}")
  if(expect_success AND NOT _rc EQUAL 0)
    message(FATAL_ERROR "expected the check to pass for ${header}, it failed: ${_all}")
  elseif(NOT expect_success AND _rc EQUAL 0)
    message(FATAL_ERROR "expected the check to fail for ${header}, it passed: ${_all}")
  endif()
  string(FIND "${_all}" "${expected_text}" _at)
  if(_at EQUAL -1)
    message(FATAL_ERROR "the check's output lacks '${expected_text}': ${_all}")
  endif()
endfunction()

# The real header against the real lock.
run_check("${ABI_HEADER}" "${LOCK_FILE}" TRUE "matches")

# An edit without a bump.
file(WRITE "${WORK_DIR}/edited/abi.h" "${_header}/* an innocent-looking edit */\n")
run_check("${WORK_DIR}/edited/abi.h" "${LOCK_FILE}" FALSE "bump RIFA_ABI_VERSION_MINOR in abi.h")

# A bump without a lock update.
string(REGEX MATCH "#define RIFA_ABI_VERSION_MINOR ([0-9]+)" _line "${_header}")
math(EXPR _next "${CMAKE_MATCH_1} + 1")
string(REPLACE "${_line}" "#define RIFA_ABI_VERSION_MINOR ${_next}" _bumped "${_header}")
file(WRITE "${WORK_DIR}/bumped/abi.h" "${_bumped}")
run_check("${WORK_DIR}/bumped/abi.h" "${LOCK_FILE}" FALSE "update the lock")

# The bump with its lock updated.
file(COPY "${LOCK_FILE}" DESTINATION "${WORK_DIR}/bumped")
get_filename_component(_lock_name "${LOCK_FILE}" NAME)
execute_process(COMMAND "${CMAKE_COMMAND}" -DABI_HEADER=${WORK_DIR}/bumped/abi.h -DLOCK_FILE=${WORK_DIR}/bumped/${_lock_name}
                        -DUPDATE=ON -P "${CHECK_SCRIPT}" RESULT_VARIABLE _rc)
run_check("${WORK_DIR}/bumped/abi.h" "${WORK_DIR}/bumped/${_lock_name}" TRUE "matches")
file(REMOVE_RECURSE "${WORK_DIR}")
message(STATUS "abi lock self-test passed")
