# Fails when abi.h changed while its version stayed the one recorded in sdk/abi.lock.
#   cmake -DABI_HEADER=sdk/include/rifa/sdk/abi.h -DLOCK_FILE=sdk/abi.lock -P check_abi_lock.cmake
# After a deliberate change and a version bump, rewrite the lock with -DUPDATE=ON.
foreach(_var ABI_HEADER LOCK_FILE)
  if(NOT DEFINED ${_var})
    message(FATAL_ERROR "check_abi_lock.cmake: pass -D${_var}=...")
  endif()
endforeach()

file(STRINGS "${ABI_HEADER}" _major REGEX "^#define RIFA_ABI_VERSION_MAJOR [0-9]+$")
file(STRINGS "${ABI_HEADER}" _minor REGEX "^#define RIFA_ABI_VERSION_MINOR [0-9]+$")
if(NOT _major OR NOT _minor)
  message(FATAL_ERROR "${ABI_HEADER}: no '#define RIFA_ABI_VERSION_MAJOR <n>' / '#define RIFA_ABI_VERSION_MINOR <n>' lines")
endif()
string(REGEX REPLACE ".* ([0-9]+)$" "\\1" _major "${_major}")
string(REGEX REPLACE ".* ([0-9]+)$" "\\1" _minor "${_minor}")
set(_version "${_major}.${_minor}")
file(SHA256 "${ABI_HEADER}" _hash)
set(_update_command "cmake -DABI_HEADER=${ABI_HEADER} -DLOCK_FILE=${LOCK_FILE} -DUPDATE=ON -P ${CMAKE_CURRENT_LIST_FILE}")

if(UPDATE)
  file(WRITE "${LOCK_FILE}" "${_version} ${_hash}\n")
  message(STATUS "${LOCK_FILE}: locked abi.h ${_version} ${_hash}")
  return()
endif()

if(NOT EXISTS "${LOCK_FILE}")
  message(FATAL_ERROR "${LOCK_FILE} does not exist; create it with: ${_update_command}")
endif()
file(READ "${LOCK_FILE}" _lock)
string(STRIP "${_lock}" _lock)
if(NOT _lock MATCHES "^([0-9]+\\.[0-9]+) ([0-9a-f]+)$")
  message(FATAL_ERROR "${LOCK_FILE}: expected one line 'MAJOR.MINOR sha256', got '${_lock}'")
endif()
set(_locked_version "${CMAKE_MATCH_1}")
set(_locked_hash "${CMAKE_MATCH_2}")

if(_locked_version STREQUAL _version AND NOT _locked_hash STREQUAL _hash)
  message(FATAL_ERROR
    "abi.h changed but its version is still ${_version} (sha256 ${_hash}, locked ${_locked_hash}).\n"
    "Every change to the plugin ABI needs a version bump: bump RIFA_ABI_VERSION_MINOR in abi.h for an "
    "append-only change (new field at the end of a struct, new enum value, new host function), "
    "RIFA_ABI_VERSION_MAJOR for anything else; add it to the version history in sdk/ABI.md; then "
    "update the lock: ${_update_command}")
elseif(NOT _locked_version STREQUAL _version)
  message(FATAL_ERROR
    "abi.h is at version ${_version} but sdk/abi.lock records ${_locked_version}: after reviewing the "
    "change and recording it in sdk/ABI.md, update the lock: ${_update_command}")
endif()
message(STATUS "abi.h ${_version} matches ${LOCK_FILE}")
