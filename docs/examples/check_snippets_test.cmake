# The snippet checker against snippet_testdata/: it must name each broken block with its
# line, accept the matching one, and with UPDATE=ON copy a differing region into the page.
# Works on a scratch copy; the test data is never written. CMake only.
#
#   cmake -DCHECKER=<check_snippets.cmake> -DTESTDATA=<dir> -DSCRATCH=<dir> -P check_snippets_test.cmake
cmake_minimum_required(VERSION 3.25)

foreach(var CHECKER TESTDATA SCRATCH)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_snippets_test: -D${var}=... is required")
  endif()
endforeach()
file(REMOVE_RECURSE "${SCRATCH}")
file(COPY "${TESTDATA}/" DESTINATION "${SCRATCH}")

function(run_checker out_var)
  execute_process(COMMAND "${CMAKE_COMMAND}" "-DDOCS_DIR=${SCRATCH}" ${ARGN} -P "${CHECKER}"
    RESULT_VARIABLE exit_code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(exit_code EQUAL 0)
    message(FATAL_ERROR "the checker passed a page with broken snippets:\n${out}${err}")
  endif()
  set(${out_var} "${out}${err}" PARENT_SCOPE)
endfunction()

function(expect_in text)
  foreach(expected IN LISTS ARGN)
    string(FIND "${text}" "${expected}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "the checker's output lacks \"${expected}\":\n${text}")
    endif()
  endforeach()
endfunction()

get_filename_component(page_name "${SCRATCH}" NAME)
set(page "${page_name}/page.md")
run_checker(out)
expect_in("${out}"
  "${page}:13: the block differs from source.cc inner"
  "--- the source says:\nint Inner();\n--- the page says:\nint Outdated();\n"
  "${page}:20: names a missing region 'gone'"
  "${page}:24: names a missing file"
  "${page}:28: a ```cpp block without a snippet marker")
string(FIND "${out}" "${page}:5:" matching_reported)
if(NOT matching_reported EQUAL -1)
  message(FATAL_ERROR "the checker reported the matching block:\n${out}")
endif()

# UPDATE=ON fixes what it can (the differing block) and still fails on the rest.
run_checker(out -DUPDATE=ON)
file(READ "${SCRATCH}/page.md" updated)
expect_in("${updated}" "<!-- snippet: source.cc inner -->\n```cpp\nint Inner();\n```\n")
string(FIND "${out}" "block differs" still_differs)
if(NOT still_differs EQUAL -1)
  message(FATAL_ERROR "UPDATE=ON left a differing block:\n${out}")
endif()
expect_in("${out}" "names a missing region 'gone'")
file(REMOVE_RECURSE "${SCRATCH}")
