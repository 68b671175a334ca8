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
#
# Two cache variables serve a scratch copy of the tree (the fault-injection run's build):
# KT_AST_SEEDER_EXECUTABLE names a prebuilt tool to use instead of the ast_seeder component,
# so that the build need not link LLVM again; it defines the imported target ast_seeder_tool,
# so give it only without that component. KT_SEEDS_FROM names another build tree of the same
# kernel sources: kt_seed_kernels copies that build's seeds (the same OUT_DIR relative to its
# binary directory) instead of running the tool, which costs some 20 s of CPU per source. The
# seeds then describe the other build's sources, not this one's.
include_guard(GLOBAL)

# One seeder run holds several GiB (it parses the kernel's TU and the TUs it follows calls
# into): at most KT_SEEDER_JOBS run at once, whatever the build's parallelism.
set(KT_SEEDER_JOBS 2 CACHE STRING "How many ast_seeder runs the build may start at once")
set_property(GLOBAL APPEND PROPERTY JOB_POOLS kt_seeder=${KT_SEEDER_JOBS})

set(KT_SEEDS_FROM "" CACHE PATH "A build tree whose seeds to copy instead of running the tool")

set(KT_AST_SEEDER_EXECUTABLE "" CACHE FILEPATH
    "A prebuilt ast_seeder to use instead of the ast_seeder component")
if(KT_AST_SEEDER_EXECUTABLE)
  if("ast_seeder" IN_LIST KT_COMPONENTS)
    message(FATAL_ERROR "KT_AST_SEEDER_EXECUTABLE replaces the ast_seeder component: "
                        "drop one of them")
  endif()
  if(NOT EXISTS "${KT_AST_SEEDER_EXECUTABLE}")
    message(FATAL_ERROR "KT_AST_SEEDER_EXECUTABLE: no such file ${KT_AST_SEEDER_EXECUTABLE}")
  endif()
  add_executable(ast_seeder_tool IMPORTED GLOBAL)
  set_target_properties(ast_seeder_tool PROPERTIES IMPORTED_LOCATION
                        "${KT_AST_SEEDER_EXECUTABLE}")
endif()

# The manifest kt_seed_kernels writes for `source` in `out_dir`.
function(_kt_seed_manifest out out_dir source)
  get_filename_component(abs "${source}" ABSOLUTE)
  file(RELATIVE_PATH rel "${PROJECT_SOURCE_DIR}" "${abs}")
  string(REPLACE "/" "_" stem "${rel}")
  set(${out} "${out_dir}/${stem}.kernels" PARENT_SCOPE)
endfunction()

# KT_SEEDS_FROM's copy: one command for every manifest, re-run when the other build reseeds.
function(_kt_copy_seeds target out_dir)
  file(RELATIVE_PATH out_rel "${CMAKE_BINARY_DIR}" "${out_dir}")
  set(from_dir "${KT_SEEDS_FROM}/${out_rel}")
  set(manifests)
  set(from_manifests)
  foreach(source IN LISTS ARGN)
    _kt_seed_manifest(manifest "${out_dir}" "${source}")
    _kt_seed_manifest(from_manifest "${from_dir}" "${source}")
    list(APPEND manifests "${manifest}")
    list(APPEND from_manifests "${from_manifest}")
  endforeach()
  add_custom_command(
    OUTPUT ${manifests}
    COMMAND "${CMAKE_COMMAND}" -E copy_directory "${from_dir}" "${out_dir}"
    DEPENDS ${from_manifests}
    COMMENT "Copying the seeds of ${from_dir}"
    VERBATIM)
  add_custom_target(${target} ALL DEPENDS ${manifests})
endfunction()

function(kt_seed_kernels)
  cmake_parse_arguments(KT "" "OUT_DIR;TARGET;ROOT;CALL_DEPTH" "SOURCES" ${ARGN})
  if(NOT KT_OUT_DIR OR NOT KT_SOURCES)
    message(FATAL_ERROR "kt_seed_kernels: OUT_DIR and SOURCES are required")
  endif()
  if(NOT KT_TARGET)
    set(KT_TARGET kt_seeds)
  endif()
  get_filename_component(out_dir "${KT_OUT_DIR}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  if(KT_SEEDS_FROM)
    _kt_copy_seeds("${KT_TARGET}" "${out_dir}" ${KT_SOURCES})
    return()
  endif()
  if(NOT TARGET ast_seeder_tool)
    message(STATUS "kt_seed_kernels: ast_seeder not built here; kernels are not seeded")
    return()
  endif()
  if(NOT KT_ROOT)
    set(KT_ROOT "${PROJECT_SOURCE_DIR}")
  endif()
  set(depth_args)
  if(DEFINED KT_CALL_DEPTH)
    set(depth_args "--call-depth=${KT_CALL_DEPTH}")
  endif()
  set(manifests)
  foreach(source IN LISTS KT_SOURCES)
    get_filename_component(abs "${source}" ABSOLUTE)
    file(RELATIVE_PATH rel "${PROJECT_SOURCE_DIR}" "${abs}")
    _kt_seed_manifest(manifest "${out_dir}" "${source}")
    add_custom_command(
      OUTPUT "${manifest}"
      COMMAND ast_seeder_tool -p "${CMAKE_BINARY_DIR}" "--out-dir=${out_dir}" "--root=${KT_ROOT}"
              "--manifest=${manifest}" "--depfile=${manifest}.d" ${depth_args} "${abs}"
      DEPENDS "${abs}" ast_seeder_tool
      DEPFILE "${manifest}.d"
      JOB_POOL kt_seeder
      COMMENT "Seeding kernels of ${rel}"
      VERBATIM)
    list(APPEND manifests "${manifest}")
  endforeach()
  add_custom_target(${KT_TARGET} ALL DEPENDS ${manifests})
endfunction()
