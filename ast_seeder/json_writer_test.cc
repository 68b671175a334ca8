// Tests of the seeder's JSON document: escaping, layout, 64-bit values as strings.
#include "ast_seeder/json_writer.h"

#include <cstdint>
#include <string>

#include "ast_seeder/domain.h"
#include "gtest/gtest.h"

namespace ast_seeder {
namespace {

struct QuoteCase {
  const char* raw;
  const char* quoted;
};
constexpr QuoteCase kQuoteCases[] = {
    {"plain", "\"plain\""},
    {"a\"b", "\"a\\\"b\""},
    {"back\\slash", "\"back\\\\slash\""},
    {"line\nbreak", "\"line\\u000abreak\""},
};

TEST(JsonWriterTest, EscapesQuotesBackslashesAndControlCharacters) {
  for (const QuoteCase& c : kQuoteCases) EXPECT_EQ(JsonQuote(c.raw), c.quoted) << c.raw;
}

KernelDomain SmallKernel() {
  KernelDomain k;
  k.name = "t.small";
  k.function = "t::Small";
  k.source = "t/small.cc";
  k.line = 7;
  k.ret = {"vfio::Result<int>", ReturnKind::kResult, "int"};
  k.call_depth = 3;
  ParamDomain mode;
  mode.name = "mode";
  mode.type = "t::Mode";
  mode.kind = ParamKind::kFlags;
  mode.bits = 64;
  mode.lo = ExactInt::FromUnsigned(0);
  mode.hi = ExactInt::FromUnsigned(UINT64_MAX);
  mode.underlying = "unsigned long";
  mode.flags_source = FlagsSource::kDetected;
  mode.enumerators = {{"t::Mode::kTop", ExactInt::FromUnsigned(UINT64_MAX)}};
  ParamDomain data;
  data.name = "data";
  data.type = "std::string_view";
  data.kind = ParamKind::kString;
  data.max_len = 16;
  k.params = {mode, data};
  k.constants = {{ExactInt::FromSigned(-5), 32, true, ConstantUse::kBound, "t/small.cc", 9}};
  return k;
}

TEST(JsonWriterTest, WritesTheDocumentLayoutWith64BitValuesAsStrings) {
  EXPECT_EQ(KernelDomainToJson(SmallKernel()), R"({
  "format": "kerneltest.seeder.v1",
  "kernel": "t.small",
  "function": "t::Small",
  "source": "t/small.cc",
  "line": 7,
  "return": {"type": "vfio::Result<int>", "kind": "result", "value_type": "int"},
  "call_depth": 3,
  "params": [
    {
      "name": "mode",
      "type": "t::Mode",
      "kind": "flags",
      "bits": 64,
      "signed": false,
      "range": ["0", "18446744073709551615"],
      "range_source": "type",
      "underlying": "unsigned long",
      "flags": "detected",
      "enumerators": [
        {"name": "t::Mode::kTop", "value": "18446744073709551615"}
      ]
    },
    {
      "name": "data",
      "type": "std::string_view",
      "kind": "string",
      "max_len": 16
    }
  ],
  "constants": [
    {"value": "-5", "bits": 32, "signed": true, "kind": "bound", "origin": "t/small.cc:9"}
  ]
}
)");
}

TEST(JsonWriterTest, WritesEmptyListsInline) {
  KernelDomain k = SmallKernel();
  k.params.clear();
  k.constants.clear();
  const std::string json = KernelDomainToJson(k);
  EXPECT_NE(json.find("\"params\": [],\n"), std::string::npos) << json;
  EXPECT_NE(json.find("\"constants\": []\n"), std::string::npos) << json;
}

TEST(JsonWriterTest, WritesStringsOnlyWhenThereAreAny) {
  KernelDomain k = SmallKernel();
  EXPECT_EQ(KernelDomainToJson(k).find("\"strings\""), std::string::npos);
  k.strings = {{std::string("vfio\0\xff\"", 7), "operator==", "t/small.cc", 12}};
  const std::string json = KernelDomainToJson(k);
  EXPECT_NE(
      json.find("  \"constants\": [\n"
                "    {\"value\": \"-5\", \"bits\": 32, \"signed\": true, \"kind\": \"bound\", "
                "\"origin\": \"t/small.cc:9\"}\n"
                "  ],\n"
                "  \"strings\": [\n"
                "    {\"text\": \"vfio\\u0000\\u00ff\\u0022\", \"hex\": \"7666696f00ff22\", "
                "\"via\": \"operator==\", \"origin\": \"t/small.cc:12\"}\n"
                "  ]\n}\n"),
      std::string::npos)
      << json;
}

struct BytesCase {
  std::string bytes;
  const char* text;  // JsonBytes, quotes included
  const char* hex;
};

TEST(JsonWriterTest, SpellsBytesAsReadableTextAndExactHex) {
  const BytesCase cases[] = {
      {"pci", "\"pci\"", "706369"},
      {std::string("\0\x7f\x80\xff", 4), "\"\\u0000\\u007f\\u0080\\u00ff\"", "007f80ff"},
      {"a\\b\"c", "\"a\\u005cb\\u0022c\"", "615c622263"},
      {"", "\"\"", ""},
  };
  for (const BytesCase& c : cases) {
    EXPECT_EQ(JsonBytes(c.bytes), c.text) << c.hex;
    EXPECT_EQ(HexBytes(c.bytes), c.hex);
  }
}

}  // namespace
}  // namespace ast_seeder
