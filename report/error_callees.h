// Which callees make a block an error block for path classification (report/paths.h): the
// functions a failed check, an abort or an error return calls. Names only; the standard
// library only.
#pragma once

#include <string_view>

namespace kt::report {

// True when `function` (a demangled name as llvm-symbolizer prints it, with or without its
// parameter list, template arguments or an "@plt" suffix) is one of:
//   aborts        abort, std::terminate, __cxa_throw, __cxa_rethrow, std::__throw_*,
//                 __stack_chk_fail, __fortify_fail, __chk_fail
//   failed checks __assert_fail, __assert_perror_fail, __assert_rtn, _assert,
//                 kt::internal::CheckFailed (KT_CHECK), __ubsan_handle_*, __asan_report_*
//   error returns any make_error_code (std::, vfio::, a module's own) and kt::MakeError: the
//                 project returns errors as std::error_code built by these, so a block that
//                 calls one (or has one inlined into it) is on the way to an error return
bool IsErrorCallee(std::string_view function) noexcept;

// `function` without its parameter list, trailing template arguments and "@plt":
// "kt::MakeError<kt::TableError>(kt::TableError, std::string)" -> "kt::MakeError".
std::string_view BaseName(std::string_view function) noexcept;

}  // namespace kt::report
