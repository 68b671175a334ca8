# Checks that every code block of docs/*.md marked as a snippet is its source, byte for byte,
# so the documentation's code is the code CMake builds. CMake only.
#
#   cmake -DDOCS_DIR=<docs> [-DUPDATE=ON] -P check_snippets.cmake
#
# A marked block is
#
#   <!-- snippet: examples/parking.h zone -->
#   ```cpp
#   ...the lines between "[START zone]" and "[END zone]" in docs/examples/parking.h...
#   ```
#
# The path is relative to DOCS_DIR. Without a region name the block is the whole file (a
# generated table). Region markers are comments (`// [START x]`, `# [END x]`); the marker
# lines of regions nested inside are left out of the outer region's text. Every ```cpp block
# must be marked. With UPDATE=ON the blocks are rewritten from their sources instead.
#
# The text is handled as strings, never as lists: C++ is full of ';' and '[', which CMake's
# list splitting treats specially.

cmake_minimum_required(VERSION 3.25)

if(NOT DEFINED DOCS_DIR)
  message(FATAL_ERROR "check_snippets: -DDOCS_DIR=<docs directory> is required")
endif()

set(marker_open "<!-- snippet: ")
set(fence "```")

# Line number (from 1) of offset `pos` in `text`.
function(_line_of out text pos)
  string(SUBSTRING "${text}" 0 ${pos} before)
  string(REGEX MATCHALL "\n" newlines "${before}")
  list(LENGTH newlines n)
  math(EXPR n "${n} + 1")
  set(${out} ${n} PARENT_SCOPE)
endfunction()

# The text of region `name` of `file` (the whole file when `name` is empty) in `out`, or a
# message in `error`.
function(_region out error file name)
  set(${error} "" PARENT_SCOPE)
  if(NOT EXISTS "${file}")
    set(${error} "names a missing file ${file}" PARENT_SCOPE)
    return()
  endif()
  file(READ "${file}" text)
  if(name STREQUAL "")
    set(${out} "${text}" PARENT_SCOPE)
    return()
  endif()
  string(FIND "${text}" "[START ${name}]" start)
  string(FIND "${text}" "[START ${name}]" last REVERSE)
  if(start EQUAL -1)
    set(${error} "names a missing region '${name}' of ${file}" PARENT_SCOPE)
    return()
  elseif(NOT start EQUAL last)
    set(${error} "names region '${name}', which ${file} starts twice" PARENT_SCOPE)
    return()
  endif()
  string(SUBSTRING "${text}" ${start} -1 rest)
  string(FIND "${rest}" "\n" newline)
  math(EXPR newline "${newline} + 1")
  string(SUBSTRING "${rest}" ${newline} -1 body)
  string(FIND "${body}" "[END ${name}]" end)
  if(end EQUAL -1)
    set(${error} "names region '${name}', which ${file} never ends" PARENT_SCOPE)
    return()
  endif()
  string(SUBSTRING "${body}" 0 ${end} body)
  # Drop the partial line holding the END marker.
  string(FIND "${body}" "\n" last_newline REVERSE)
  math(EXPR keep "${last_newline} + 1")
  string(SUBSTRING "${body}" 0 ${keep} body)
  string(REGEX REPLACE "[^\n]*\\[(START|END) [A-Za-z0-9_]+\\][^\n]*\n" "" body "${body}")
  set(${out} "${body}" PARENT_SCOPE)
endfunction()

# Checks (or rewrites) one markdown file; appends problems to the variable named by `errors`.
function(_check_markdown md errors)
  file(READ "${md}" text)
  file(RELATIVE_PATH md_name "${DOCS_DIR}/.." "${md}")
  set(problems "")
  set(rewritten "")
  set(rest "${text}")
  set(consumed 0)
  while(TRUE)
    string(FIND "${rest}" "${marker_open}" at)
    if(at EQUAL -1)
      break()
    endif()
    math(EXPR abs_at "${consumed} + ${at}")
    _line_of(line "${text}" ${abs_at})
    # The marker line: "<!-- snippet: <path> [<region>] -->".
    string(SUBSTRING "${rest}" ${at} -1 from_marker)
    string(FIND "${from_marker}" "\n" eol)
    string(SUBSTRING "${from_marker}" 0 ${eol} marker)
    if(NOT marker MATCHES "^<!-- snippet: ([^ ]+)( ([A-Za-z0-9_]+))? -->$")
      string(APPEND problems "${md_name}:${line}: malformed snippet marker: ${marker}\n")
      math(EXPR skip "${at} + ${eol} + 1")
      string(SUBSTRING "${rest}" 0 ${skip} head)
      string(APPEND rewritten "${head}")
      string(SUBSTRING "${rest}" ${skip} -1 rest)
      math(EXPR consumed "${consumed} + ${skip}")
      continue()
    endif()
    set(source "${CMAKE_MATCH_1}")
    set(region "${CMAKE_MATCH_3}")
    # The fence must follow on the next line; the block runs to the next line that is a fence.
    math(EXPR after_marker "${eol} + 1")
    string(SUBSTRING "${from_marker}" ${after_marker} -1 from_fence)
    string(FIND "${from_fence}" "\n" fence_eol)
    string(SUBSTRING "${from_fence}" 0 3 fence_start)
    string(FIND "${from_fence}" "\n${fence}" close)
    if(NOT fence_start STREQUAL fence OR fence_eol EQUAL -1 OR close EQUAL -1)
      string(APPEND problems "${md_name}:${line}: a snippet marker must be followed by a "
                             "fenced code block\n")
      break()
    endif()
    math(EXPR block_start "${fence_eol} + 1")
    math(EXPR block_length "${close} + 1 - ${block_start}")
    string(SUBSTRING "${from_fence}" ${block_start} ${block_length} block)
    _region(expected error "${DOCS_DIR}/${source}" "${region}")
    if(error)
      string(APPEND problems "${md_name}:${line}: ${error}\n")
      set(expected "${block}")
    elseif(NOT block STREQUAL expected AND NOT UPDATE)
      string(APPEND problems "${md_name}:${line}: the block differs from ${source} "
                             "${region}; rerun with -DUPDATE=ON to copy the source in.\n"
                             "--- the source says:\n${expected}--- the page says:\n${block}")
    endif()
    # Everything up to the block's first line is kept; the block becomes `expected`.
    math(EXPR head_length "${at} + ${after_marker} + ${block_start}")
    string(SUBSTRING "${rest}" 0 ${head_length} head)
    string(APPEND rewritten "${head}${expected}")
    math(EXPR tail_start "${head_length} + ${block_length}")
    string(SUBSTRING "${rest}" ${tail_start} -1 rest)
    math(EXPR consumed "${consumed} + ${tail_start}")
  endwhile()
  string(APPEND rewritten "${rest}")

  # Every C++ block is a snippet: an unmarked one would be code nothing compiles.
  set(scan "${text}")
  set(scanned 0)
  while(TRUE)
    string(FIND "${scan}" "\n${fence}cpp\n" cpp)
    if(cpp EQUAL -1)
      break()
    endif()
    string(SUBSTRING "${scan}" 0 ${cpp} before)
    string(FIND "${before}" "\n" previous_line REVERSE)
    math(EXPR previous_line "${previous_line} + 1")
    string(SUBSTRING "${before}" ${previous_line} -1 previous)
    if(NOT previous MATCHES "^${marker_open}")
      math(EXPR abs "${scanned} + ${cpp} + 1")
      _line_of(line "${text}" ${abs})
      string(APPEND problems "${md_name}:${line}: a ${fence}cpp block without a snippet marker "
                             "on the line above\n")
    endif()
    math(EXPR skip "${cpp} + 1")
    string(SUBSTRING "${scan}" ${skip} -1 scan)
    math(EXPR scanned "${scanned} + ${skip}")
  endwhile()

  if(UPDATE AND NOT rewritten STREQUAL text)
    file(WRITE "${md}" "${rewritten}")
    message(STATUS "check_snippets: updated ${md_name}")
  endif()
  set(${errors} "${${errors}}${problems}" PARENT_SCOPE)
endfunction()

file(GLOB pages "${DOCS_DIR}/*.md")
set(all_errors "")
foreach(page IN LISTS pages)
  _check_markdown("${page}" all_errors)
endforeach()
if(NOT all_errors STREQUAL "")
  # NOTICE prints the text as it is; FATAL_ERROR would re-wrap the diff.
  message(NOTICE "${all_errors}")
  message(FATAL_ERROR "check_snippets: the documentation is out of step with its code")
endif()
list(LENGTH pages n_pages)
message(STATUS "check_snippets: ${n_pages} pages, every snippet matches its source")
