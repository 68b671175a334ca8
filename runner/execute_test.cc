// Tests of in-process execution: findings from exceptions and checks, observations, and the
// workspace hook expressing KernelTest's non-existing / existing0 / existing1 file kernels. Depends
// on runner/execute.h, runner/kernel.h, POSIX and GoogleTest only.
#include "runner/execute.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <stdexcept>

#include "runner/kernel.h"

namespace execute_test {

int Throws(int which) {
  if (which == 0) throw std::out_of_range("index 9");
  if (which == 1) throw 42;
  return which;
}

kt::result<int> Checks(int v) {
  KT_OBSERVE("seen", v);
  KT_CHECK(v < 3);
  return v;
}
constexpr int kCheckLine = __LINE__ - 3;

int SwallowsCheck(int v) {
  try {
    KT_CHECK(v < 0);
  } catch (...) {
  }
  return v;
}

kt::result<int> Observes(int v) {
  KT_OBSERVE("first", v);
  KT_OBSERVE("count", kt::Hex(16));
  KT_OBSERVE("first", v + 1);  // a repeated name keeps the last value
  if (v < 0) return std::make_error_code(std::errc::invalid_argument);
  return v;
}

void BadObservationName() { KT_OBSERVE("not an identifier", 1); }

// KernelTest's file_handle kernel, ported to POSIX: open "testfile.txt" in the workspace.
enum class Mode { kRead, kWrite };
enum class Creation { kOpenExisting, kOnlyIfNotExist, kIfNeeded, kTruncate };

kt::result<void> FileCreate(Mode mode, Creation creation) {
  const kt::Workspace* ws = kt::CurrentWorkspace();
  KT_CHECK(ws != nullptr);
  int flags = mode == Mode::kRead ? O_RDONLY : O_RDWR;
  switch (creation) {
    case Creation::kOpenExisting: break;
    case Creation::kOnlyIfNotExist: flags |= O_CREAT | O_EXCL; break;
    case Creation::kIfNeeded: flags |= O_CREAT; break;
    case Creation::kTruncate: flags |= O_TRUNC; break;
  }
  const int fd = ::openat(ws->fd(), "testfile.txt", flags | O_CLOEXEC, 0644);
  if (fd < 0) return std::error_code(errno, std::generic_category());
  ::close(fd);
  return kt::success();
}

}  // namespace execute_test

namespace kt {
namespace {

using namespace execute_test;

template <class F>
Outcome Exec(F fn, CallSet args, const WorkspaceTemplate* ws = nullptr) {
  const KernelInfo k = internal::MakeKernelInfo("t", fn, "execute_test.cc", 1);
  Expected<Outcome> o = Execute(k, args, ws);
  EXPECT_TRUE(o.has_value()) << o.error().message;
  return o.has_value() ? o.value() : Outcome{};
}

TEST(ExecuteTest, ExceptionsBecomeFindingsWithTypeAndWhat) {
  const Outcome std_exc = Exec(&Throws, {Value::Int(0)});
  EXPECT_EQ(std_exc.kind, OutcomeKind::kException);
  EXPECT_EQ(std_exc.text, "exception(std::out_of_range: index 9)");
  const Outcome other = Exec(&Throws, {Value::Int(1)});
  EXPECT_EQ(other.text, "exception(int: not a std::exception)");
  EXPECT_EQ(Exec(&Throws, {Value::Int(5)}).text, "ok(5)");
}

TEST(ExecuteTest, FailedCheckEndsTheExecutionAsAFinding) {
  const Outcome o = Exec(&Checks, {Value::Int(7)});
  EXPECT_EQ(o.kind, OutcomeKind::kCheckFailed);
  EXPECT_TRUE(IsFinding(o.kind));
  EXPECT_EQ(o.text, "check-failed(v < 3 at execute_test.cc:" + std::to_string(kCheckLine) + ")");
  ASSERT_EQ(o.observations.size(), 1u);  // observed before the check: kept
  EXPECT_EQ(o.observations[0], (Observation{"seen", "7"}));
  EXPECT_EQ(Exec(&Checks, {Value::Int(2)}).text, "ok(2)");
}

TEST(ExecuteTest, ACheckSwallowedByCatchAllStillFails) {
  const Outcome o = Exec(&SwallowsCheck, {Value::Int(4)});
  EXPECT_EQ(o.kind, OutcomeKind::kCheckFailed);
  EXPECT_NE(o.text.find("check-failed(v < 0 at execute_test.cc:"), std::string::npos);
}

TEST(ExecuteTest, ObservationsAreRecordedOnEveryPath) {
  const Outcome ok = Exec(&Observes, {Value::Int(1)});
  EXPECT_EQ(ok.text, "ok(1)");
  const std::vector<Observation> want = {{"first", "2"}, {"count", "0x10"}};
  EXPECT_EQ(ok.observations, want);
  const Outcome err = Exec(&Observes, {Value::Int(-1)});
  EXPECT_EQ(err.kind, OutcomeKind::kError);
  EXPECT_EQ(err.text, "error(generic:EINVAL)");
  EXPECT_EQ(err.observations.size(), 2u);
}

TEST(ExecuteTest, AnObservationNameMustBeAnIdentifier) {
  const Outcome o = Exec(&BadObservationName, {});
  EXPECT_EQ(o.kind, OutcomeKind::kCheckFailed);
  EXPECT_NE(o.text.find(R"(KT_OBSERVE name "not an identifier" is an identifier)"),
            std::string::npos);
}

TEST(ExecuteTest, ObserveAndCurrentWorkspaceAreInertOutsideExecutions) {
  EXPECT_EQ(Observes(3).value(), 3);
  EXPECT_EQ(CurrentWorkspace(), nullptr);
}

TEST(ExecuteTest, DecodingErrorsAreTheRunnersNotFindings) {
  const KernelInfo k = internal::MakeKernelInfo("t", &Throws, "x.cc", 1);
  const Expected<Outcome> o = Execute(k, std::vector{Value::String("x")});
  ASSERT_FALSE(o.has_value());
  EXPECT_EQ(o.error().code, make_error_code(InvokeError::kWrongKind));
}

const WorkspaceTemplate kNonExisting{"non-existing", {}};
const WorkspaceTemplate kExisting0{"existing0", {File("testfile.txt")}};
const WorkspaceTemplate kExisting1{"existing1", {File("testfile.txt", "hello")}};

struct FileCase {
  Mode mode;
  Creation creation;
  const WorkspaceTemplate* before;
  std::string_view outcome;
  const WorkspaceTemplate* after;
};

// Rows from LLFIO's file_handle_create_close table, as KernelTest expressed them.
const FileCase kFileCases[] = {
    {Mode::kWrite, Creation::kIfNeeded, &kNonExisting, "ok()", &kExisting0},
    {Mode::kWrite, Creation::kIfNeeded, &kExisting1, "ok()", &kExisting1},
    {Mode::kWrite, Creation::kOpenExisting, &kNonExisting, "error(generic:ENOENT)", &kNonExisting},
    {Mode::kWrite, Creation::kTruncate, &kExisting1, "ok()", &kExisting0},
    {Mode::kWrite, Creation::kOnlyIfNotExist, &kExisting1, "error(generic:EEXIST)", &kExisting1},
    {Mode::kRead, Creation::kOpenExisting, &kExisting0, "ok()", &kExisting0},
};

TEST(ExecuteTest, WorkspaceExpressesKernelTestsFileKernels) {
  const std::filesystem::path cwd = std::filesystem::current_path();
  for (const FileCase& c : kFileCases) {
    const Outcome o =
        Exec(&FileCreate,
             {Value::Enum(static_cast<int>(c.mode)), Value::Enum(static_cast<int>(c.creation))},
             c.before);
    EXPECT_EQ(o.text, c.outcome) << c.before->name;
    EXPECT_EQ(o.workspace_after, FormatManifest(c.after->entries)) << c.before->name;
    EXPECT_EQ(std::filesystem::current_path(), cwd);
  }
}

TEST(ExecuteTest, AKernelWithoutItsWorkspaceFailsItsCheck) {
  const Outcome o = Exec(&FileCreate, {Value::Enum(0), Value::Enum(0)});
  EXPECT_EQ(o.kind, OutcomeKind::kCheckFailed);
  EXPECT_FALSE(o.workspace_after.has_value());
}

}  // namespace
}  // namespace kt
