// Unit tests for vfio/pci_address.h: BDF validation, parsing, canonical formatting and the
// requester ID. Depends on vfio/pci_address.h, the standard library and GoogleTest only.
#include "vfio/pci_address.h"

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <gtest/gtest.h>

namespace vfio {
namespace {

// Hex spelling built digit by digit, independent of the code under test.
std::string Hex(unsigned value, int width, bool upper = false) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), digits[value & 0xf]);
    value >>= 4;
  } while (value != 0);
  while (static_cast<int>(out.size()) < width) out.insert(out.begin(), '0');
  return out;
}

std::string Canonical(unsigned domain, unsigned bus, unsigned device, unsigned function) {
  return Hex(domain, 4) + ":" + Hex(bus, 2) + ":" + Hex(device, 2) + "." + Hex(function, 1);
}

Bdf MakeBdf(std::uint16_t domain, std::uint8_t bus, std::uint8_t device, std::uint8_t function) {
  return Bdf::Make(domain, bus, device, function).value();
}

std::error_code ParseError(std::string_view text) {
  const Result<Bdf> r = ParseBdf(text);
  return r.has_error() ? r.error() : std::error_code();
}

TEST(BdfTest, ErrorCodesPrintAsCategoryAndSnakeCaseName) {
  struct Case {
    BdfError error;
    const char* name;
  };
  constexpr Case kCases[] = {
      {BdfError::kEmpty, "empty"},
      {BdfError::kMissingDot, "missing_dot"},
      {BdfError::kMissingColon, "missing_colon"},
      {BdfError::kTooManyComponents, "too_many_components"},
      {BdfError::kEmptyField, "empty_field"},
      {BdfError::kInvalidHex, "invalid_hex"},
      {BdfError::kFieldTooLong, "field_too_long"},
      {BdfError::kDeviceOutOfRange, "device_out_of_range"},
      {BdfError::kFunctionOutOfRange, "function_out_of_range"},
      {BdfError::kTrailingCharacters, "trailing_characters"},
  };
  for (const Case& c : kCases) {
    const std::error_code ec = c.error;
    EXPECT_TRUE(ec.category() == BdfCategory());
    EXPECT_STREQ(ec.category().name(), "vfio.bdf");
    EXPECT_EQ(ec.message(), c.name);
    EXPECT_STREQ(ToString(c.error), c.name);
  }
}

TEST(BdfTest, MakeRejectsDeviceAbove1fAndFunctionAbove7) {
  struct Case {
    std::uint8_t device;
    std::uint8_t function;
    BdfError error;  // zero when Make succeeds
  };
  constexpr BdfError kOk{};
  constexpr Case kCases[] = {
      {0x00, 0, kOk},
      {0x1f, 7, kOk},
      {0x20, 0, BdfError::kDeviceOutOfRange},
      {0xff, 0, BdfError::kDeviceOutOfRange},
      {0x00, 8, BdfError::kFunctionOutOfRange},
      {0x1f, 0xff, BdfError::kFunctionOutOfRange},
      {0x20, 8, BdfError::kDeviceOutOfRange},  // the device is checked first
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(testing::Message() << "device " << int{c.device} << " function "
                                    << int{c.function});
    const Result<Bdf> r = Bdf::Make(0xabcd, 0x12, c.device, c.function);
    if (c.error == kOk) {
      ASSERT_TRUE(r.has_value()) << r.error().message();
      EXPECT_EQ(r.value().domain(), 0xabcd);
      EXPECT_EQ(r.value().bus(), 0x12);
      EXPECT_EQ(r.value().device(), c.device);
      EXPECT_EQ(r.value().function(), c.function);
    } else {
      ASSERT_TRUE(r.has_error());
      EXPECT_EQ(r.error(), c.error);
    }
  }
}

TEST(BdfTest, DefaultIsFunctionZeroOfDeviceZero) {
  EXPECT_EQ(Bdf(), MakeBdf(0, 0, 0, 0));
  EXPECT_EQ(FormatBdf(Bdf()), "0000:00:00.0");
}

TEST(BdfTest, RidPacksBusDeviceFunctionAndIgnoresTheDomain) {
  struct Case {
    std::uint8_t bus, device, function;
    std::uint16_t rid;
  };
  constexpr Case kCases[] = {
      {0x00, 0x00, 0, 0x0000}, {0x00, 0x00, 7, 0x0007}, {0x00, 0x01, 0, 0x0008},
      {0x00, 0x1f, 3, 0x00fb}, {0x3a, 0x00, 1, 0x3a01}, {0xff, 0x1f, 7, 0xffff},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(MakeBdf(0, c.bus, c.device, c.function).Rid(), c.rid);
    EXPECT_EQ(MakeBdf(0xffff, c.bus, c.device, c.function).Rid(), c.rid);
  }
  // Distinct (bus, device, function) give distinct RIDs: the packing loses nothing.
  std::set<std::uint16_t> rids;
  for (unsigned bus = 0; bus <= 0xff; ++bus) {
    for (unsigned device = 0; device <= Bdf::kMaxDevice; ++device) {
      for (unsigned function = 0; function <= Bdf::kMaxFunction; ++function) {
        rids.insert(MakeBdf(0, bus, device, function).Rid());
      }
    }
  }
  EXPECT_EQ(rids.size(), 0x10000u);
}

TEST(BdfTest, OrderingIsDomainThenBusThenDeviceThenFunction) {
  const Bdf kAscending[] = {
      MakeBdf(0, 0, 0, 0),    MakeBdf(0, 0, 0, 1),    MakeBdf(0, 0, 1, 0),
      MakeBdf(0, 0, 0x1f, 7), MakeBdf(0, 1, 0, 0),    MakeBdf(0, 0xff, 0x1f, 7),
      MakeBdf(1, 0, 0, 0),    MakeBdf(0xffff, 0, 0, 0),
  };
  for (std::size_t i = 0; i < std::size(kAscending); ++i) {
    for (std::size_t j = 0; j < std::size(kAscending); ++j) {
      EXPECT_EQ(kAscending[i] < kAscending[j], i < j) << i << " vs " << j;
      EXPECT_EQ(kAscending[i] == kAscending[j], i == j) << i << " vs " << j;
    }
  }
}

TEST(BdfTest, ParseAcceptsBothSpellingsInEitherCase) {
  struct Case {
    const char* text;
    const char* canonical;
  };
  constexpr Case kCases[] = {
      {"0000:00:00.0", "0000:00:00.0"},
      {"00:00.0", "0000:00:00.0"},
      {"0000:00:1f.3", "0000:00:1f.3"},
      {"0000:00:1F.3", "0000:00:1f.3"},
      {"ABCD:EF:1F.7", "abcd:ef:1f.7"},
      {"abcd:ef:1f.7", "abcd:ef:1f.7"},
      {"ffff:ff:1f.7", "ffff:ff:1f.7"},
      {"3a:00.1", "0000:3a:00.1"},
      {"0:0:0.0", "0000:00:00.0"},  // short fields are padded
      {"1:2:3.4", "0001:02:03.4"},
      {"0:1f.7", "0000:00:1f.7"},
      {"001:0a:0.0", "0001:0a:00.0"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.text);
    const Result<Bdf> r = ParseBdf(c.text);
    ASSERT_TRUE(r.has_value()) << r.error().message();
    EXPECT_EQ(FormatBdf(r.value()), c.canonical);
  }
  EXPECT_EQ(ParseBdf("0000:3a:00.1").value(), MakeBdf(0, 0x3a, 0, 1));
  EXPECT_EQ(ParseBdf("beef:3a:1e.6").value(), MakeBdf(0xbeef, 0x3a, 0x1e, 6));
}

struct ErrorCase {
  std::string_view text;
  BdfError error;
};

// Every BdfError, each in several string shapes. A string_view keeps embedded NULs.
constexpr ErrorCase kErrorCases[] = {
    {"", BdfError::kEmpty},
    {"0000", BdfError::kMissingDot},
    {"00:1f", BdfError::kMissingDot},
    {"0000:00:1f", BdfError::kMissingDot},
    {":", BdfError::kMissingDot},
    {" ", BdfError::kMissingDot},
    {"1f.0", BdfError::kMissingColon},
    {".", BdfError::kMissingColon},
    {"0000.00:00.0", BdfError::kMissingColon},  // the first '.' ends the head
    {"0:0000:00:00.0", BdfError::kTooManyComponents},
    {":::.", BdfError::kTooManyComponents},
    {"0000:00:00:00.0", BdfError::kTooManyComponents},
    {":00.0", BdfError::kEmptyField},
    {"00:.0", BdfError::kEmptyField},
    {"00:00.", BdfError::kEmptyField},
    {":00:00.0", BdfError::kEmptyField},
    {"0000::00.0", BdfError::kEmptyField},
    {"0000:00:.0", BdfError::kEmptyField},
    {"0g:00.0", BdfError::kInvalidHex},
    {"00:0g.0", BdfError::kInvalidHex},
    {"00:00.g", BdfError::kInvalidHex},
    {"+0:00.0", BdfError::kInvalidHex},
    {"-0:00.0", BdfError::kInvalidHex},
    {" 00:00.0", BdfError::kInvalidHex},
    {"00 :00.0", BdfError::kInvalidHex},
    {"00:00. 0", BdfError::kInvalidHex},
    {"0x00:00.0", BdfError::kInvalidHex},
    {"00:\xff" "0.0", BdfError::kInvalidHex},
    {std::string_view("00:\0" "0.0", 7), BdfError::kInvalidHex},
    {"000g0:00:00.0", BdfError::kInvalidHex},  // hex is checked before the length
    {"00000:00:00.0", BdfError::kFieldTooLong},
    {"10000:00:00.0", BdfError::kFieldTooLong},
    {"100:00.0", BdfError::kFieldTooLong},
    {"000:00.0", BdfError::kFieldTooLong},
    {"00:000.0", BdfError::kFieldTooLong},
    {"00:100.0", BdfError::kFieldTooLong},
    {"00:00.00", BdfError::kFieldTooLong},
    {"00:00.10", BdfError::kFieldTooLong},
    {"00:00.07x", BdfError::kFieldTooLong},
    {"00:20.0", BdfError::kDeviceOutOfRange},
    {"00:ff.0", BdfError::kDeviceOutOfRange},
    {"0000:00:20.8", BdfError::kDeviceOutOfRange},  // the device is checked first
    {"00:00.8", BdfError::kFunctionOutOfRange},
    {"00:1f.f", BdfError::kFunctionOutOfRange},
    {"ffff:ff:1f.F", BdfError::kFunctionOutOfRange},
    {"00:00.0\n", BdfError::kTrailingCharacters},
    {"00:00.0 ", BdfError::kTrailingCharacters},
    {"00:00.0.0", BdfError::kTrailingCharacters},
    {"00:00.0:0", BdfError::kTrailingCharacters},
    {"00:00.0g", BdfError::kTrailingCharacters},
    {std::string_view("00:00.0\0", 8), BdfError::kTrailingCharacters},
    {"00:00.8\n", BdfError::kTrailingCharacters},  // syntax before values
};

TEST(BdfTest, ParseReportsADistinctErrorForEachWayAStringIsWrong) {
  std::set<BdfError> seen;
  for (const ErrorCase& c : kErrorCases) {
    SCOPED_TRACE(testing::Message() << "\"" << c.text << "\"");
    EXPECT_EQ(ParseError(c.text), c.error);
    seen.insert(c.error);
  }
  // The table names every enumerator, so a new error kind without a test fails here.
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(BdfError::kTrailingCharacters));
}

// Every valid (bus, device, function), under four domains: 2^18 values.
TEST(BdfTest, ParseOfFormatIsIdentityForEveryBusDeviceFunction) {
  constexpr std::uint16_t kDomains[] = {0x0000, 0x0001, 0xabcd, 0xffff};
  for (std::uint16_t domain : kDomains) {
    for (unsigned bus = 0; bus <= 0xff; ++bus) {
      for (unsigned device = 0; device <= Bdf::kMaxDevice; ++device) {
        for (unsigned function = 0; function <= Bdf::kMaxFunction; ++function) {
          const Bdf bdf = MakeBdf(domain, bus, device, function);
          const std::string text = FormatBdf(bdf);
          ASSERT_EQ(text, Canonical(domain, bus, device, function));
          const Result<Bdf> parsed = ParseBdf(text);
          ASSERT_TRUE(parsed.has_value()) << text << ": " << parsed.error().message();
          ASSERT_EQ(parsed.value(), bdf) << text;
        }
      }
    }
  }
}

// Non-canonical spellings of the same BDF: upper case, unpadded fields, no domain.
std::vector<std::string> Spellings(unsigned domain, unsigned bus, unsigned device,
                                   unsigned function) {
  std::vector<std::string> out = {
      Hex(domain, 4, true) + ":" + Hex(bus, 2, true) + ":" + Hex(device, 2, true) + "." +
          Hex(function, 1, true),
      Hex(domain, 0) + ":" + Hex(bus, 0) + ":" + Hex(device, 0) + "." + Hex(function, 0),
      Hex(domain, 3) + ":" + Hex(bus, 1, true) + ":" + Hex(device, 2) + "." + Hex(function, 1),
  };
  if (domain == 0) {
    out.push_back(Hex(bus, 2) + ":" + Hex(device, 2) + "." + Hex(function, 1));
    out.push_back(Hex(bus, 0, true) + ":" + Hex(device, 0, true) + "." + Hex(function, 0));
  }
  return out;
}

TEST(BdfTest, FormatOfParseIsCanonicalForEverySpelling) {
  constexpr std::uint16_t kDomains[] = {0x0000, 0x000a, 0x0abc, 0xffff};
  for (std::uint16_t domain : kDomains) {
    for (unsigned bus = 0; bus <= 0xff; bus += 0x11) {
      for (unsigned device = 0; device <= Bdf::kMaxDevice; ++device) {
        for (unsigned function = 0; function <= Bdf::kMaxFunction; ++function) {
          const std::string canonical = Canonical(domain, bus, device, function);
          for (const std::string& text : Spellings(domain, bus, device, function)) {
            const Result<Bdf> parsed = ParseBdf(text);
            ASSERT_TRUE(parsed.has_value()) << text << ": " << parsed.error().message();
            ASSERT_EQ(FormatBdf(parsed.value()), canonical) << text;
          }
        }
      }
    }
  }
}

// The grammar, written as a regular expression: an oracle independent of the parser.
const std::regex& BdfGrammar() {
  static const std::regex grammar(
      "(?:([0-9a-fA-F]{1,4}):)?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\\.([0-9a-fA-F])");
  return grammar;
}

// Every string of up to 7 characters over an alphabet that holds each separator, a letter
// that is not hex, and digits on both sides of the device and function limits: 335,923
// strings, each classified by the parser and by the grammar.
TEST(BdfTest, ParseAgreesWithTheGrammarOnEveryShortString) {
  constexpr std::string_view kAlphabet = "0F8g:.";
  constexpr std::size_t kMaxLength = 7;
  std::size_t accepted = 0;
  std::string s;
  for (std::size_t length = 0; length <= kMaxLength; ++length) {
    std::size_t count = 1;
    for (std::size_t i = 0; i < length; ++i) count *= kAlphabet.size();
    for (std::size_t n = 0; n < count; ++n) {
      s.clear();
      for (std::size_t i = 0, rest = n; i < length; ++i, rest /= kAlphabet.size()) {
        s.push_back(kAlphabet[rest % kAlphabet.size()]);
      }
      std::smatch m;
      bool valid = std::regex_match(s, m, BdfGrammar());
      unsigned long domain = 0, bus = 0, device = 0, function = 0;
      if (valid) {
        if (m[1].matched) domain = std::stoul(m[1].str(), nullptr, 16);
        bus = std::stoul(m[2].str(), nullptr, 16);
        device = std::stoul(m[3].str(), nullptr, 16);
        function = std::stoul(m[4].str(), nullptr, 16);
        valid = device <= Bdf::kMaxDevice && function <= Bdf::kMaxFunction;
      }
      const Result<Bdf> parsed = ParseBdf(s);
      ASSERT_EQ(parsed.has_value(), valid) << "\"" << s << "\"";
      if (valid) {
        ++accepted;
        ASSERT_EQ(FormatBdf(parsed.value()), Canonical(domain, bus, device, function)) << s;
      } else {
        ASSERT_TRUE(parsed.error().category() == BdfCategory()) << s;
      }
    }
  }
  // From "0:0.0" to "FFFF:0F:0F.0": the sweep reaches the accepting paths too.
  EXPECT_GT(accepted, 0u);
}

TEST(BdfTest, StreamsTheCanonicalSpelling) {
  std::ostringstream os;
  os << MakeBdf(0x1, 0x3a, 0x1f, 7);
  EXPECT_EQ(os.str(), "0001:3a:1f.7");
}

}  // namespace
}  // namespace vfio
