# kt_seed_kernels(): runs the ast_seeder over kernel sources at build time, writing one JSON
# permutation domain per kernel (docs/seeder-json.md).
#
#   kt_seed_kernels(OUT_DIR <dir> SOURCES <src>... [TARGET <name>] [ROOT <dir>] [CALL_DEPTH <n>])
#
# Each source becomes one custom command whose output is <dir>/<source path>.kernels, a
# manifest naming the <kernel>.json files the source produced. The tool writes a depfile of
# every file the translation unit (and any TU it followed calls into) read, so the command
# re-runs only when one of those, or the tool, changes. The sources must be compiled by some
# target of this build: the tool reads their flags from ${CMAKE_BINARY_DIR}/compile_commands.json
# (-p), which CMAKE_EXPORT_COMPILE_COMMANDS writes at generate time. TARGET (default
# kt_seeds) is an ALL target depending on every manifest. Paths in the JSON are relative to
# ROOT (default the project's source directory). Without the ast_seeder component (the g++
# build), nothing is seeded.
include_guard(GLOBAL)

function(kt_seed_kernels)
  cmake_parse_arguments(KT "" "OUT_DIR;TARGET;ROOT;CALL_DEPTH" "SOURCES" ${ARGN})
  if(NOT KT_OUT_DIR OR NOT KT_SOURCES)
    message(FATAL_ERROR "kt_seed_kernels: OUT_DIR and SOURCES are required")
  endif()
  if(NOT TARGET ast_seeder_tool)
    message(STATUS "kt_seed_kernels: ast_seeder not built here; kernels are not seeded")
    return()
  endif()
  if(NOT KT_TARGET)
    set(KT_TARGET kt_seeds)
  endif()
  if(NOT KT_ROOT)
    set(KT_ROOT "${PROJECT_SOURCE_DIR}")
  endif()
  set(depth_args)
  if(DEFINED KT_CALL_DEPTH)
    set(depth_args "--call-depth=${KT_CALL_DEPTH}")
  endif()
  get_filename_component(out_dir "${KT_OUT_DIR}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  set(manifests)
  foreach(source IN LISTS KT_SOURCES)
    get_filename_component(abs "${source}" ABSOLUTE)
    file(RELATIVE_PATH rel "${PROJECT_SOURCE_DIR}" "${abs}")
    string(REPLACE "/" "_" stem "${rel}")
    set(manifest "${out_dir}/${stem}.kernels")
    add_custom_command(
      OUTPUT "${manifest}"
      COMMAND ast_seeder_tool -p "${CMAKE_BINARY_DIR}" "--out-dir=${out_dir}" "--root=${KT_ROOT}"
              "--manifest=${manifest}" "--depfile=${manifest}.d" ${depth_args} "${abs}"
      DEPENDS "${abs}" ast_seeder_tool
      DEPFILE "${manifest}.d"
      COMMENT "Seeding kernels of ${rel}"
      VERBATIM)
    list(APPEND manifests "${manifest}")
  endforeach()
  add_custom_target(${KT_TARGET} ALL DEPENDS ${manifests})
endfunction()
