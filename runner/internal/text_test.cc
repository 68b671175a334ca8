// Tests of the table format's lexical pieces. Depends on runner/internal/text.h and GoogleTest
// only.
#include "runner/internal/text.h"

#include <gtest/gtest.h>

namespace kt::internal {
namespace {

struct QuoteCase {
  std::string_view bytes;
  std::string_view quoted;
};
const QuoteCase kQuoteCases[] = {
    {"", R"("")"},
    {"plain text", R"("plain text")"},
    {"a\"b\\c", R"("a\"b\\c")"},
    {"\n\r\t", R"("\n\r\t")"},
    {std::string_view("\0\x7f\xff", 3), R"("\x00\x7f\xff")"},
};

TEST(TextTest, QuoteGivesOneSpellingAndParsesBack) {
  for (const QuoteCase& c : kQuoteCases) {
    EXPECT_EQ(Quote(c.bytes), c.quoted);
    std::string_view in = c.quoted;
    std::string error;
    const std::optional<std::string> back = ParseQuoted(in, &error);
    ASSERT_TRUE(back.has_value()) << c.quoted << ": " << error;
    EXPECT_EQ(*back, c.bytes);
    EXPECT_TRUE(in.empty());
  }
}

struct BadQuoteCase {
  std::string_view text;
  std::string_view error;
};
const BadQuoteCase kBadQuoteCases[] = {
    {R"("abc)", "unterminated string"},
    {R"("a\q")", "unknown escape '\\q'"},
    {R"("\x4")", "\\x needs two hex digits"},
    {R"("\)", "unterminated string"},
    {"abc", "expected '\"'"},
};

TEST(TextTest, RejectsMalformedQuotedStrings) {
  for (const BadQuoteCase& c : kBadQuoteCases) {
    std::string_view in = c.text;
    std::string error;
    EXPECT_FALSE(ParseQuoted(in, &error).has_value()) << c.text;
    EXPECT_EQ(error, c.error) << c.text;
  }
}

TEST(TextTest, HexBytesRoundTripAndRejectOddDigits) {
  const std::string bytes("\x00\x01\xab\xff", 4);
  EXPECT_EQ(HexBytes(bytes), R"(x"0001abff")");
  std::string error;
  EXPECT_EQ(ParseHexBytes(R"(x"0001ABff")", &error), bytes);
  EXPECT_EQ(ParseHexBytes(R"(x"")", &error), "");
  EXPECT_FALSE(ParseHexBytes(R"(x"abc")", &error).has_value());
  EXPECT_EQ(error, "bytes need an even number of hex digits");
  EXPECT_FALSE(ParseHexBytes(R"(x"zz")", &error).has_value());
  EXPECT_FALSE(ParseHexBytes(R"("00")", &error).has_value());
}

struct IntCase {
  std::string_view text;
  std::optional<Integer> value;
};
const IntCase kIntCases[] = {
    {"0", Integer(0)},
    {"42", Integer(42)},
    {"-7", Integer(-7)},
    {"0x2000", Integer(0x2000)},
    {"0XFF", Integer(255)},
    {"-0x10", Integer(-16)},
    {"18446744073709551615", Integer(UINT64_MAX)},
    {"-9223372036854775808", Integer(INT64_MIN)},
    {"18446744073709551616", std::nullopt},
    {"-9223372036854775809", std::nullopt},
    {"", std::nullopt},
    {"-", std::nullopt},
    {"+1", std::nullopt},
    {"--1", std::nullopt},
    {"0x", std::nullopt},
    {"12a", std::nullopt},
    {"0x-1", std::nullopt},
};

TEST(TextTest, ParsesIntegerLiteralsAcrossTheWholeRange) {
  for (const IntCase& c : kIntCases) EXPECT_EQ(ParseInteger(c.text), c.value) << c.text;
}

TEST(TextTest, FormatsIntegersInDecimalOrHex) {
  EXPECT_EQ(FormatInteger(Integer(INT64_MIN), false), "-9223372036854775808");
  EXPECT_EQ(FormatInteger(Integer(UINT64_MAX), true), "0xffffffffffffffff");
  EXPECT_EQ(FormatInteger(Integer(-16), true), "-0x10");
  EXPECT_EQ(FormatInteger(Integer(0), true), "0x0");
}

struct SplitCase {
  std::string_view line;
  std::vector<std::string_view> cells;
};
const SplitCase kSplitCases[] = {
    {"  a  b\tc ", {"a", "b", "c"}},
    {R"(gen 0x1 "two words" | ok(Stats{a=1, b=2}))",
     {"gen", "0x1", R"("two words")", "|", "ok(Stats{a=1, b=2})"}},
    {R"x(x"00" {a="x y",d/} $"q )")x", {R"(x"00")", R"({a="x y",d/})", R"x($"q )")x"}},
    {"", {}},
};

TEST(TextTest, SplitsCellsKeepingStringsAndBracketsTogether) {
  for (const SplitCase& c : kSplitCases) {
    std::vector<std::string_view> cells;
    std::string error;
    ASSERT_TRUE(SplitCells(c.line, &cells, &error)) << c.line << ": " << error;
    EXPECT_EQ(cells, c.cells) << c.line;
  }
}

TEST(TextTest, SplitReportsUnbalancedBracketsAndOpenStrings) {
  std::vector<std::string_view> cells;
  std::string error;
  EXPECT_FALSE(SplitCells("ok(a", &cells, &error));
  EXPECT_EQ(error, "missing ')' before the end of the line");
  EXPECT_FALSE(SplitCells("a) b", &cells, &error));
  EXPECT_EQ(error, "unbalanced ')' in column 2");
  EXPECT_FALSE(SplitCells("(a]", &cells, &error));
  EXPECT_FALSE(SplitCells(R"("open)", &cells, &error));
  EXPECT_EQ(error, "unterminated string");
}

struct TextCellCase {
  std::string_view text;
  std::string_view cell;
};
const TextCellCase kTextCellCases[] = {
    {"ok(1)", "ok(1)"},
    {"ok(Stats{a=1, b=2})", "ok(Stats{a=1, b=2})"},
    {"two words", R"($"two words")"},
    {"-", R"($"-")"},
    {"|", R"($"|")"},
    {"#x", R"($"#x")"},
    {"$x", R"($"$x")"},
    {"", R"($"")"},
    {"a)", R"x($"a)")x"},
    {"\"quoted\"", "\"quoted\""},
};

TEST(TextTest, TextCellsAreRawWhenUnambiguousAndQuotedOtherwise) {
  for (const TextCellCase& c : kTextCellCases) {
    EXPECT_EQ(EncodeTextCell(c.text), c.cell) << c.text;
    std::string error;
    EXPECT_EQ(DecodeTextCell(c.cell, &error), c.text) << c.cell;
  }
}

TEST(TextTest, IdentifiersAreCIdentifiers) {
  EXPECT_TRUE(IsIdentifier("mappings_2"));
  EXPECT_TRUE(IsIdentifier("_x"));
  EXPECT_FALSE(IsIdentifier("2x"));
  EXPECT_FALSE(IsIdentifier(""));
  EXPECT_FALSE(IsIdentifier("a-b"));
}

}  // namespace
}  // namespace kt::internal
