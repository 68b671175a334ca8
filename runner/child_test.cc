// Tests of ExecuteInChild: crashes, hangs, exits and sanitizer reports become outcomes. Depends on
// runner/child.h, runner/kernel.h and GoogleTest only.
#include "runner/child.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "runner/kernel.h"

#if defined(__SANITIZE_ADDRESS__)
#define KT_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KT_TEST_ASAN 1
#endif
#endif

namespace child_test {

enum class Ending { kReturn, kSegv, kAbort, kHang, kExit, kThrow, kCheck };

kt::result<int> Ends(Ending how) {
  KT_OBSERVE("started", true);
  switch (how) {
    case Ending::kReturn: return 7;
    case Ending::kSegv: ::raise(SIGSEGV); break;
    case Ending::kAbort: std::abort();
    case Ending::kHang:
      while (true) ::pause();
    case Ending::kExit: std::exit(3);
    case Ending::kThrow: throw std::runtime_error("boom");
    case Ending::kCheck: KT_CHECK(how == Ending::kReturn); break;
  }
  return 0;
}

#if defined(KT_TEST_ASAN)
int UseAfterFree(int i) {
  int* volatile p = new int[4]();  // volatile: hide the bug from compile-time warnings
  delete[] p;
  return p[i & 3];  // a heap-use-after-free under AddressSanitizer
}
#endif

int WritesFile() {
  const kt::Workspace* ws = kt::CurrentWorkspace();
  KT_CHECK(ws != nullptr);
  std::FILE* f = std::fopen(ws->Path("out").c_str(), "w");
  KT_CHECK(f != nullptr);
  std::fputs("data", f);
  std::fclose(f);
  return 1;
}

}  // namespace child_test

namespace kt {
namespace {

using namespace child_test;

Expected<Outcome> RunEnds(Ending how,
                          std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  static const KernelInfo k = internal::MakeKernelInfo("ends", &Ends, "child_test.cc", 1);
  return ExecuteInChild(k, std::vector{Value::Enum(static_cast<int>(how))}, nullptr,
                        ChildOptions{timeout});
}

struct EndingCase {
  Ending how;
  OutcomeKind kind;
  std::string_view text;
};
const EndingCase kEndings[] = {
    {Ending::kReturn, OutcomeKind::kValue, "ok(7)"},
    {Ending::kSegv, OutcomeKind::kCrash, "crash(SIGSEGV)"},
    {Ending::kAbort, OutcomeKind::kCrash, "crash(SIGABRT)"},
    {Ending::kExit, OutcomeKind::kExit, "exit(3)"},
    {Ending::kThrow, OutcomeKind::kException, "exception(std::runtime_error: boom)"},
    {Ending::kCheck, OutcomeKind::kCheckFailed,
     "check-failed(how == Ending::kReturn at child_test.cc:"},
};

TEST(ChildTest, EveryEndingOfTheChildBecomesAnOutcome) {
  for (const EndingCase& c : kEndings) {
    const Expected<Outcome> o = RunEnds(c.how);
    ASSERT_TRUE(o.has_value()) << c.text << ": " << o.error().message;
    EXPECT_EQ(o.value().kind, c.kind) << c.text;
    EXPECT_EQ(o.value().text.substr(0, c.text.size()), c.text);
  }
}

TEST(ChildTest, OutcomesKeepTheirObservations) {
  const Expected<Outcome> o = RunEnds(Ending::kReturn);
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o.value().observations, (std::vector<Observation>{{"started", "true"}}));
}

TEST(ChildTest, AHangIsKilledAtTheTimeout) {
  const auto start = std::chrono::steady_clock::now();
  const Expected<Outcome> o = RunEnds(Ending::kHang, std::chrono::milliseconds(200));
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o.value().kind, OutcomeKind::kTimeout);
  EXPECT_EQ(o.value().text, "timeout()");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(ChildTest, TheWorkspaceAfterComesBackFromTheChild) {
  const KernelInfo k = internal::MakeKernelInfo("w", &WritesFile, "child_test.cc", 1);
  const WorkspaceTemplate empty{"empty", {}};
  const Expected<Outcome> o = ExecuteInChild(k, {}, &empty, {});
  ASSERT_TRUE(o.has_value()) << o.error().message;
  EXPECT_EQ(o.value().text, "ok(1)");
  EXPECT_EQ(o.value().workspace_after, R"({out="data"})");
}

TEST(ChildTest, DecodingErrorsAreReportedWithoutForking) {
  static const KernelInfo k = internal::MakeKernelInfo("ends", &Ends, "child_test.cc", 1);
  const Expected<Outcome> o = ExecuteInChild(k, std::vector{Value::Int(1)}, nullptr, {});
  ASSERT_FALSE(o.has_value());
  EXPECT_EQ(o.error().code, make_error_code(InvokeError::kWrongKind));
}

TEST(ChildTest, ASanitizerReportBecomesASanitizerFinding) {
#if !defined(KT_TEST_ASAN)
  GTEST_SKIP() << "needs the AddressSanitizer build";
#else
  const KernelInfo k = internal::MakeKernelInfo("uaf", &UseAfterFree, "child_test.cc", 1);
  const Expected<Outcome> o = ExecuteInChild(k, std::vector{Value::Int(1)}, nullptr, {});
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o.value().kind, OutcomeKind::kSanitizer);
  EXPECT_EQ(o.value().text, "sanitizer(AddressSanitizer: heap-use-after-free)");
  EXPECT_NE(o.value().detail.find("ERROR: AddressSanitizer"), std::string::npos);
#endif
}

}  // namespace
}  // namespace kt
