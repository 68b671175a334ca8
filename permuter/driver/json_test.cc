// Tests of the strict JSON reader and the writer.
#include "permuter/driver/json.h"

#include <gtest/gtest.h>

#include <string>

namespace kt::driver {
namespace {

TEST(JsonTest, ParsesNestedDocumentsKeepingMemberOrderAndPositions) {
  const Expected<JsonValue> v =
      ParseJson("{\n  \"b\": [1, -2.5e3, true, null],\n  \"a\": {\"x\": \"y\"}\n}\n");
  ASSERT_TRUE(v.has_value()) << v.error().message;
  ASSERT_EQ(v.value().type(), JsonValue::Type::kObject);
  ASSERT_EQ(v.value().members().size(), 2u);
  EXPECT_EQ(v.value().members()[0].first, "b");
  EXPECT_EQ(v.value().members()[1].first, "a");
  const JsonValue* b = v.value().Find("b");
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(b->items().size(), 4u);
  EXPECT_EQ(b->items()[0].AsUint64(), 1u);
  EXPECT_EQ(b->items()[1].text(), "-2.5e3");
  EXPECT_EQ(b->items()[1].AsUint64(), std::nullopt);
  EXPECT_TRUE(b->items()[2].as_bool());
  EXPECT_EQ(b->items()[3].type(), JsonValue::Type::kNull);
  EXPECT_EQ(b->line(), 2);
  EXPECT_EQ(b->column(), 8);
  EXPECT_EQ(v.value().Find("a")->Find("x")->text(), "y");
  EXPECT_EQ(v.value().Find("missing"), nullptr);
}

TEST(JsonTest, DecodesEveryEscapeAndKeepsUtf8) {
  const Expected<JsonValue> v =
      ParseJson(R"("q\" b\\ s\/ \b\f\n\r\t \u00e9 \ud83d\ude00 é")");
  ASSERT_TRUE(v.has_value()) << v.error().message;
  EXPECT_EQ(v.value().text(), "q\" b\\ s/ \b\f\n\r\t \xc3\xa9 \xf0\x9f\x98\x80 \xc3\xa9");
}

TEST(JsonTest, NumbersAreExactUint64WhenWhole) {
  EXPECT_EQ(ParseJson("18446744073709551615").value().AsUint64(), UINT64_MAX);
  EXPECT_EQ(ParseJson("18446744073709551616").value().AsUint64(), std::nullopt);
  EXPECT_EQ(ParseJson("-1").value().AsUint64(), std::nullopt);
  EXPECT_EQ(ParseJson("0").value().AsUint64(), 0u);
}

struct BadCase {
  const char* text;
  JsonError code;
  const char* message;
};

constexpr BadCase kBadCases[] = {
    {"", JsonError::kSyntax, "1:1: expected a value, found the end"},
    {"{\"a\": 1,}", JsonError::kSyntax, "1:9: expected a member name in quotes"},
    {"[1, 2,]", JsonError::kSyntax, "1:7: expected a value, found ']'"},
    {"[1 2]", JsonError::kSyntax, "1:4: expected ',' or ']' after an item"},
    {"{\"a\" 1}", JsonError::kSyntax, "1:6: expected ':' after a member name"},
    {"{\"a\": 1 \"b\": 2}", JsonError::kSyntax, "1:9: expected ',' or '}' after a member"},
    {"{a: 1}", JsonError::kSyntax, "1:2: expected a member name in quotes"},
    {"01", JsonError::kSyntax, "1:2: a number may not have leading zeros"},
    {"1.", JsonError::kSyntax, "1:3: expected a digit after '.'"},
    {"1e+", JsonError::kSyntax, "1:4: expected a digit in the exponent"},
    {"-x", JsonError::kSyntax, "1:2: expected a digit"},
    {"+1", JsonError::kSyntax, "1:1: expected a value, found '+'"},
    {"tru", JsonError::kSyntax, "1:1: expected a value, found 't'"},
    {"'a'", JsonError::kSyntax, "1:1: expected a value, found '''"},
    {"\"abc", JsonError::kSyntax, "1:5: unterminated string"},
    {"\"a\tb\"", JsonError::kSyntax, "1:3: control character byte 0x09 in a string; escape it"},
    {"\"\\x41\"", JsonError::kSyntax, "1:3: unknown escape \\x"},
    {"\"\\u12G4\"", JsonError::kSyntax, "1:6: \\u takes four hex digits"},
    {"\"\\udc00\"", JsonError::kEncoding, "1:8: \\u escape is a lone low surrogate"},
    {"\"\\ud800x\"", JsonError::kEncoding, "1:8: \\u escape is a high surrogate without its pair"},
    {"\"\xff\"", JsonError::kEncoding, "1:2: a string is not valid UTF-8"},
    {"\"\xc0\xaf\"", JsonError::kEncoding, "1:2: a string is not valid UTF-8"},
    {"\"\xed\xa0\x80\"", JsonError::kEncoding, "1:2: a string is not valid UTF-8"},
    {"{\"a\": 1, \"a\": 2}", JsonError::kDuplicate, "1:10: duplicate member \"a\""},
    {"1 2", JsonError::kSyntax, "1:3: unexpected text after the document"},
    {"// comment\n1", JsonError::kSyntax, "1:1: expected a value, found '/'"},
    {"\n\n  @", JsonError::kSyntax, "3:3: expected a value, found '@'"},
};

TEST(JsonTest, RejectsEveryMalformedDocumentSayingWhereAndWhy) {
  for (const BadCase& c : kBadCases) {
    const Expected<JsonValue> v = ParseJson(c.text);
    ASSERT_FALSE(v.has_value()) << c.text;
    EXPECT_EQ(v.error().code, make_error_code(c.code)) << c.text;
    EXPECT_EQ(v.error().message, c.message) << c.text;
  }
}

TEST(JsonTest, RejectsNestingDeeperThanTheLimit) {
  const std::string ok = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(ParseJson(ok).has_value());
  const std::string deep = "[" + ok + "]";
  const Expected<JsonValue> v = ParseJson(deep);
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error().code, make_error_code(JsonError::kDepth));
}

TEST(JsonTest, QuoteEscapesWhatJsonRequiresAndReplacesBytesThatAreNotUtf8) {
  EXPECT_EQ(JsonQuote("a\"b\\c\n\t\r\x01 \xc3\xa9"), "\"a\\\"b\\\\c\\n\\t\\r\\u0001 \xc3\xa9\"");
  EXPECT_EQ(JsonQuote("x\xffy"), "\"x\xef\xbf\xbdy\"");
  const std::string quoted = JsonQuote("\x80\x01\"\xf0\x9f\x98\x80");
  const Expected<JsonValue> back = ParseJson(quoted);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back.value().text(), "\xef\xbf\xbd\x01\"\xf0\x9f\x98\x80");
}

TEST(JsonTest, WriterIndentsAndRoundTrips) {
  JsonWriter w;
  w.BeginObject().Key("name").String("hello.greet").Key("rows").Uint(6);
  w.Key("empty").BeginArray().EndArray().Key("list").BeginArray().Bool(true).Uint(2);
  w.EndArray().EndObject();
  const std::string text = w.Take();
  EXPECT_EQ(text,
            "{\n  \"name\": \"hello.greet\",\n  \"rows\": 6,\n  \"empty\": [],\n"
            "  \"list\": [\n    true,\n    2\n  ]\n}\n");
  const Expected<JsonValue> back = ParseJson(text);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back.value().Find("rows")->AsUint64(), 6u);
  EXPECT_EQ(back.value().Find("list")->items().size(), 2u);
}

}  // namespace
}  // namespace kt::driver
