// Tests of the unified diff: diff -u's hunks, context, ranges and end-of-file markers.
#include "permuter/driver/unified_diff.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace kt::driver {
namespace {

struct Case {
  const char* what;
  const char* before;
  const char* after;
  const char* diff;  // after the "--- a\n+++ b\n" header
};

constexpr Case kCases[] = {
    {"one changed line in the middle", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nV\n6\n7\n8\n9\n",
     "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+V\n 6\n 7\n 8\n"},
    {"an added first line", "a\nb\n", "new\na\nb\n", "@@ -1,2 +1,3 @@\n+new\n a\n b\n"},
    {"a removed last line", "a\nb\nc\n", "a\nb\n", "@@ -1,3 +1,2 @@\n a\n b\n-c\n"},
    {"into an empty text", "", "x\n", "@@ -0,0 +1 @@\n+x\n"},
    {"to an empty text", "x\ny\n", "", "@@ -1,2 +0,0 @@\n-x\n-y\n"},
    {"a lost final newline", "a\nb\n", "a\nb",
     "@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n"},
    {"two changes far apart make two hunks",
     "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "X\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\nY\n",
     "@@ -1,4 +1,4 @@\n-1\n+X\n 2\n 3\n 4\n@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+Y\n"},
    {"two changes close together share a hunk", "1\n2\n3\n4\n5\n6\n7\n8\n",
     "1\nA\n3\n4\n5\n6\nB\n8\n",
     "@@ -1,8 +1,8 @@\n 1\n-2\n+A\n 3\n 4\n 5\n 6\n-7\n+B\n 8\n"},
    {"a moved line is one removal and one addition", "a\nb\nc\n", "b\nc\na\n",
     "@@ -1,3 +1,3 @@\n-a\n b\n c\n+a\n"},
};

TEST(UnifiedDiffTest, PrintsHunksAsDiffDoes) {
  for (const Case& c : kCases) {
    EXPECT_EQ(UnifiedDiff(c.before, c.after, "a", "b"), std::string("--- a\n+++ b\n") + c.diff)
        << c.what;
  }
}

TEST(UnifiedDiffTest, EqualTextsHaveNoDiff) {
  EXPECT_EQ(UnifiedDiff("a\nb\n", "a\nb\n", "a", "b"), "");
  EXPECT_EQ(UnifiedDiff("", "", "a", "b"), "");
}

TEST(UnifiedDiffTest, ContextCountIsHonoured) {
  EXPECT_EQ(UnifiedDiff("1\n2\n3\n4\n5\n", "1\n2\nX\n4\n5\n", "a", "b", 1),
            "--- a\n+++ b\n@@ -2,3 +2,3 @@\n 2\n-3\n+X\n 4\n");
}

// Applies a unified diff with context 0 and no end-of-file markers to `before`.
std::string Apply(const std::string& before, const std::string& diff) {
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < before.size();) {
    const std::size_t end = before.find('\n', at);
    lines.push_back(before.substr(at, end - at));
    at = end + 1;
  }
  std::vector<std::string> out;
  std::size_t next = 0;  // in `lines`
  std::size_t at = diff.find("@@");
  while (at < diff.size()) {
    const std::size_t end = diff.find('\n', at);
    const std::string line = diff.substr(at, end - at);
    at = end + 1;
    if (line.rfind("@@", 0) == 0) {
      std::size_t start = std::stoul(line.substr(4));
      const std::size_t comma = line.find(',');
      const bool empty = comma < line.find('+') && line.substr(comma + 1, 2) == "0 ";
      if (!empty) --start;
      while (next < start) out.push_back(lines[next++]);
    } else if (line[0] == '-') {
      ++next;
    } else if (line[0] == '+') {
      out.push_back(line.substr(1));
    }
  }
  while (next < lines.size()) out.push_back(lines[next++]);
  std::string text;
  for (const std::string& l : out) text += l + "\n";
  return text;
}

TEST(UnifiedDiffTest, LargeEditsStillTurnOneTextIntoTheOther) {
  // Fixed pseudo-random texts (a linear congruential generator, seed 7): far more edits
  // than kMaxDiffEdits, so the fallback replacement is exercised too.
  std::uint32_t state = 7;
  const auto next = [&] { return state = state * 1103515245u + 12345u; };
  for (const std::size_t lines : {std::size_t{50}, std::size_t{3000}}) {
    std::string before, after;
    for (std::size_t i = 0; i < lines; ++i) {
      before += std::to_string(next() % 7) + "\n";
      after += std::to_string(next() % 7) + "\n";
    }
    const std::string diff = UnifiedDiff(before, after, "a", "b", 0);
    ASSERT_FALSE(diff.empty());
    EXPECT_EQ(Apply(before, diff), after) << lines << " lines";
  }
}

}  // namespace
}  // namespace kt::driver
