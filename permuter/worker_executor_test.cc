// Tests of permuter/worker_executor.h on instrumented kernels: what one execution reports,
// and a worker that outlives executions but not crashes or hangs.
#include "permuter/worker_executor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "permuter/internal/hard_kernel_registry.h"

namespace kt::permuter {
namespace {

using internal::Hard;

std::vector<Value> X(std::uint64_t x) { return {Value::Int(Integer(x))}; }

Execution MustRun(WorkerExecutor& executor, const std::vector<Value>& call_set) {
  Expected<Execution> e = executor.Run(call_set);
  EXPECT_TRUE(e.has_value()) << (e ? "" : e.error().message);
  return e ? std::move(e).value() : Execution{};
}

TEST(WorkerExecutorTest, ReportsTheKernelsEdgesAndCompares) {
  const internal::HardKernel& k = Hard("hard.magic32");
  const std::vector<std::uint32_t> own = internal::EdgesOfFunction(k.info.fn);
  ASSERT_FALSE(own.empty()) << "the kernel is instrumented";
  WorkerExecutor executor(k.info);
  const Execution plain = MustRun(executor, X(5));
  EXPECT_EQ(plain.outcome.text, "ok(0)");
  const bool saw_compare =
      std::any_of(plain.compares.begin(), plain.compares.end(), [](const CompareEvent& c) {
        return c.kind == CompareKind::kConstCmp && c.width == 4 && c.arg1 == 0xdeadbeef &&
               c.arg2 == 5;
      });
  EXPECT_TRUE(saw_compare) << "x == 0xdeadbeef reached the compare log as written";
  const Execution magic = MustRun(executor, X(0xdeadbeef));
  EXPECT_EQ(magic.outcome.text, "ok(1)");
  EXPECT_NE(plain.edges, magic.edges);
  std::vector<std::uint32_t> both;
  std::set_union(plain.edges.begin(), plain.edges.end(), magic.edges.begin(), magic.edges.end(),
                 std::back_inserter(both));
  EXPECT_TRUE(std::includes(both.begin(), both.end(), own.begin(), own.end()))
      << "the two paths cover the function";
}

TEST(WorkerExecutorTest, OneWorkerServesManyExecutions) {
  WorkerExecutor executor(Hard("hard.magic32").info);
  for (std::uint64_t x = 0; x < 200; ++x) ASSERT_EQ(MustRun(executor, X(x)).outcome.text, "ok(0)");
  EXPECT_EQ(executor.starts(), 1u);
}

TEST(WorkerExecutorTest, ACrashIsAnOutcomeAndTheNextRunGetsANewWorker) {
  WorkerExecutor executor(Hard("hard.crash_on_magic").info);
  EXPECT_EQ(MustRun(executor, X(1)).outcome.text, "ok(0)");
  const Execution crash = MustRun(executor, X(0xabad1dea));
  EXPECT_EQ(crash.outcome.kind, OutcomeKind::kCrash);
  EXPECT_EQ(crash.outcome.text, "crash(SIGSEGV)");
  EXPECT_EQ(MustRun(executor, X(2)).outcome.text, "ok(0)");
  EXPECT_EQ(executor.starts(), 2u);
}

TEST(WorkerExecutorTest, AHangIsATimeout) {
  // The default timeout: a shorter one makes ordinary executions time out on a loaded
  // machine (or under ASan), which is not what this test is about.
  WorkerExecutor executor(Hard("hard.hang_on_magic").info);
  const Execution hang = MustRun(executor, X(0x5ca1ab1e));
  EXPECT_EQ(hang.outcome.kind, OutcomeKind::kTimeout);
  EXPECT_EQ(hang.outcome.text, "timeout()");
  EXPECT_EQ(MustRun(executor, X(3)).outcome.text, "ok(0)");
  EXPECT_EQ(executor.starts(), 2u);
}

TEST(WorkerExecutorTest, AFailedCheckKeepsTheWorker) {
  WorkerExecutor executor(Hard("hard.check_above_1000").info);
  const Execution failed = MustRun(executor, X(5000));
  EXPECT_EQ(failed.outcome.kind, OutcomeKind::kCheckFailed);
  EXPECT_EQ(failed.outcome.text.rfind("check-failed(x <= 1000 at hard_kernels.cc:", 0), 0u)
      << failed.outcome.text;
  EXPECT_EQ(MustRun(executor, X(5)).outcome.text, "ok(0)");
  EXPECT_EQ(executor.starts(), 1u);
}

TEST(WorkerExecutorTest, CallSetsThatDoNotDecodeAreTheRunnersErrors) {
  WorkerExecutor executor(Hard("hard.magic32").info);
  const std::vector<Value> wrong_kind = {Value::String("x")};
  const Expected<Execution> wrong = executor.Run(wrong_kind);
  ASSERT_FALSE(wrong.has_value());
  EXPECT_STREQ(wrong.error().code.category().name(), "kt.invoke");
  EXPECT_EQ(executor.starts(), 0u) << "checked before any worker starts";
}

TEST(WorkerExecutorTest, WorkspaceTemplatesAreATrailingEnumColumn) {
  KernelInfo info = Hard("hard.magic32").info;
  info.workspaces = {{"empty", {}}, {"one", {}}};
  const std::optional<ColumnSchema> column = WorkspaceColumn(info);
  ASSERT_TRUE(column.has_value());
  EXPECT_EQ(column->kind, ParamKind::kEnum);
  ASSERT_EQ(column->enumerators.size(), 2u);
  EXPECT_EQ(column->enumerators[1].name, "one");
  EXPECT_EQ(column->enumerators[1].value, Integer(1));
  EXPECT_FALSE(WorkspaceColumn(Hard("hard.magic32").info).has_value());

  WorkerExecutor executor(info);
  EXPECT_EQ(MustRun(executor, {Value::Int(Integer(7)), Value::Enum(Integer(1))}).outcome.text,
            "ok(0)");
  const std::vector<Value> third_template = {Value::Int(Integer(7)), Value::Enum(Integer(2))};
  const Expected<Execution> outside = executor.Run(third_template);
  ASSERT_FALSE(outside.has_value());
  EXPECT_EQ(outside.error().code, make_error_code(WorkerError::kWorkspace));
}

TEST(WorkerExecutorTest, ErrorsPrintAsCategoryAndSnakeCaseName) {
  const std::error_code ec = WorkerError::kProtocol;
  EXPECT_STREQ(ec.category().name(), "kt.worker");
  EXPECT_EQ(ec.message(), "protocol");
}

}  // namespace
}  // namespace kt::permuter
