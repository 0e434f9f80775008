# cmake -DRIFA_HOST=... -DKIT_PLUGIN_DIR=... -DWORK_DIR=... -P replay_config.cmake
# `replay` and `record` find a case's bare library through --config's plugins.search_path: with
# $RIFA_PLUGIN_PATH unset and the library nowhere near the host, replay fails without the config
# and passes with it; record writes "now" into the case it records.
cmake_minimum_required(VERSION 3.16)
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}/cases/kit/before-the-draw")
file(WRITE "${WORK_DIR}/rifa.yaml" "database: {url: \"sqlite3://unused.db\"}
plugins:
  search_path: [${KIT_PLUGIN_DIR}]
  instances:
    kit: {library: lottery_kit_ok, kind: lottery}
    pay: {library: payment_sandbox, kind: payment}
bindings:
  defaults: {lottery: kit, payment: pay, notifiers: []}
")
file(WRITE "${WORK_DIR}/cases/kit/before-the-draw/case.json"
     "{\"library\": \"lottery_kit_ok\", \"date\": \"2026-01-19\", \"now\": \"2026-01-19T12:00:00-05:00\",
       \"expected\": {\"status\": \"not_published\"}}\n")
set(ENV{RIFA_PLUGIN_PATH} "")
set(ENV{RIFA_CONFIG} "")

execute_process(COMMAND "${RIFA_HOST}" replay cases WORKING_DIRECTORY "${WORK_DIR}"
                RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
if(_rc EQUAL 0)
  message(FATAL_ERROR "replay found lottery_kit_ok without a config; the test proves nothing:\n${_out}${_err}")
endif()

execute_process(COMMAND "${RIFA_HOST}" --config rifa.yaml replay cases WORKING_DIRECTORY "${WORK_DIR}"
                RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
if(NOT _rc EQUAL 0 OR NOT _out MATCHES "kit/before-the-draw  PASS")
  message(FATAL_ERROR "replay --config should find lottery_kit_ok in plugins.search_path (exit ${_rc}):\n${_out}${_err}")
endif()
message(STATUS "replay --config: ${_out}")

# record: a Tuesday, which this lottery refuses without a request (no network needed).
execute_process(COMMAND "${RIFA_HOST}" --config rifa.yaml record --instance kit --date 2026-01-20 --case tuesday
                        --fixtures cases
                WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "record --config failed (exit ${_rc}):\n${_out}${_err}")
endif()
file(READ "${WORK_DIR}/cases/kit/tuesday/case.json" _case)
string(JSON _now ERROR_VARIABLE _no_now GET "${_case}" now)
string(JSON _status GET "${_case}" expected status)
if(_no_now OR NOT _now MATCHES "^20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9:.]+Z$" OR NOT _status STREQUAL "not_found")
  message(FATAL_ERROR "the recorded case should carry \"now\" and expect not_found:\n${_case}")
endif()
execute_process(COMMAND "${RIFA_HOST}" --config rifa.yaml replay cases WORKING_DIRECTORY "${WORK_DIR}"
                RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
if(NOT _rc EQUAL 0 OR NOT _out MATCHES "kit/tuesday +PASS")
  message(FATAL_ERROR "the recorded case should replay (exit ${_rc}):\n${_out}${_err}")
endif()
message(STATUS "record: ${_case}")
file(REMOVE_RECURSE "${WORK_DIR}")
