# rifa_add_plugin(<target> SOURCES <files...> [OUTPUT_DIRECTORY <dir>])
#
# Builds a Rifa1122 plugin: a MODULE library linked to the SDK, position independent, with hidden
# visibility so that the only exported symbol is the entry point (rifa_plugin_manifest_v1).
function(rifa_add_plugin target)
  cmake_parse_arguments(ARG "" "OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "rifa_add_plugin(${target}): SOURCES is required")
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  if(TARGET RifaSDK::sdk)
    target_link_libraries(${target} PRIVATE RifaSDK::sdk)
  else()
    target_link_libraries(${target} PRIVATE rifa_sdk)
  endif()
  set_target_properties(${target} PROPERTIES
    PREFIX "lib"
    POSITION_INDEPENDENT_CODE ON
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  endif()
  if(NOT APPLE)
    # A plugin must not leave undefined symbols for the host to satisfy.
    target_link_options(${target} PRIVATE "LINKER:--no-undefined")
  endif()
  if(NOT APPLE AND NOT WIN32)
    # Hidden visibility does not hide the standard library's template instantiations (libstdc++
    # marks namespace std default-visible), so a version script keeps the entry the only export.
    set(_exports ${CMAKE_CURRENT_BINARY_DIR}/${target}.exports.map)
    file(WRITE ${_exports} "{\n  global: rifa_plugin_manifest_v1;\n  local: *;\n};\n")
    target_link_options(${target} PRIVATE "LINKER:--version-script=${_exports}")
    set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${_exports})
  endif()
endfunction()
