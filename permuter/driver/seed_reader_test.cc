// Tests of the seeder document reader: every kind of parameter, the constants, each malformed
// document with its message, and the check against a registered kernel.
#include "permuter/driver/seed_reader.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "runner/kernel.h"

namespace kt::driver {
namespace {

// A document in the seeder's exact output form (docs/seeder-json.md) with one parameter of
// every kind, so each test below can break one thing in it.
constexpr const char* kGood = R"({
  "format": "kerneltest.seeder.v1",
  "kernel": "demo.all_kinds",
  "function": "demo::AllKinds",
  "source": "demo/kernels.cc",
  "line": 21,
  "return": {"type": "kt::result<int>", "kind": "result", "value_type": "int"},
  "call_depth": 3,
  "params": [
    {"name": "on", "type": "bool", "kind": "bool", "bits": 1, "signed": false,
     "range": ["0", "1"], "range_source": "type"},
    {"name": "n", "type": "int", "kind": "int", "bits": 32, "signed": true,
     "range": ["-5", "100"], "range_source": "kt_range"},
    {"name": "size", "type": "uint64_t", "kind": "int", "bits": 64, "signed": false,
     "range": ["0", "18446744073709551615"], "range_source": "type"},
    {"name": "mode", "type": "const demo::Mode &", "kind": "enum", "bits": 8, "signed": false,
     "range": ["0", "255"], "range_source": "type", "underlying": "uint8_t", "flags": "none",
     "enumerators": [{"name": "demo::Mode::kRead", "value": "1"},
                     {"name": "demo::Mode::kWrite", "value": "200"}]},
    {"name": "perm", "type": "demo::Perm", "kind": "flags", "bits": 32, "signed": false,
     "range": ["0", "4294967295"], "range_source": "type", "underlying": "unsigned int",
     "flags": "kt_flags",
     "enumerators": [{"name": "demo::kNone", "value": "0"}, {"name": "demo::kR", "value": "1"}]},
    {"name": "iova", "type": "demo::Iova", "kind": "strong_int", "bits": 64, "signed": false,
     "range": ["4096", "8192"], "range_source": "kt_range", "underlying": "uint64_t"},
    {"name": "text", "type": "std::string_view", "kind": "string", "max_len": 16},
    {"name": "blob", "type": "std::span<const std::byte>", "kind": "bytes", "max_len": 4096}
  ],
  "constants": [
    {"value": "-9223372036854775808", "bits": 64, "signed": true, "kind": "compare",
     "origin": "demo/kernels.cc:30"},
    {"value": "42", "bits": 32, "signed": true, "kind": "switch", "origin": "demo/a.cc:1"},
    {"value": "42", "bits": 32, "signed": true, "kind": "compare", "origin": "demo/b.cc:2"},
    {"value": "18446744073709551615", "bits": 64, "signed": false, "kind": "mask",
     "origin": "demo/kernels.cc:31"}
  ],
  "strings": [
    {"text": "vfio-pci", "hex": "7666696f2d706369", "via": "operator==", "origin": "demo/a.cc:3"},
    {"text": "\u0000\u00ff", "hex": "00ff", "via": "memcmp", "origin": "demo/a.cc:4"},
    {"text": "vfio-pci", "hex": "7666696f2d706369", "via": "starts_with", "origin": "demo/b.cc:5"}
  ]
}
)";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(SeedReaderTest, ReadsEveryParameterKindAndTheConstants) {
  const Expected<SeedDocument> doc = ParseSeedDocument(kGood, "seeds/demo.all_kinds.json");
  ASSERT_TRUE(doc.has_value()) << doc.error().message;
  const SeedDocument& d = doc.value();
  EXPECT_EQ(d.kernel, "demo.all_kinds");
  EXPECT_EQ(d.function, "demo::AllKinds");
  EXPECT_EQ(d.source, "demo/kernels.cc");
  EXPECT_EQ(d.line, 21);
  ASSERT_EQ(d.columns.size(), 8u);

  EXPECT_EQ(d.columns[0].kind, ParamKind::kBool);
  EXPECT_FALSE(d.columns[0].range_lo.has_value()) << "only KT_RANGE becomes a domain";

  EXPECT_EQ(d.columns[1].kind, ParamKind::kInt);
  EXPECT_EQ(d.columns[1].int_type, (IntType{32, true}));
  EXPECT_EQ(d.columns[1].range_lo, Integer(-5));
  EXPECT_EQ(d.columns[1].range_hi, Integer(100));
  EXPECT_EQ(d.columns[1].cpp_type, "int");

  EXPECT_EQ(d.columns[2].int_type, (IntType{64, false}));
  EXPECT_FALSE(d.columns[2].range_hi.has_value());

  const ColumnSchema& mode = d.columns[3];
  EXPECT_EQ(mode.kind, ParamKind::kEnum);
  EXPECT_EQ(mode.enum_name, "Mode");
  EXPECT_EQ(mode.enumerators,
            (std::vector<Enumerator>{{"kRead", Integer(1)}, {"kWrite", Integer(200)}}));
  EXPECT_FALSE(mode.range_lo.has_value());

  const ColumnSchema& perm = d.columns[4];
  EXPECT_EQ(perm.kind, ParamKind::kFlags);
  EXPECT_EQ(perm.enum_name, "Perm");
  EXPECT_EQ(perm.enumerators, (std::vector<Enumerator>{{"kNone", Integer(0)}, {"kR", Integer(1)}}));

  EXPECT_EQ(d.columns[5].kind, ParamKind::kStrongInt);
  EXPECT_EQ(d.columns[5].range_lo, Integer(4096));
  EXPECT_EQ(d.columns[6].kind, ParamKind::kString);
  EXPECT_EQ(d.columns[6].max_len, 16u);
  EXPECT_EQ(d.columns[7].kind, ParamKind::kBytes);
  EXPECT_EQ(d.columns[7].name, "blob");

  EXPECT_EQ(d.constants, (std::vector<Integer>{Integer(INT64_MIN), Integer(42),
                                               Integer(UINT64_MAX)}))
      << "sorted, exact at both 64-bit ends, the value used twice once";
  EXPECT_EQ(d.strings, (std::vector<std::string>{std::string("\0\xff", 2), "vfio-pci"}))
      << "the hex bytes exactly, sorted, the string compared twice once";
}

TEST(SeedReaderTest, AcceptsADocumentWithoutParametersOrConstants) {
  std::string text = kGood;
  text = text.substr(0, text.find("\"params\"")) + "\"params\": [], \"constants\": []}";
  const Expected<SeedDocument> doc = ParseSeedDocument(text, "x.json");
  ASSERT_TRUE(doc.has_value()) << doc.error().message;
  EXPECT_TRUE(doc.value().columns.empty());
  EXPECT_TRUE(doc.value().constants.empty());
  EXPECT_TRUE(doc.value().strings.empty()) << "\"strings\" is optional";
}

struct BadCase {
  const char* what;
  const char* from;  // replaced in kGood...
  const char* to;    // ...by this
  SeedError code;
  const char* message;  // after "x.json:"
};

constexpr BadCase kBadCases[] = {
    {"not JSON", "\"call_depth\": 3,", "\"call_depth\": 3,,", SeedError::kJson,
     "8:19: expected a member name in quotes"},
    {"another format", "kerneltest.seeder.v1", "kerneltest.seeder.v2", SeedError::kSchema,
     "2:13: format: \"kerneltest.seeder.v2\" is not kerneltest.seeder.v1; rebuild so the "
     "seeder and this driver agree"},
    {"a member the format lacks", "\"call_depth\": 3,", "\"call_depth\": 3, \"extra\": 1,",
     SeedError::kSchema, "8:29: extra: unknown member"},
    {"a missing member", "  \"function\": \"demo::AllKinds\",\n", "", SeedError::kSchema,
     "1:1: document: missing member \"function\""},
    {"a kernel name the runner rejects", "\"demo.all_kinds\"", "\".hidden\"", SeedError::kSchema,
     "3:13: kernel: \".hidden\" is not a kernel name ([A-Za-z0-9._-]+)"},
    {"a line that is not a count", "\"line\": 21", "\"line\": -1", SeedError::kSchema,
     "6:11: line: -1 is not a whole number from 0 to 1073741824"},
    {"a return kind the format lacks", "\"kind\": \"result\"", "\"kind\": \"maybe\"",
     SeedError::kSchema,
     "7:49: return.kind: \"maybe\" is not one of result, value, void"},
    {"an unknown parameter kind", "\"kind\": \"bool\"", "\"kind\": \"float\"", SeedError::kSchema,
     "10:44: params[0].kind: \"float\" is not one of bool, int, enum, flags, strong_int, string, "
     "bytes"},
    {"a bool of 8 bits", "\"kind\": \"bool\", \"bits\": 1", "\"kind\": \"bool\", \"bits\": 8",
     SeedError::kSchema, "10:60: params[0].bits: a bool has 1 bit, not 8"},
    {"a width no integer has", "\"kind\": \"int\", \"bits\": 32",
     "\"kind\": \"int\", \"bits\": 12", SeedError::kSchema,
     "12:57: params[1].bits: 12 is not 8, 16, 32 or 64"},
    {"a number where the format has a string", "[\"-5\", \"100\"]", "[-5, \"100\"]",
     SeedError::kSchema,
     "13:16: params[1].range[0]: expected a decimal string (64-bit values are strings), "
     "found a number"},
    {"a range end that is not decimal", "[\"-5\", \"100\"]", "[\"-5\", \"0x64\"]",
     SeedError::kSchema,
     "13:22: params[1].range[1]: \"0x64\" is not a decimal integer of at most 64 bits"},
    {"a range end past the type", "[\"-5\", \"100\"]", "[\"-5\", \"2147483648\"]",
     SeedError::kSchema, "13:22: params[1].range[1]: 2147483648 does not fit i32"},
    {"lo above hi", "[\"-5\", \"100\"]", "[\"100\", \"-5\"]", SeedError::kSchema,
     "13:15: params[1].range: lo 100 is above hi -5"},
    {"a range of three", "[\"-5\", \"100\"]", "[\"-5\", \"0\", \"100\"]", SeedError::kSchema,
     "13:15: params[1].range: expected [lo, hi], found 3 items"},
    {"a 64-bit value past UINT64_MAX", "\"18446744073709551615\"]", "\"18446744073709551616\"]",
     SeedError::kSchema,
     "15:21: params[2].range[1]: \"18446744073709551616\" is not a decimal integer of at most "
     "64 bits"},
    {"an unknown range source", "\"range_source\": \"kt_range\"}",
     "\"range_source\": \"guess\"}", SeedError::kSchema,
     "13:46: params[1].range_source: \"guess\" is not one of kt_range, type"},
    {"an enumerator outside the underlying type", "\"value\": \"200\"", "\"value\": \"300\"",
     SeedError::kSchema, "19:62: params[3].enumerators[1].value: 300 does not fit u8"},
    {"an enumerator name that is not an identifier", "demo::Mode::kWrite", "demo::Mode::2x",
     SeedError::kSchema,
     "19:31: params[3].enumerators[1].name: \"demo::Mode::2x\" does not end in an identifier"},
    {"an enum marked as flags", "\"flags\": \"none\"", "\"flags\": \"kt_flags\"",
     SeedError::kSchema, "17:87: params[3].flags: \"kt_flags\" is not one of none"},
    {"flags without their flag source", "\"flags\": \"kt_flags\"", "\"flags\": \"none\"",
     SeedError::kSchema, "22:15: params[4].flags: \"none\" is not one of kt_flags, detected"},
    {"a strong integer without its underlying type", ", \"underlying\": \"uint64_t\"}", "}",
     SeedError::kSchema, "24:5: params[5]: missing member \"underlying\""},
    {"a string with enumerators", "\"max_len\": 16}", "\"max_len\": 16, \"enumerators\": []}",
     SeedError::kSchema, "26:98: params[6].enumerators: unknown member"},
    {"max_len past KT_BYTES' limit", "\"max_len\": 16}", "\"max_len\": 2000000}",
     SeedError::kSchema, "26:79: params[6].max_len: 2000000 is not a whole number from 0 to "
                         "1048576"},
    {"a parameter name that is not an identifier", "\"name\": \"n\"", "\"name\": \"n-1\"",
     SeedError::kSchema, "12:14: params[1].name: \"n-1\" is not an identifier"},
    {"two parameters of one name", "\"name\": \"size\"", "\"name\": \"n\"", SeedError::kSchema,
     "14:5: params[2].name: \"n\" names two parameters"},
    {"a constant of an unknown kind", "\"kind\": \"switch\"", "\"kind\": \"guess\"",
     SeedError::kSchema,
     "32:57: constants[1].kind: \"guess\" is not one of compare, switch, mask, bound, "
     "enumerator"},
    {"a constant outside its width", "\"value\": \"42\", \"bits\": 32, \"signed\": true, "
                                     "\"kind\": \"switch\"",
     "\"value\": \"-42\", \"bits\": 32, \"signed\": false, \"kind\": \"switch\"",
     SeedError::kSchema, "32:15: constants[1].value: -42 does not fit u32"},
    {"a negative zero", "\"value\": \"42\", \"bits\": 32, \"signed\": true, \"kind\": \"switch\"",
     "\"value\": \"-0\", \"bits\": 32, \"signed\": true, \"kind\": \"switch\"",
     SeedError::kSchema,
     "32:15: constants[1].value: \"-0\" is not a decimal integer of at most 64 bits"},
    {"hex with an odd number of digits", "\"hex\": \"00ff\"", "\"hex\": \"00f\"",
     SeedError::kSchema,
     "39:37: strings[1].hex: \"00f\" is not an even, non-zero number of lower-case hex digits"},
    {"hex in capitals", "\"hex\": \"00ff\"", "\"hex\": \"00FF\"", SeedError::kSchema,
     "39:37: strings[1].hex: \"00FF\" is not an even, non-zero number of lower-case hex digits"},
    {"a string without its hex", "\"hex\": \"00ff\", ", "", SeedError::kSchema,
     "39:5: strings[1]: missing member \"hex\""},
    {"a string with a member the format lacks", "\"via\": \"memcmp\"",
     "\"via\": \"memcmp\", \"len\": 2", SeedError::kSchema,
     "39:69: strings[1].len: unknown member"},
};

TEST(SeedReaderTest, RejectsEachMalformedDocumentNamingFileMemberAndProblem) {
  for (const BadCase& c : kBadCases) {
    const std::string text = Replace(kGood, c.from, c.to);
    const Expected<SeedDocument> doc = ParseSeedDocument(text, "x.json");
    ASSERT_FALSE(doc.has_value()) << c.what;
    EXPECT_EQ(doc.error().code, make_error_code(c.code)) << c.what;
    EXPECT_EQ(doc.error().message, std::string("x.json:") + c.message) << c.what;
  }
}

TEST(SeedReaderTest, RejectsMembersOfTheWrongJsonType) {
  struct Case {
    const char* text;
    const char* message;
  };
  constexpr const char* kHead =
      R"({"format": "kerneltest.seeder.v1", "kernel": "k", "function": "f", "source": "s", )"
      R"("line": 1, "return": {"type": "void", "kind": "void", "value_type": ""}, )"
      R"("call_depth": 3, )";
  const Case cases[] = {
      {"[1]", "x.json:1:1: document: expected an object, found an array"},
      {R"("params": {}, "constants": []})",
       "x.json:1:183: params: expected an array, found an object"},
      {R"("params": [], "constants": [], "strings": {}})",
       "x.json:1:215: strings: expected an array, found an object"},
      {R"("params": [], "constants": "none"})",
       "x.json:1:200: constants: expected an array, found a string"},
      {R"("params": [7], "constants": []})",
       "x.json:1:184: params[0]: expected an object, found a number"},
      {R"("params": [], "constants": [null]})",
       "x.json:1:201: constants[0]: expected an object, found null"},
  };
  for (const Case& c : cases) {
    const std::string text =
        c.text[0] == '[' ? std::string(c.text) : std::string(kHead) + c.text;
    const Expected<SeedDocument> doc = ParseSeedDocument(text, "x.json");
    ASSERT_FALSE(doc.has_value()) << c.text;
    EXPECT_EQ(doc.error().code, make_error_code(SeedError::kSchema)) << c.text;
    EXPECT_EQ(doc.error().message, c.message) << c.text;
  }
}

TEST(SeedReaderTest, AMissingFileIsAnIoError) {
  const Expected<SeedDocument> doc = ReadSeedDocument("/nonexistent/kerneltest/seeds.json");
  ASSERT_FALSE(doc.has_value());
  EXPECT_EQ(doc.error().code, make_error_code(SeedError::kIo));
  EXPECT_NE(doc.error().message.find("/nonexistent/kerneltest/seeds.json"), std::string::npos);
}

enum class Shade : std::uint8_t { kLight, kDark };
int TwoParams(Shade shade, std::uint16_t count) { return static_cast<int>(shade) + count; }

constexpr const char* kTwoParams = R"({"format": "kerneltest.seeder.v1", "kernel": "demo.two",
  "function": "TwoParams", "source": "t.cc", "line": 1,
  "return": {"type": "int", "kind": "value", "value_type": "int"}, "call_depth": 3,
  "params": [
    {"name": "shade", "type": "Shade", "kind": "enum", "bits": 8, "signed": false,
     "range": ["0", "255"], "range_source": "type", "underlying": "uint8_t", "flags": "none",
     "enumerators": [{"name": "Shade::kLight", "value": "0"},
                     {"name": "Shade::kDark", "value": "1"}]},
    {"name": "count", "type": "uint16_t", "kind": "int", "bits": 16, "signed": false,
     "range": ["0", "65535"], "range_source": "type"}],
  "constants": []})";

TEST(SeedReaderTest, SeedsThatFitTheKernelPassTheCheck) {
  const KernelInfo kernel = kt::internal::MakeKernelInfo("demo.two", &TwoParams, "t.cc", 9);
  const Expected<SeedDocument> doc = ParseSeedDocument(kTwoParams, "s.json");
  ASSERT_TRUE(doc.has_value()) << doc.error().message;
  const Expected<void> fits = CheckSeedsAgainstKernel(doc.value(), kernel, "s.json");
  EXPECT_TRUE(fits.has_value()) << fits.error().message;
}

TEST(SeedReaderTest, SeedsOlderThanTheKernelFailTheCheckNamingTheParameter) {
  struct Case {
    const char* what;
    const char* from;
    const char* to;
    const char* message;
  };
  constexpr Case kCases[] = {
      {"a narrower integer", "\"bits\": 16", "\"bits\": 32",
       "s.json: kernel \"demo.two\" (t.cc:9): parameter 2 (count): column holds u32 but the "
       "parameter is u16 (unsigned short); rebuild to reseed"},
      {"another kind",
       "\"type\": \"uint16_t\", \"kind\": \"int\", \"bits\": 16, \"signed\": false,\n"
       "     \"range\": [\"0\", \"65535\"]",
       "\"type\": \"bool\", \"kind\": \"bool\", \"bits\": 1, \"signed\": false, "
       "\"range\": [\"0\", \"1\"]",
       "s.json: kernel \"demo.two\" (t.cc:9): parameter 2 (count): column is bool but the "
       "parameter is int (unsigned short); rebuild to reseed"},
      {"another kernel", "\"kernel\": \"demo.two\"", "\"kernel\": \"demo.three\"",
       "s.json: kernel \"demo.two\" (t.cc:9): the document is for kernel \"demo.three\""},
  };
  const KernelInfo kernel = kt::internal::MakeKernelInfo("demo.two", &TwoParams, "t.cc", 9);
  for (const Case& c : kCases) {
    const Expected<SeedDocument> doc = ParseSeedDocument(Replace(kTwoParams, c.from, c.to), "s");
    ASSERT_TRUE(doc.has_value()) << c.what << ": " << doc.error().message;
    const Expected<void> fits = CheckSeedsAgainstKernel(doc.value(), kernel, "s.json");
    ASSERT_FALSE(fits.has_value()) << c.what;
    EXPECT_EQ(fits.error().code, make_error_code(SeedError::kSignature)) << c.what;
    EXPECT_EQ(fits.error().message, c.message) << c.what;
  }
}

TEST(SeedReaderTest, SeedsWithAnotherParameterCountFailTheCheck) {
  const KernelInfo kernel = kt::internal::MakeKernelInfo("demo.two", &TwoParams, "t.cc", 9);
  Expected<SeedDocument> doc = ParseSeedDocument(kTwoParams, "s.json");
  ASSERT_TRUE(doc.has_value());
  doc.value().columns.pop_back();
  const Expected<void> fits = CheckSeedsAgainstKernel(doc.value(), kernel, "s.json");
  ASSERT_FALSE(fits.has_value());
  EXPECT_EQ(fits.error().message,
            "s.json: kernel \"demo.two\" (t.cc:9): the seeds have 1 parameters, the kernel 2; "
            "rebuild to reseed");
}

}  // namespace
}  // namespace kt::driver
