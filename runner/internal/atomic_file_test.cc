// Tests that table writes are atomic: a writer killed before its rename leaves the old table whole,
// and a completed write replaces it. Depends on runner/internal/atomic_file.h, runner/table.h,
// POSIX and GoogleTest only.
#include "runner/internal/atomic_file.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "runner/table.h"

namespace kt::internal {
namespace {

namespace fs = std::filesystem;

class AtomicFileTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string dir = (fs::temp_directory_path() / "kt-atomic-XXXXXX").string();
    ASSERT_NE(::mkdtemp(dir.data()), nullptr);
    dir_ = dir;
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string Slurp(const fs::path& p) {
    std::ifstream in(p);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::vector<std::string> Names() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path dir_;
};

TEST_F(AtomicFileTest, AWriteReplacesTheFileAndLeavesNoTemporary) {
  const fs::path p = dir_ / "k.ktable";
  ASSERT_TRUE(WriteFileAtomically(p, "old\n").has_value());
  ASSERT_TRUE(WriteFileAtomically(p, "new\n").has_value());
  EXPECT_EQ(Slurp(p), "new\n");
  EXPECT_EQ(Names(), std::vector<std::string>{"k.ktable"});
  EXPECT_EQ(fs::status(p).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                fs::perms::others_read);
}

TEST_F(AtomicFileTest, AWriterKilledBeforeTheRenameLeavesTheOldTableWhole) {
  const fs::path p = dir_ / "k.ktable";
  const std::string old_table(100000, 'o');
  ASSERT_TRUE(WriteFileAtomically(p, old_table).has_value());
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    (void)WriteFileAtomically(p, std::string(200000, 'n'), [] { ::raise(SIGKILL); });
    ::_exit(0);  // not reached
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  EXPECT_EQ(Slurp(p), old_table);
  // The killed writer's temporary file stays behind, named so no reader takes it for a table.
  const std::vector<std::string> names = Names();
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0].rfind(".k.ktable.tmp-", 0), 0u) << names[0];
  EXPECT_EQ(names[1], "k.ktable");
  // The next write still succeeds.
  ASSERT_TRUE(WriteFileAtomically(p, "next\n").has_value());
  EXPECT_EQ(Slurp(p), "next\n");
}

TEST_F(AtomicFileTest, KeepsTheModeOfTheFileItReplaces) {
  const fs::path p = dir_ / "k.ktable";
  ASSERT_TRUE(WriteFileAtomically(p, "a").has_value());
  ASSERT_EQ(::chmod(p.c_str(), 0600), 0);
  ASSERT_TRUE(WriteFileAtomically(p, "b").has_value());
  struct stat st {};
  ASSERT_EQ(::stat(p.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(AtomicFileTest, AWriteIntoAMissingDirectoryIsAnIoError) {
  const Expected<void> r = WriteFileAtomically(dir_ / "missing" / "k.ktable", "x");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, make_error_code(TableError::kIo));
  EXPECT_NE(r.error().message.find("create a temporary file in"), std::string::npos);
}

TEST_F(AtomicFileTest, WriteTableWritesWhatReadTableReads) {
  Table t;
  t.kernel.name = "k";
  ColumnSchema c;
  c.name = "a";
  c.kind = ParamKind::kBool;
  t.kernel.columns = {c};
  Row r;
  r.values = {Value::Bool(true)};
  r.expected.text = "ok()";
  t.rows = {r};
  const fs::path p = dir_ / TableFileName("k");
  ASSERT_TRUE(WriteTable(p, t).has_value());
  const Expected<Table> back = ReadTable(p);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back.value().rows.at(0).values, r.values);
  EXPECT_EQ(back.value().rows.at(0).line, 11);  // after the 10 header lines
}

}  // namespace
}  // namespace kt::internal
