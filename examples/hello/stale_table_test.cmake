# The hello suite end to end, in a scratch copy of its tables (the checked-in ones are never
# touched): generate over the checked-in table writes the same bytes, check passes, and a
# table whose row no longer matches the code (as after editing a branch) fails check with a
# unified diff and exit code 1.
#
#   cmake -DKT=<hello_kt> -DTABLES=<examples/hello/tables> -DSCRATCH=<dir> -P stale_table_test.cmake

foreach(var KT TABLES SCRATCH)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "stale_table_test: -D${var}=... is required")
  endif()
endforeach()
set(table hello.greet.ktable)
file(REMOVE_RECURSE "${SCRATCH}")
file(MAKE_DIRECTORY "${SCRATCH}")
file(COPY "${TABLES}/${table}" DESTINATION "${SCRATCH}")

function(run_kt expected_exit out_var)
  execute_process(COMMAND "${KT}" ${ARGN} --tables "${SCRATCH}"
    RESULT_VARIABLE exit_code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT exit_code STREQUAL "${expected_exit}")
    message(FATAL_ERROR
      "hello_kt ${ARGN}: exit ${exit_code}, expected ${expected_exit}\n${out}${err}")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

# Regenerating over the checked-in table changes nothing, byte for byte.
run_kt(0 out generate)
file(READ "${TABLES}/${table}" original)
file(READ "${SCRATCH}/${table}" regenerated)
if(NOT original STREQUAL regenerated)
  message(FATAL_ERROR "generate changed the checked-in table:\n${out}")
endif()
run_kt(0 out check)

# The code now greets eleven guests differently than the table says: check must fail with a
# diff taking the recorded greeting out and the real one in.
string(REPLACE "ok(\"Hello, everyone\")" "ok(\"Hello, all\")    " edited "${original}")
if(edited STREQUAL original)
  message(FATAL_ERROR "the table has no ok(\"Hello, everyone\") row to edit:\n${original}")
endif()
file(WRITE "${SCRATCH}/${table}" "${edited}")
run_kt(1 out check)
foreach(expected
    "ERROR: kernel hello.greet: ${SCRATCH}/${table} is stale"
    "--- ${SCRATCH}/${table}\n+++ ${SCRATCH}/${table} (regenerated)\n@@ "
    "ok(\"Hello, all\")"
    "ok(\"Hello, everyone\")")
  string(FIND "${out}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "check's output lacks \"${expected}\":\n${out}")
  endif()
endforeach()
string(REGEX MATCH "\n-gen [^\n]*ok\\(\"Hello, all\"\\)" removed "${out}")
string(REGEX MATCH "\n\\+gen [^\n]*ok\\(\"Hello, everyone\"\\)" added "${out}")
if(NOT removed OR NOT added)
  message(FATAL_ERROR "the diff does not replace the edited row:\n${out}")
endif()
file(REMOVE_RECURSE "${SCRATCH}")
