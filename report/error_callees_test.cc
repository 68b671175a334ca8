// Tests of the error-callee rules (report/error_callees.h) on names as llvm-symbolizer-19
// prints them.
#include "report/error_callees.h"

#include <gtest/gtest.h>

namespace kt::report {
namespace {

TEST(ErrorCalleesTest, NamesAbortsFailedChecksAndErrorReturns) {
  struct Case {
    const char* name;
    bool error;
  };
  constexpr Case kCases[] = {
      {"abort", true},
      {"abort@plt", true},
      {"__assert_fail", true},
      {"kt::internal::CheckFailed(char const*, char const*, int)", true},
      {"__ubsan_handle_add_overflow_abort", true},
      {"__asan_report_load8", true},
      {"std::__throw_out_of_range_fmt(char const*, ...)", true},
      {"__cxa_throw", true},
      {"std::terminate()", true},
      {"vfio::make_error_code(vfio::DmaError)", true},
      {"std::make_error_code(std::errc)", true},
      {"kt::MakeError<kt::TableError>(kt::TableError, std::__cxx11::basic_string<char, "
       "std::char_traits<char>, std::allocator<char> >)",
       true},
      {"vfio::DmaMapTracker::Map(vfio::Iova, unsigned long)", false},
      {"abortive_retry", false},
      {"my::make_error_code_table()", false},
      {"std::vector<int, std::allocator<int> >::push_back(int const&)", false},
      {"", false},
  };
  for (const Case& c : kCases) EXPECT_EQ(IsErrorCallee(c.name), c.error) << c.name;
}

TEST(ErrorCalleesTest, BaseNameDropsParametersTemplateArgumentsAndPlt) {
  struct Case {
    const char* name;
    const char* base;
  };
  constexpr Case kCases[] = {
      {"f(int)", "f"},
      {"ns::f<std::pair<int, int> >(int)", "ns::f"},
      {"ns::C<int>::g() const", "ns::C<int>::g"},
      {"abort@plt", "abort"},
      {"plain", "plain"},
  };
  for (const Case& c : kCases) EXPECT_EQ(BaseName(c.name), c.base) << c.name;
}

}  // namespace
}  // namespace kt::report
