# kerneltest_add_suite(): the binaries and ctest entries of one suite of test kernels.
#
#   kerneltest_add_suite(NAME <suite> SOURCES <kernel .cc>... UNDER_TEST <library target>...
#                        TABLES_DIR <dir> [BUDGET <executions>] [DEPS <target>...])
#
#   <suite>_replay  GoogleTest replay of the tables (runner::replay_main): the kernel sources,
#                   the UNDER_TEST libraries as they are and DEPS. No instrumentation, so any
#                   compiler builds it. ctest runs each table row (label "replay").
#   <suite>_kt      the driver: list, generate, check, report (permuter/driver/). The kernel
#                   sources and the UNDER_TEST libraries' own sources are compiled again,
#                   instrumented (kt_instrument); the libraries themselves stay uninstrumented
#                   for everything else. Defaults baked in: --tables TABLES_DIR, --seeds the
#                   seeder's output, BUDGET. ctest runs `<suite>_kt check` (label "check").
#                   `report` and `check` measure edges with the report library. Only with
#                   Clang and the instrumentation, ast_seeder, report and permuter
#                   components; otherwise only <suite>_replay is defined.
#   <suite>_seeds   kt_seed_kernels() over SOURCES (cmake/KtSeeder.cmake), which reads their
#                   flags from compile_commands.json.
#
# TABLES_DIR is relative to the calling CMakeLists.txt: tables live in the source tree and are
# checked in. DEPS are linked into both binaries uninstrumented (test helpers, fakes).
#
# The instrumented objects are compiled at -O0, without sanitizers and with assertions on,
# whatever the build type or KT_SANITIZE: optimisation, NDEBUG and the sanitizers all change
# the edges (ASan adds some to kernels and to libstdc++), and with them the tables. In a
# sanitizer build the replay still runs every row sanitized.
#
# Only the suite's own code is instrumented: not the standard library, Boost or the runner,
# whose inline functions the kernels' objects also define (see _kt_suite_instrumented_copts).
include_guard(GLOBAL)
include(KtSeeder)

# The options of every suite's instrumented objects, in `out`, and the ignorelist file they
# name, in `ignorelist` (written into the build tree). Functions rather than variables: an
# include_guard()ed file's variables reach only the first directory that includes it.
#
# The ignorelist, by mangled name: std:: (St, Sa, Sb), __gnu_cxx, Boost and the runner (kt::),
# with cv- and ref-qualified members, local entities (_ZZ) and thunks (_ZT). Instrumented,
# they would add the library's own edges to every table and, worse, the runner (uninstrumented,
# built as the build type says) calls the same inline functions inside the coverage window:
# the linker keeps the first, instrumented copy, so a Debug runner that calls them out of line
# adds edges that a RelWithDebInfo runner, which inlines them, does not.
function(_kt_suite_instrumented_copts out ignorelist)
  set(ignored)
  foreach(scope St Sa Sb 9__gnu_cxx 5boost 2kt)
    foreach(qualifiers "" "[KVRO]" "[KVRO][KVRO]")
      string(APPEND ignored "fun:_ZN${qualifiers}${scope}*\nfun:_ZZN${qualifiers}${scope}*\n")
    endforeach()
  endforeach()
  string(APPEND ignored
    "fun:_ZSt*\nfun:_ZZSt*\nfun:_ZT[chv]*St*\nfun:_ZT[chv]*5boost*\nfun:_ZT[chv]*2kt*\n"
    "fun:_ZL*__gthread_*\nfun:_Znwm*\nfun:_Znam*\nfun:_ZdlPv*\nfun:_ZdaPv*\n")
  set(file "${PROJECT_BINARY_DIR}/kt_suite_coverage_ignorelist.txt")
  file(CONFIGURE OUTPUT "${file}" CONTENT "${ignored}")  # rewritten only when it changes
  set(${out} -O0 -fno-sanitize=all -UNDEBUG "-fsanitize-coverage-ignorelist=${file}"
      PARENT_SCOPE)
  set(${ignorelist} "${file}" PARENT_SCOPE)
endfunction()

# The target an ALIAS names, or the name itself.
function(_kt_suite_real_target out name)
  set(real "${name}")
  if(TARGET "${name}")
    get_target_property(aliased "${name}" ALIASED_TARGET)
    if(aliased)
      set(real "${aliased}")
    endif()
  endif()
  set(${out} "${real}" PARENT_SCOPE)
endfunction()

# The driver library lives in permuter/driver/; add it here if the permuter component did not.
function(_kt_suite_ensure_driver)
  if(NOT TARGET permuter_driver)
    add_subdirectory("${PROJECT_SOURCE_DIR}/permuter/driver"
                     "${PROJECT_BINARY_DIR}/permuter/driver")
  endif()
endfunction()

# Adds the sources of UNDER_TEST library `lib` to the object library `objects`, with the
# library's own include directories, definitions and options (for every source of `objects`),
# and links what the library links except the other UNDER_TEST libraries (their instrumented
# sources are there already).
function(_kt_suite_instrument_library objects lib under_test_real)
  _kt_suite_real_target(real "${lib}")
  get_target_property(type "${real}" TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    target_link_libraries(${objects} PUBLIC "${lib}")  # header-only: compiled in the kernels
    return()
  endif()
  get_target_property(sources "${real}" SOURCES)
  get_target_property(source_dir "${real}" SOURCE_DIR)
  set(abs_sources)
  foreach(source IN LISTS sources)
    if(source MATCHES "\\$<")
      message(FATAL_ERROR "kerneltest_add_suite: ${lib} lists a generated source (${source}); "
                          "UNDER_TEST needs plain source files")
    endif()
    if(NOT IS_ABSOLUTE "${source}")
      set(source "${source_dir}/${source}")
    endif()
    list(APPEND abs_sources "${source}")
  endforeach()
  target_sources(${objects} PRIVATE ${abs_sources})
  # Target-wide rather than per source: a source property would also reach the library's own
  # compile of the file when both targets live in one directory.
  target_include_directories(${objects} PRIVATE "$<TARGET_PROPERTY:${real},INCLUDE_DIRECTORIES>")
  target_compile_definitions(${objects} PRIVATE "$<TARGET_PROPERTY:${real},COMPILE_DEFINITIONS>")
  target_compile_options(${objects} PRIVATE "$<TARGET_PROPERTY:${real},COMPILE_OPTIONS>")
  get_target_property(deps "${real}" LINK_LIBRARIES)
  foreach(dep IN LISTS deps)
    _kt_suite_real_target(dep_real "${dep}")
    if(dep AND NOT dep_real IN_LIST under_test_real)
      target_link_libraries(${objects} PUBLIC "${dep}")
    endif()
  endforeach()
endfunction()

# <suite>_kt, its seeds and the check test.
function(_kt_suite_driver name sources under_test deps tables_dir budget)
  _kt_suite_ensure_driver()
  set(seeds_dir "${CMAKE_CURRENT_BINARY_DIR}/${name}_seeds")
  kt_seed_kernels(OUT_DIR "${seeds_dir}" SOURCES ${sources} TARGET ${name}_seeds)

  # An OBJECT library, never an archive: each KT_KERNEL registers itself from a static
  # initialiser nothing references, which a linker would drop from an archive.
  set(objects ${name}_kt_objects)
  add_library(${objects} OBJECT ${sources})
  target_link_libraries(${objects} PUBLIC runner::kernel ${deps})
  set(under_test_real)
  foreach(lib IN LISTS under_test)
    _kt_suite_real_target(real "${lib}")
    list(APPEND under_test_real "${real}")
  endforeach()
  foreach(lib IN LISTS under_test)
    _kt_suite_instrument_library(${objects} "${lib}" "${under_test_real}")
  endforeach()
  kt_instrument(${objects})
  _kt_suite_instrumented_copts(copts ignorelist)
  target_compile_options(${objects} PRIVATE ${copts})
  get_target_property(object_sources ${objects} SOURCES)
  set_property(SOURCE ${object_sources} TARGET_DIRECTORY ${objects} APPEND PROPERTY
    OBJECT_DEPENDS "${ignorelist}")

  add_executable(${name}_kt "${PROJECT_SOURCE_DIR}/permuter/driver/suite_main.cc")
  target_link_libraries(${name}_kt PRIVATE ${objects} permuter::driver instrumentation::runtime)
  target_compile_definitions(${name}_kt PRIVATE
    KT_SUITE_NAME="${name}"
    KT_SUITE_TABLES_DIR="${tables_dir}"
    KT_SUITE_SEEDS_DIR="${seeds_dir}"
    KT_SUITE_SOURCE_ROOT="${PROJECT_SOURCE_DIR}"
    KT_SUITE_BUDGET=${budget})
  add_dependencies(${name}_kt ${name}_seeds)

  add_test(NAME ${name}_check COMMAND ${name}_kt check)
  set_tests_properties(${name}_check PROPERTIES LABELS "check")
endfunction()

# ctest entries for every row of <suite>_replay. The replay needs --tables for
# --gtest_list_tests as well, but gtest_discover_tests (CMake 3.25) passes EXTRA_ARGS to the
# tests only; its one hook into discovery is the CROSSCOMPILING_EMULATOR, which it prepends
# to both. So a wrapper runs the binary with --tables appended, for discovery and each row.
function(_kt_suite_replay_tests name tables_dir)
  set(wrapper "${CMAKE_CURRENT_BINARY_DIR}/${name}_replay_with_tables.sh")
  string(REPLACE "'" "'\\''" quoted_dir "${tables_dir}")
  file(CONFIGURE OUTPUT "${wrapper}" CONTENT
"#!/bin/sh
# Generated by kerneltest_add_suite(${name}): runs a replay binary on its tables.
program=\"$1\"
shift
exec \"$program\" \"$@\" --tables '${quoted_dir}'
" @ONLY)
  file(CHMOD "${wrapper}" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
       GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  set_target_properties(${name}_replay PROPERTIES CROSSCOMPILING_EMULATOR "${wrapper}")
  gtest_discover_tests(${name}_replay
    DISCOVERY_MODE PRE_TEST
    PROPERTIES LABELS replay)
endfunction()

function(kerneltest_add_suite)
  cmake_parse_arguments(KT "" "NAME;TABLES_DIR;BUDGET" "SOURCES;UNDER_TEST;DEPS" ${ARGN})
  if(NOT KT_NAME OR NOT KT_SOURCES OR NOT KT_TABLES_DIR)
    message(FATAL_ERROR "kerneltest_add_suite: NAME, SOURCES and TABLES_DIR are required")
  endif()
  if(KT_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR
      "kerneltest_add_suite(${KT_NAME}): unknown arguments ${KT_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT DEFINED KT_BUDGET)
    set(KT_BUDGET 0)  # the permuter's default
  elseif(NOT KT_BUDGET MATCHES "^[1-9][0-9]*$")
    message(FATAL_ERROR "kerneltest_add_suite(${KT_NAME}): BUDGET takes a count of executions")
  endif()
  foreach(lib IN LISTS KT_UNDER_TEST KT_DEPS)
    if(NOT TARGET "${lib}")
      message(FATAL_ERROR "kerneltest_add_suite(${KT_NAME}): '${lib}' is not a target")
    endif()
  endforeach()
  get_filename_component(tables_dir "${KT_TABLES_DIR}" ABSOLUTE)
  set(sources)
  foreach(source IN LISTS KT_SOURCES)
    get_filename_component(abs "${source}" ABSOLUTE)
    list(APPEND sources "${abs}")
  endforeach()

  add_executable(${KT_NAME}_replay ${sources})
  target_link_libraries(${KT_NAME}_replay PRIVATE
    runner::kernel runner::replay_main ${KT_UNDER_TEST} ${KT_DEPS})
  _kt_suite_replay_tests(${KT_NAME} "${tables_dir}")

  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND TARGET instrumentation_runtime
     AND TARGET permuter_worker_executor AND TARGET ast_seeder_tool AND TARGET report_report)
    _kt_suite_driver(${KT_NAME} "${sources}" "${KT_UNDER_TEST}" "${KT_DEPS}" "${tables_dir}"
                     ${KT_BUDGET})
  else()
    message(STATUS "kerneltest_add_suite(${KT_NAME}): replay only; ${KT_NAME}_kt needs Clang "
                   "and the instrumentation, ast_seeder, report and permuter components")
  endif()
endfunction()
