# Copies libFuzzer's runtime (libclang_rt.fuzzer_no_main) with every SanitizerCoverage callback
# it defines (__sanitizer_cov_*, __sanitizer_weak_hook_*, __sancov_*) renamed to
# __kt_libfuzzer_<name without the leading underscores>.
#
#   cmake -DINPUT=<archive> -DOUTPUT=<archive> -DNM=<llvm-nm> -DOBJCOPY=<llvm-objcopy>
#         -P rename_libfuzzer.cmake
#
# Why: the coverage runtime (instrumentation/) defines the same callbacks, strongly, and a
# binary can hold only one definition of each. Renaming libFuzzer's keeps ours the ones
# instrumented code calls, keeps libFuzzer's trace-pc-guard stubs (which exit(1)) out of
# reach, and leaves libFuzzer's compare handlers callable under the new names: the fuzz
# search forwards the worker's compares to them (permuter/internal/libfuzzer_process.h).
# The renaming applies to definitions and references alike, so libFuzzer's own calls
# between its objects still link.
cmake_minimum_required(VERSION 3.25)

foreach(var INPUT OUTPUT NM OBJCOPY)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "rename_libfuzzer.cmake: -D${var}=... is required")
  endif()
endforeach()

execute_process(COMMAND "${NM}" --defined-only --format=just-symbols "${INPUT}"
  OUTPUT_VARIABLE symbols ERROR_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "rename_libfuzzer.cmake: ${NM} failed on ${INPUT}")
endif()
string(REGEX MATCHALL "__(sanitizer_cov_|sanitizer_weak_hook_|sancov_)[A-Za-z0-9_]*" names
       "${symbols}")
list(REMOVE_DUPLICATES names)
list(SORT names)
if(NOT "__sanitizer_cov_trace_cmp8" IN_LIST names)
  message(FATAL_ERROR "rename_libfuzzer.cmake: ${INPUT} defines no __sanitizer_cov_trace_cmp8; "
                      "is it libFuzzer's runtime?")
endif()

set(map "")
foreach(name IN LISTS names)
  string(REGEX REPLACE "^__" "__kt_libfuzzer_" renamed "${name}")
  string(APPEND map "${name} ${renamed}\n")
endforeach()
file(WRITE "${OUTPUT}.syms" "${map}")

execute_process(COMMAND "${OBJCOPY}" "--redefine-syms=${OUTPUT}.syms" "${INPUT}" "${OUTPUT}.tmp"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "rename_libfuzzer.cmake: ${OBJCOPY} failed")
endif()

# Nothing of the old names may be left defined, or the link would clash after all.
execute_process(COMMAND "${NM}" --defined-only --format=just-symbols "${OUTPUT}.tmp"
  OUTPUT_VARIABLE symbols ERROR_QUIET)
string(REGEX MATCH "(^|\n)__(sanitizer_cov_|sanitizer_weak_hook_|sancov_)[A-Za-z0-9_]*" left
       "${symbols}")
if(left)
  message(FATAL_ERROR "rename_libfuzzer.cmake: ${left} is still defined after renaming")
endif()
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
