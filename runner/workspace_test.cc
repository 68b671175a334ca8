// Tests of workspace templates, manifests and live workspace directories. Depends on
// runner/workspace.h, POSIX and GoogleTest only.
#include "runner/workspace.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace kt {
namespace {

namespace fs = std::filesystem;

TEST(WorkspaceTest, ManifestListsParentsSortedAndParsesBack) {
  const std::vector<WorkspaceEntry> entries = {File("sub/b.txt", "two\nlines"),
                                               Symlink("link", "sub/b.txt"),
                                               File("a.txt"),
                                               File("odd name", "x"),
                                               {WorkspaceEntry::Type::kOther, "fifo", {}}};
  const std::string text = FormatManifest(entries);
  EXPECT_EQ(text, R"({a.txt="",fifo=other,link=link("sub/b.txt"),"odd name"="x",sub/,)"
                  R"(sub/b.txt="two\nlines"})");
  std::string error;
  const auto back = ParseManifest(text, &error);
  ASSERT_TRUE(back.has_value()) << error;
  EXPECT_EQ(FormatManifest(*back), text);
  EXPECT_EQ(FormatManifest({}), "{}");
}

struct BadManifestCase {
  std::string_view text;
  std::string_view error;
};
const BadManifestCase kBadManifests[] = {
    {"", "a manifest starts with '{'"},
    {"{a.txt}", "expected '=' or '/' after 'a.txt'"},
    {R"({a="x" b="y"})", "expected ',' or '}' after 'a'"},
    {R"({a="x",a="y"})", "duplicate path 'a'"},
    {R"({../up="x"})", "path '../up' has an empty, '.' or '..' component"},
    {R"({"/abs"="x"})", "absolute path '/abs'"},
    {R"({a=link("b"})", "expected ')' after a link target"},
    {R"({a="x"}tail)", "text after the closing '}' of a manifest"},
    {R"({a="x)", "unterminated string"},
};

TEST(WorkspaceTest, MalformedManifestsSayWhy) {
  for (const BadManifestCase& c : kBadManifests) {
    std::string error;
    EXPECT_FALSE(ParseManifest(c.text, &error).has_value()) << c.text;
    EXPECT_EQ(error, c.error) << c.text;
  }
}

TEST(WorkspaceTest, CreatePopulatesAFreshDirectoryAndSnapshotReadsItBack) {
  const WorkspaceTemplate t{"t", {File("d/f", "hi"), Symlink("l", "d/f"), Dir("empty")}};
  Expected<Workspace> ws = Workspace::Create(t);
  ASSERT_TRUE(ws.has_value()) << ws.error().message;
  EXPECT_TRUE(ws.value().path().is_absolute());
  EXPECT_GE(ws.value().fd(), 0);
  std::ifstream in(ws.value().Path("d/f"));
  std::string content;
  std::getline(in, content);
  EXPECT_EQ(content, "hi");
  const auto snap = ws.value().Snapshot();
  ASSERT_TRUE(snap.has_value());
  EXPECT_EQ(FormatManifest(snap.value()), FormatManifest(t.entries));
  EXPECT_EQ(FormatManifest(snap.value()), R"({d/,d/f="hi",empty/,l=link("d/f")})");
}

TEST(WorkspaceTest, EachWorkspaceIsItsOwnDirectoryAndIsRemovedWithEverythingInIt) {
  fs::path first;
  {
    Expected<Workspace> a = Workspace::Create({"a", {}});
    Expected<Workspace> b = Workspace::Create({"b", {}});
    ASSERT_TRUE(a.has_value() && b.has_value());
    EXPECT_NE(a.value().path(), b.value().path());
    first = a.value().path();
    // A kernel that locks its files away must not leak the directory.
    fs::create_directories(first / "locked/deeper");
    std::ofstream(first / "locked/deeper/f") << "x";
    ASSERT_EQ(::chmod((first / "locked").c_str(), 0), 0);
    EXPECT_TRUE(fs::exists(first));
  }
  EXPECT_FALSE(fs::exists(first));
}

TEST(WorkspaceTest, MovedWorkspaceKeepsTheDirectory) {
  Expected<Workspace> a = Workspace::Create({"a", {File("f")}});
  ASSERT_TRUE(a.has_value());
  const fs::path p = a.value().path();
  Workspace moved = std::move(a).assume_value();
  EXPECT_EQ(moved.path(), p);
  EXPECT_TRUE(fs::exists(p / "f"));
}

TEST(WorkspaceTest, RejectsTemplatesWithEscapingPaths) {
  for (const WorkspaceEntry& e : {File("../x"), File("/etc/passwd"), File("a//b"), File("")}) {
    Expected<Workspace> ws = Workspace::Create({"bad", {e}});
    ASSERT_FALSE(ws.has_value()) << e.path;
    EXPECT_EQ(ws.error().code, make_error_code(WorkspaceError::kBadTemplate));
  }
}

TEST(WorkspaceTest, TemplateNamesAreTableCells) {
  EXPECT_FALSE(CheckTemplateName("non-existing").has_value());
  EXPECT_FALSE(CheckTemplateName("existing_1.v2").has_value());
  EXPECT_TRUE(CheckTemplateName("").has_value());
  EXPECT_TRUE(CheckTemplateName("two words").has_value());
  EXPECT_TRUE(CheckTemplateName("-").has_value());
}

TEST(WorkspaceTest, NoCurrentWorkspaceOutsideAnExecution) {
  EXPECT_EQ(CurrentWorkspace(), nullptr);
}

}  // namespace
}  // namespace kt
