// Tests that every malformed table is an error naming the file, the line and the reason. Depends on
// runner/table.h and GoogleTest only.
#include <gtest/gtest.h>

#include "runner/table.h"

namespace kt {
namespace {

constexpr std::string_view kHeader =
    "kerneltest-table 1\n"                                     // 1
    "kernel k\n"                                               // 2
    "enum Order i32 kA=0 kB=1\n"                               // 3
    "param a i32 type=\"int\"\n"                               // 4
    "param o enum:Order\n";                                    // 5
constexpr std::string_view kTitle = "rows a o | outcome n\n";  // 6

std::string WithRows(std::string_view rows) {
  return std::string(kHeader) + std::string(kTitle) + std::string(rows);
}

struct BadTableCase {
  std::string text;
  TableError code;
  std::string_view message;  // after "t.ktable:"
};

std::vector<BadTableCase> HeaderCases() {
  return {
      {"", TableError::kVersion, "1: empty table: expected 'kerneltest-table 1'"},
      {"# only a comment\n", TableError::kVersion, "1: empty table: expected 'kerneltest-table 1'"},
      {"kernel k\n", TableError::kVersion, "1: expected 'kerneltest-table 1' first"},
      {"kerneltest-table 2\n", TableError::kVersion,
       "1: unsupported table format version '2' (this runner reads 1)"},
      {"kerneltest-table 1\nkernel k\n", TableError::kHeader,
       "2: missing the 'rows' line that ends the header"},
      {"kerneltest-table 1\nrows | outcome\n", TableError::kHeader,
       "2: missing 'kernel' before 'rows'"},
      {"kerneltest-table 1\nkernel k\nkernel j\n", TableError::kHeader, "3: repeated 'kernel'"},
      {"kerneltest-table 1\nkernels k\n", TableError::kHeader, "2: unknown directive 'kernels'"},
      {"kerneltest-table 1\nkernel k j\n", TableError::kHeader, "2: 'kernel' takes one value"},
      {"kerneltest-table 1\nedges 3\n", TableError::kHeader, "2: bad value '3' for 'edges'"},
      {"kerneltest-table 1\nsource a.cc\n", TableError::kHeader,
       "2: bad value 'a.cc' for 'source'"},
      {"kerneltest-table 1\nbudget -1\n", TableError::kHeader, "2: bad value '-1' for 'budget'"},
      {"kerneltest-table 1\nexhaustive maybe\n", TableError::kHeader, "2: exhaustive is yes or no"},
      {"kerneltest-table 1\nkernel \"k\n", TableError::kSyntax, "2: unterminated string"},
      {"kerneltest-table 1\nenum E u8 kA=256\n", TableError::kHeader,
       "2: value of kA is outside u8"},
      {"kerneltest-table 1\nenum E u8 kA=1 kA=2\n", TableError::kHeader,
       "2: repeated enumerator 'kA'"},
      {"kerneltest-table 1\nenum E u7 kA=1\n", TableError::kHeader,
       "2: bad integer type 'u7' (u8..u64, i8..i64)"},
      {"kerneltest-table 1\nenum E u8 kA\n", TableError::kHeader,
       "2: expected <enumerator>=<value>, got 'kA'"},
      {"kerneltest-table 1\nenum E u8 kA=1\nflags E u8 kB=1\n", TableError::kHeader,
       "3: repeated enum 'E'"},
      {"kerneltest-table 1\nparam 1a bool\n", TableError::kHeader, "2: bad parameter name '1a'"},
      {"kerneltest-table 1\nparam a bool\nparam a bool\n", TableError::kHeader,
       "3: repeated parameter 'a'"},
      {"kerneltest-table 1\nparam a float\n", TableError::kHeader,
       "2: bad kind 'float' (bool, u8..i64, strong:<int>, enum:<Name>, flags:<Name>, string, "
       "bytes)"},
      {"kerneltest-table 1\nparam a u8 range=5..1\n", TableError::kHeader,
       "2: range is <lo>..<hi> with lo <= hi"},
      {"kerneltest-table 1\nparam a u8 colour=red\n", TableError::kHeader,
       "2: unknown or malformed attribute 'colour=red'"},
      {"kerneltest-table 1\nparam a u8 type=int\n", TableError::kHeader,
       "2: type takes a quoted string"},
      {"kerneltest-table 1\nkernel k\nparam o flags:Order\nenum Order i32 kA=0\nrows o | outcome\n",
       TableError::kHeader, "3: no 'flags Order' line"},
      {"kerneltest-table 1\nworkspace w {a=\"x\",a=\"y\"}\n", TableError::kHeader,
       "2: workspace w: duplicate path 'a'"},
      {"kerneltest-table 1\nworkspace w {a=other}\n", TableError::kHeader,
       "2: a template cannot hold 'other'"},
      {"kerneltest-table 1\nworkspace w\n", TableError::kHeader,
       "2: expected 'workspace <name> {<manifest>}'"},
  };
}

std::vector<BadTableCase> RowCases() {
  return {
      {std::string(kHeader) + "rows o a | outcome\n", TableError::kHeader,
       "6: column titles do not match the header: expected 'rows a o | outcome [observations]'"},
      {std::string(kHeader) + "rows a o | outcome n n\n", TableError::kHeader,
       "6: repeated observation 'n'"},
      {WithRows("row 1 Order::kA | ok(1) 1\n"), TableError::kRow,
       "7: a row starts with 'gen' or 'pin', got 'row'"},
      {WithRows("gen 1 Order::kA | ok(1)\n"), TableError::kRow,
       "7: the row has 5 cells, the header 6"},
      {WithRows("gen 1 Order::kA ok(1) 1 2\n"), TableError::kRow,
       "7: expected '|' between the call set and the outcome"},
      {WithRows("gen 99999999999 Order::kA | ok(1) 1\n"), TableError::kRow,
       "7: a: 99999999999 is outside i32"},
      {WithRows("gen 1 Order::kC | ok(1) 1\n"), TableError::kRow,
       "7: o: unknown enumerator 'kC' of Order"},
      {WithRows("gen 1 Order::kA | fine 1\n"), TableError::kRow,
       "7: unknown outcome 'fine' (ok(...), error(...), check-failed(...), exception(...), "
       "crash(...), timeout(), sanitizer(...), exit(...))"},
      {WithRows("gen 1 Order::kA | ok(1) $\"x\n"), TableError::kSyntax, "7: unterminated string"},
      {WithRows("gen 1 Order::kA | ok(1 1\n"), TableError::kSyntax,
       "7: missing ')' before the end of the line"},
      {WithRows("gen 1 Order::kA | ok(1) 1\n\npin 1 kA | ok(2) 2\n"), TableError::kRow,
       "9: the row repeats the call set of line 7"},
      {"kerneltest-table 1\nkernel k\nworkspace w {}\nparam a bool\n"
       "rows a workspace | outcome after\ngen true v | ok() w\n",
       TableError::kRow, "6: unknown workspace 'v'"},
      {"kerneltest-table 1\nkernel k\nworkspace w {}\nparam a bool\n"
       "rows a workspace | outcome after\ngen true w | ok() {x}\n",
       TableError::kRow, "6: after: expected '=' or '/' after 'x'"},
      {"kerneltest-table 1\nkernel k\nworkspace w {}\nparam a bool\n"
       "rows a workspace | outcome after\ngen true w | ok() v\n",
       TableError::kRow, "6: after: unknown workspace 'v'"},
  };
}

TEST(TableErrorsTest, EveryMalformedTableNamesFileLineAndReason) {
  std::vector<BadTableCase> cases = HeaderCases();
  for (BadTableCase& c : RowCases()) cases.push_back(std::move(c));
  for (const BadTableCase& c : cases) {
    const Expected<kt::Table> t = ParseTable(c.text, "t.ktable");
    ASSERT_FALSE(t.has_value()) << c.text;
    EXPECT_EQ(t.error().code, make_error_code(c.code)) << c.text;
    EXPECT_EQ(t.error().message, "t.ktable:" + std::string(c.message)) << c.text;
  }
}

TEST(TableErrorsTest, TheBaseTableOfTheseCasesIsValid) {
  const Expected<kt::Table> t = ParseTable(WithRows("gen 1 Order::kA | ok(1) 1\n"), "t.ktable");
  ASSERT_TRUE(t.has_value()) << t.error().message;
  EXPECT_EQ(t.value().rows.size(), 1u);
}

TEST(TableErrorsTest, AMissingFileIsAnIoError) {
  const Expected<kt::Table> t = ReadTable("/nonexistent/dir/k.ktable");
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().code, make_error_code(TableError::kIo));
  EXPECT_EQ(t.error().message, "/nonexistent/dir/k.ktable: cannot read the table");
}

}  // namespace
}  // namespace kt
