// RegisterReplayTests: PlanReplay's tests as GoogleTest tests. The only GoogleTest user in
// the runner library.
#include <gtest/gtest.h>

#include "runner/replay.h"

namespace kt {
namespace {

class ReplayCase : public testing::Test {
 public:
  explicit ReplayCase(ReplayTest test) : test_(std::move(test)) {}
  void TestBody() override {
    const RowVerdict verdict = test_.run();
    if (!verdict.passed) ADD_FAILURE_AT(test_.file.c_str(), test_.line) << verdict.message;
  }

 private:
  ReplayTest test_;
};

}  // namespace

int RegisterReplayTests(const Registry& registry, const ReplayOptions& options) {
  const std::vector<ReplayTest> tests = PlanReplay(registry, options);
  for (const ReplayTest& t : tests) {
    testing::RegisterTest(t.suite.c_str(), t.name.c_str(), nullptr, nullptr, t.file.c_str(), t.line,
                          [t]() -> testing::Test* { return new ReplayCase(t); });
  }
  return static_cast<int>(tests.size());
}

}  // namespace kt
