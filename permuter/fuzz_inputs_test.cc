// Tests of permuter/fuzz_inputs.h: libFuzzer's dictionary and seed corpus.
#include "permuter/fuzz_inputs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace kt::permuter {
namespace {

ColumnSchema Text(ParamKind kind, std::size_t max_len) {
  ColumnSchema c;
  c.name = "text";
  c.kind = kind;
  c.max_len = max_len;
  return c;
}

ColumnSchema Mode() {
  ColumnSchema c;
  c.name = "mode";
  c.kind = ParamKind::kEnum;
  c.int_type = {8, false};
  c.enum_name = "Mode";
  c.enumerators = {{"kA", Integer(0)}, {"kB", Integer(1)}, {"kC", Integer(2)}};
  return c;
}

std::vector<Value> Decode(const FuzzCodec& codec, const std::string& bytes) {
  return codec.Decode({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
}

struct WordCase {
  const char* what;
  Integer constant;
  std::vector<std::string> words;
};

TEST(FuzzInputsTest, IntegersBecomeLittleEndianWordsAtTheirNarrowestWidthAndAtFour) {
  const WordCase cases[] = {
      {"one byte", Integer(0x34), {std::string("\x34", 1), std::string("\x34\0\0\0", 4)}},
      {"two bytes", Integer(0x1234), {std::string("\x34\x12", 2), std::string("\x34\x12\0\0", 4)}},
      {"four bytes", Integer(0xdeadbeef), {std::string("\xef\xbe\xad\xde", 4)}},
      {"eight bytes", Integer(0x0102030405060708), {std::string("\x08\x07\x06\x05\x04\x03\x02\x01", 8)}},
      {"negative", Integer(-2), {std::string("\xfe", 1), std::string("\xfe\xff\xff\xff", 4)}},
  };
  for (const WordCase& c : cases) {
    std::vector<std::string> want = c.words;
    std::sort(want.begin(), want.end());
    EXPECT_EQ(DictionaryWords({}, std::vector<Integer>{c.constant}), want) << c.what;
  }
}

TEST(FuzzInputsTest, StringsAreWordsCutToLibFuzzersLimitAndDeduplicated) {
  const std::string long_string(100, 'x');
  const std::vector<std::string> words =
      DictionaryWords(std::vector<std::string>{"vfio-pci", "", "vfio-pci", long_string}, {});
  EXPECT_EQ(words, (std::vector<std::string>{"vfio-pci", std::string(kMaxDictionaryWord, 'x')}));
}

TEST(FuzzInputsTest, TheDictionaryFileEscapesEveryByteLibFuzzerWouldMisread) {
  const std::vector<std::string> words = {"vfio-pci", std::string("a\"b\\\0\xff", 6)};
  EXPECT_EQ(FormatDictionary(words), "\"vfio-pci\"\n\"a\\x22b\\x5c\\x00\\xff\"\n");
}

TEST(FuzzInputsTest, TextSeedsAddTheHarvestedStringsOfTheColumnsKind) {
  const std::vector<std::string> strings = {"vfio-pci", "0000:00:1f.7"};
  const std::vector<Value> seeds = TextSeeds(Text(ParamKind::kBytes, 8), strings);
  EXPECT_NE(std::find(seeds.begin(), seeds.end(), Value::Bytes(std::string("vfio-pci"))),
            seeds.end());
  // Cut to the column's KT_BYTES(8).
  EXPECT_NE(std::find(seeds.begin(), seeds.end(), Value::Bytes(std::string("0000:00:"))),
            seeds.end());
  EXPECT_NE(std::find(seeds.begin(), seeds.end(), Value::Bytes(std::string())), seeds.end());
}

TEST(FuzzInputsTest, SeedsStartWithThePreviousRowsThenCoverEveryPairOfChoices) {
  const std::vector<ColumnSchema> columns = {Mode(), Text(ParamKind::kString, 4)};
  const std::vector<std::vector<Value>> domains = {
      {Value::Enum(Integer(0)), Value::Enum(Integer(1)), Value::Enum(Integer(2))}, {}};
  const FuzzCodec codec(columns, domains);
  const std::vector<PreviousRow> previous = {
      {{Value::Enum(Integer(2)), Value::String("prev")}, false},
      {{Value::Int(Integer(7))}, false},  // stale: does not fit the columns
  };
  const SeedCorpus seeds = SeedInputs(codec, columns, domains, std::vector<std::string>{"ab"},
                                      previous, /*limit=*/1000);
  ASSERT_FALSE(seeds.inputs.empty());
  EXPECT_EQ(Decode(codec, seeds.inputs.front()),
            (std::vector<Value>{Value::Enum(Integer(2)), Value::String("prev")}));
  EXPECT_EQ(seeds.strength, Strength::kExhaustive);
  // 3 modes x {"", "a", "aaaa", "ab"}: every combination is a seed.
  for (int mode = 0; mode < 3; ++mode) {
    for (const char* text : {"", "a", "aaaa", "ab"}) {
      const std::vector<Value> want = {Value::Enum(Integer(mode)), Value::String(text)};
      EXPECT_TRUE(std::any_of(seeds.inputs.begin(), seeds.inputs.end(),
                              [&](const std::string& in) { return Decode(codec, in) == want; }))
          << mode << " " << text;
    }
  }
  EXPECT_TRUE(std::none_of(seeds.inputs.begin(), seeds.inputs.end(),
                           [](const std::string& in) { return in.empty(); }));
}

TEST(FuzzInputsTest, SeedsAreUniqueAndDeterministic) {
  const std::vector<ColumnSchema> columns = {Text(ParamKind::kString, 4)};
  const std::vector<std::vector<Value>> domains = {{}};
  const FuzzCodec codec(columns, domains);
  const std::vector<std::string> strings = {"abc", "abc", "zz"};
  const SeedCorpus a = SeedInputs(codec, columns, domains, strings, {}, 100);
  const SeedCorpus b = SeedInputs(codec, columns, domains, strings, {}, 100);
  EXPECT_EQ(a.inputs, b.inputs);
  std::vector<std::string> sorted = a.inputs;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end());
  // "", "a", "aaaa", "abc", "zz"; the empty one is libFuzzer's own first input.
  EXPECT_EQ(a.inputs.size(), 4u);
}

}  // namespace
}  // namespace kt::permuter
