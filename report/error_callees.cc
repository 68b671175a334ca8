// The error-callee table (report/error_callees.h). The standard library only.
#include "report/error_callees.h"

#include <array>

namespace kt::report {
namespace {

// Matched against the whole base name.
constexpr std::array<std::string_view, 16> kExact = {
    "abort",           "std::terminate",        "__cxa_throw",
    "__cxa_rethrow",   "__stack_chk_fail",      "__fortify_fail",
    "__chk_fail",      "__assert_fail",         "__assert_perror_fail",
    "__assert_rtn",    "_assert",               "kt::internal::CheckFailed",
    "kt::MakeError",   "__cxa_bad_cast",        "__cxa_bad_typeid",
    "__cxa_throw_bad_array_new_length",
};
// Matched against the start of the base name.
constexpr std::array<std::string_view, 3> kPrefixes = {"__ubsan_handle_", "__asan_report_",
                                                      "std::__throw_"};
// Matched against the unqualified name: every namespace's make_error_code.
constexpr std::string_view kErrorCodeFactory = "make_error_code";

// The name after the last "::" outside template arguments.
std::string_view Unqualified(std::string_view name) noexcept {
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i + 1 < name.size(); ++i) {
    if (name[i] == '<') ++depth;
    if (name[i] == '>') --depth;
    if (depth == 0 && name[i] == ':' && name[i + 1] == ':') start = i + 2;
  }
  return name.substr(start);
}

}  // namespace

std::string_view BaseName(std::string_view function) noexcept {
  if (const std::size_t at = function.rfind("@plt"); at != std::string_view::npos) {
    function = function.substr(0, at);
  }
  int depth = 0;
  for (std::size_t i = 0; i < function.size(); ++i) {
    if (function[i] == '<') ++depth;
    if (function[i] == '>') --depth;
    if (function[i] == '(' && depth <= 0) {
      function = function.substr(0, i);
      break;
    }
  }
  // Template arguments of the function itself: "f<int>" -> "f". The scan runs backwards to
  // the '<' that opens the final '>'.
  if (!function.empty() && function.back() == '>') {
    depth = 0;
    for (std::size_t i = function.size(); i-- > 0;) {
      if (function[i] == '>') ++depth;
      if (function[i] == '<' && --depth == 0) {
        function = function.substr(0, i);
        break;
      }
    }
  }
  return function;
}

bool IsErrorCallee(std::string_view function) noexcept {
  const std::string_view base = BaseName(function);
  for (const std::string_view exact : kExact) {
    if (base == exact) return true;
  }
  for (const std::string_view prefix : kPrefixes) {
    if (base.substr(0, prefix.size()) == prefix) return true;
  }
  return Unqualified(base) == kErrorCodeFactory;
}

}  // namespace kt::report
