# cmake -DRIFA_HOST=... -DCASE_DIR=... -DWORK_DIR=... -P wrong_expectation.cmake
# Copies one passing case, checks that it passes as is, changes its expected número and checks
# that `rifa-host replay` then exits non-zero and prints FAIL with the mismatch.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
file(COPY ${CASE_DIR} DESTINATION ${WORK_DIR})
get_filename_component(_name ${CASE_DIR} NAME)
set(_case ${WORK_DIR}/${_name}/case.json)

execute_process(COMMAND ${RIFA_HOST} replay ${WORK_DIR} RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "the unedited copy of ${_name} must pass first (exit ${_rc}):\n${_out}${_err}")
endif()

file(READ ${_case} _json)
string(JSON _number GET "${_json}" expected result numbers 0)
if(_number STREQUAL "0000")
  set(_wrong "0001")
else()
  set(_wrong "0000")
endif()
string(JSON _json SET "${_json}" expected result numbers 0 "\"${_wrong}\"")
file(WRITE ${_case} "${_json}")

execute_process(COMMAND ${RIFA_HOST} replay ${WORK_DIR} RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
if(_rc EQUAL 0)
  message(FATAL_ERROR "replay accepted a wrong expectation (${_wrong} instead of ${_number}):\n${_out}")
endif()
string(FIND "${_out}" "FAIL" _fail)
string(FIND "${_out}" "result.numbers" _why_any)
if(_fail EQUAL -1 OR _why_any EQUAL -1)
  message(FATAL_ERROR "replay exited ${_rc} but did not report the mismatch on result.numbers:\n${_out}")
endif()
message(STATUS "replay refused the wrong expectation as it should:\n${_out}")
