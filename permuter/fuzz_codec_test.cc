// Tests of permuter/fuzz_codec.h: the byte layout libFuzzer's inputs decode through.
#include "permuter/fuzz_codec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kt::permuter {
namespace {

ColumnSchema Text(ParamKind kind, std::size_t max_len) {
  ColumnSchema c;
  c.name = kind == ParamKind::kBytes ? "data" : "name";
  c.kind = kind;
  c.max_len = max_len;
  return c;
}

ColumnSchema Choice(std::string name) {
  ColumnSchema c;
  c.name = std::move(name);
  c.kind = ParamKind::kEnum;
  return c;
}

std::vector<Value> Enums(int n) {
  std::vector<Value> out;
  for (int i = 0; i < n; ++i) out.push_back(Value::Enum(Integer(i)));
  return out;
}

std::vector<Value> Decode(const FuzzCodec& codec, const std::string& bytes) {
  return codec.Decode({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
}

TEST(FuzzCodecTest, AStringKernelTakesTheWholeInputUpToItsMaximum) {
  const std::vector<ColumnSchema> columns = {Text(ParamKind::kString, 8)};
  const FuzzCodec codec(columns, {{}});
  EXPECT_EQ(Decode(codec, "vfio-pci"), (std::vector<Value>{Value::String("vfio-pci")}));
  EXPECT_EQ(Decode(codec, "vfio-pci-extra"), (std::vector<Value>{Value::String("vfio-pci")}));
  EXPECT_EQ(Decode(codec, ""), (std::vector<Value>{Value::String("")}));
  EXPECT_EQ(codec.max_size(), 8u);
}

TEST(FuzzCodecTest, ChoiceBytesComeFirstAndWrapAroundTheDomain) {
  const std::vector<ColumnSchema> columns = {Choice("op"), Text(ParamKind::kBytes, 4)};
  const FuzzCodec codec(columns, {Enums(3), {}});
  EXPECT_EQ(Decode(codec, std::string("\x04\x7f\x00", 3)),
            (std::vector<Value>{Value::Enum(Integer(1)), Value::Bytes(std::string("\x7f\x00", 2))}));
  EXPECT_EQ(codec.max_size(), 1u + 4u);
}

TEST(FuzzCodecTest, MissingBytesReadAsZeroSoEveryInputDecodes) {
  const std::vector<ColumnSchema> columns = {Choice("a"), Choice("b"), Text(ParamKind::kString, 4)};
  const FuzzCodec codec(columns, {Enums(3), Enums(300), {}});
  EXPECT_EQ(Decode(codec, "\x02"),
            (std::vector<Value>{Value::Enum(Integer(2)), Value::Enum(Integer(0)), Value::String("")}));
}

struct WidthCase {
  int domain_size;
  std::size_t choice_bytes;
};

constexpr WidthCase kWidths[] = {{1, 0}, {2, 1}, {256, 1}, {257, 2}, {70000, 2}};

TEST(FuzzCodecTest, ChoiceWidthGrowsWithTheDomain) {
  for (const WidthCase& c : kWidths) {
    const std::vector<ColumnSchema> columns = {Choice("op"), Text(ParamKind::kString, 1)};
    const FuzzCodec codec(columns, {Enums(c.domain_size), {}});
    EXPECT_EQ(codec.max_size(), c.choice_bytes + 1) << c.domain_size;
  }
}

TEST(FuzzCodecTest, ATwoByteChoiceIsLittleEndian) {
  const std::vector<ColumnSchema> columns = {Choice("op"), Text(ParamKind::kString, 1)};
  const FuzzCodec codec(columns, {Enums(1000), {}});
  EXPECT_EQ(Decode(codec, "\x01\x02"), (std::vector<Value>{Value::Enum(Integer(0x201)), Value::String("")}));
}

TEST(FuzzCodecTest, EveryTextButTheLastHasALengthClampedToItsMaximum) {
  const std::vector<ColumnSchema> columns = {Text(ParamKind::kString, 3), Text(ParamKind::kString, 8)};
  const FuzzCodec codec(columns, {{}, {}});
  // A length of 0x0105 is clamped to the first column's 3; the rest goes to the second.
  EXPECT_EQ(Decode(codec, "\x05\x01" "abcdefg"),
            (std::vector<Value>{Value::String("abc"), Value::String("defg")}));
  EXPECT_EQ(Decode(codec, std::string("\x01\x00", 2) + "xyz"),
            (std::vector<Value>{Value::String("x"), Value::String("yz")}));
  EXPECT_EQ(codec.max_size(), 2u + 3u + 8u);
}

TEST(FuzzCodecTest, EncodeIsTheInverseOfDecodeForValuesOfTheDomain) {
  const std::vector<ColumnSchema> columns = {Choice("op"), Text(ParamKind::kString, 8), Choice("b"),
                                             Text(ParamKind::kBytes, 4)};
  const FuzzCodec codec(columns, {Enums(5), {}, Enums(400), {}});
  const std::vector<Value> call_set = {Value::Enum(Integer(3)), Value::String("vfio"),
                                       Value::Enum(Integer(299)),
                                       Value::Bytes(std::string("\0\1", 2))};
  EXPECT_EQ(Decode(codec, codec.Encode(call_set)), call_set);
}

TEST(FuzzCodecTest, EncodeCutsLongTextsAndMapsUnknownValuesToTheFirst) {
  const std::vector<ColumnSchema> columns = {Choice("op"), Text(ParamKind::kString, 4)};
  const FuzzCodec codec(columns, {Enums(3), {}});
  const std::vector<Value> call_set = {Value::Enum(Integer(9)), Value::String("abcdefgh")};
  EXPECT_EQ(codec.Encode(call_set), std::string("\x00", 1) + "abcd");
}

TEST(FuzzCodecTest, KtBytesAbsentMeansLibFuzzersDefaultMaximum) {
  EXPECT_EQ(TextMaxLen(Text(ParamKind::kString, 0)), kDefaultTextMaxLen);
  EXPECT_EQ(TextMaxLen(Text(ParamKind::kBytes, 17)), 17u);
}

TEST(FuzzCodecTest, OnlyStringAndBytesColumnsAreText) {
  EXPECT_TRUE(HasTextColumn(std::vector<ColumnSchema>{Choice("a"), Text(ParamKind::kBytes, 1)}));
  EXPECT_FALSE(HasTextColumn(std::vector<ColumnSchema>{Choice("a"), Choice("b")}));
}

}  // namespace
}  // namespace kt::permuter
