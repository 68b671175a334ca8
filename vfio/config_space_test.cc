// Tests of vfio/config_space.h: access checks, the read merge, masked writes, passthrough
// forwarding and virtual BARs. GoogleTest and the vfio libraries only.
#include "vfio/config_space.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <system_error>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace vfio {
namespace {

constexpr std::uint32_t kAllOnes = 0xffff'ffff;

template <class T>
std::error_code ErrorOf(const Result<T>& r) {
  return r ? std::error_code() : r.error();
}

// Addresses print as numbers in failures; an error result throws and fails the test.
std::uint64_t GpaOf(const Result<Gpa>& r) { return r.value().value(); }

// A device image that counts its traffic and, when `error` is set, fails every access.
class FakePassthrough final : public ConfigPassthrough {
 public:
  explicit FakePassthrough(std::vector<std::uint8_t> bytes) : buffer_(std::move(bytes)) {}
  Result<std::uint32_t> Read(std::uint32_t offset, std::uint32_t len) const override {
    ++reads;
    if (error) return error;
    return buffer_.Read(offset, len);
  }
  Result<void> Write(std::uint32_t offset, std::uint32_t len, std::uint32_t value) override {
    ++writes;
    if (error) return error;
    return buffer_.Write(offset, len, value);
  }
  const std::vector<std::uint8_t>& bytes() const { return buffer_.bytes(); }

  mutable int reads = 0;
  int writes = 0;
  std::error_code error;

 private:
  BufferPassthrough buffer_;
};

// Byte i of the fake device reads as i * 7 + 1: distinct from the shadow's defaults.
std::vector<std::uint8_t> DevicePattern(std::uint32_t size) {
  std::vector<std::uint8_t> bytes(size);
  for (std::uint32_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>(i * 7 + 1);
  return bytes;
}

struct Fixture {
  explicit Fixture(ConfigSpaceSize size = ConfigSpaceSize::kConventional) {
    auto fake =
        std::make_unique<FakePassthrough>(DevicePattern(static_cast<std::uint32_t>(size)));
    device = fake.get();
    config = ConfigSpace(size, std::move(fake));
  }
  FakePassthrough* device = nullptr;
  ConfigSpace config;
};

// Everything a rejected write must leave alone, the device included.
struct State {
  std::vector<std::uint8_t> shadow, write_mask, w1c_mask, emulated_mask, device;
  friend bool operator==(const State&, const State&) = default;
};

State Capture(const Fixture& f) {
  auto copy = [](std::span<const std::uint8_t> s) {
    return std::vector<std::uint8_t>(s.begin(), s.end());
  };
  return {copy(f.config.shadow()), copy(f.config.write_mask()), copy(f.config.w1c_mask()),
          copy(f.config.emulated_mask()), f.device->bytes()};
}

// Capture(f) == s without copying: the sweeps compare thousands of times.
bool Unchanged(const Fixture& f, const State& s) {
  return std::ranges::equal(f.config.shadow(), s.shadow) &&
         std::ranges::equal(f.config.write_mask(), s.write_mask) &&
         std::ranges::equal(f.config.w1c_mask(), s.w1c_mask) &&
         std::ranges::equal(f.config.emulated_mask(), s.emulated_mask) &&
         f.device->bytes() == s.device;
}

TEST(ConfigSpaceTest, ErrorsPrintAsCategoryAndSnakeCaseName) {
  struct Case {
    ConfigError error;
    const char* name;
  };
  constexpr Case kCases[] = {
      {ConfigError::kBadLength, "bad_length"},
      {ConfigError::kMisaligned, "misaligned"},
      {ConfigError::kOutOfRange, "out_of_range"},
      {ConfigError::kMaskConflict, "mask_conflict"},
      {ConfigError::kInvalidBarIndex, "invalid_bar_index"},
      {ConfigError::kInvalidRomKind, "invalid_rom_kind"},
      {ConfigError::kBar64InLastSlot, "bar64_in_last_slot"},
      {ConfigError::kBarInUse, "bar_in_use"},
      {ConfigError::kBarSizeInvalid, "bar_size_invalid"},
      {ConfigError::kBarAddressUnaligned, "bar_address_unaligned"},
      {ConfigError::kBarAddressInvalid, "bar_address_invalid"},
      {ConfigError::kNoBar, "no_bar"},
  };
  for (const Case& c : kCases) {
    const std::error_code code = c.error;
    EXPECT_STREQ(code.category().name(), "vfio.config");
    EXPECT_EQ(code.message(), c.name);
  }
}

TEST(ConfigSpaceTest, RejectsAccessesOfBadLengthAlignmentOrRange) {
  struct Case {
    ConfigSpaceSize size;
    std::uint32_t offset, len;
    ConfigError error;
  };
  using enum ConfigError;
  constexpr auto kConv = ConfigSpaceSize::kConventional;
  constexpr auto kExpr = ConfigSpaceSize::kExpress;
  constexpr Case kCases[] = {
      {kConv, 0x00, 0, kBadLength},      {kConv, 0x00, 3, kBadLength},
      {kConv, 0x00, 8, kBadLength},      {kConv, 0x100, 3, kBadLength},
      {kConv, 0x100, 1, kOutOfRange},    {kConv, 0xfe, 4, kOutOfRange},
      {kConv, 0xff, 2, kOutOfRange},     {kConv, kAllOnes, 4, kOutOfRange},
      {kExpr, 0x1000, 1, kOutOfRange},   {kExpr, 0xffe, 4, kOutOfRange},
      {kConv, 0x01, 2, kMisaligned},     {kConv, 0x02, 4, kMisaligned},
      {kExpr, 0xffd, 2, kMisaligned},    {kExpr, 0x103, 4, kMisaligned},
  };
  for (const Case& c : kCases) {
    Fixture f(c.size);
    const State before = Capture(f);
    EXPECT_EQ(ErrorOf(f.config.Read(c.offset, c.len)), make_error_code(c.error))
        << "read " << c.offset << "/" << c.len;
    EXPECT_EQ(ErrorOf(f.config.Write(c.offset, c.len, kAllOnes)), make_error_code(c.error))
        << "write " << c.offset << "/" << c.len;
    EXPECT_EQ(Capture(f), before);
    EXPECT_EQ(f.device->reads + f.device->writes, 0);
  }
}

// A space with something in every kind of byte: header, BARs, ROM, guest-writable and
// write-1-to-clear fields, and passthrough device bytes.
void Populate(ConfigSpace& config) {
  config.InitType0Header({.vendor_id = 0x1234, .device_id = 0x11e8, .class_code = 0xff0000});
  ASSERT_TRUE(config.AddBar(0, {BarKind::kMem64, true, 1ull << 32}, Gpa(1ull << 36)));
  ASSERT_TRUE(config.AddBar(2, {BarKind::kIo, false, 0x20}, Gpa(0xc000)));
  ASSERT_TRUE(config.AddBar(kRomIndex, {BarKind::kMem32, false, 0x10000}, Gpa(0xfeb0'0000)));
  ASSERT_TRUE(config.InitField(0x40, 4, {.value = 0x00ff'00ff, .write_mask = 0x0000'ff00,
                                         .w1c_mask = 0xff00'0000}));
  ASSERT_TRUE(config.InitField(0x44, 4, {.value = 0x5555'5555, .write_mask = 0xffff'0000,
                                         .emulated_mask = 0x0f0f'0f0f}));
}

// The error the contract gives an access, in its order of precedence.
std::error_code ExpectedAccessError(std::uint32_t end, std::uint32_t offset, std::uint32_t len) {
  if (len != 1 && len != 2 && len != 4) return ConfigError::kBadLength;
  if (offset + len > end) return ConfigError::kOutOfRange;
  if (offset % len != 0) return ConfigError::kMisaligned;
  return {};
}

// Every offset to 8 past the end and every length to 8: no crash, an error exactly where
// the contract says, reads idempotent and without effect, a rejected write changes nothing.
void HostileSweep(ConfigSpaceSize size) {
  Fixture f(size);
  Populate(f.config);
  const std::uint32_t end = static_cast<std::uint32_t>(size);
  State snapshot = Capture(f);  // retaken only after a write that succeeded
  for (std::uint32_t offset = 0; offset <= end + 8; ++offset) {
    for (std::uint32_t len = 0; len <= 8; ++len) {
      const Result<std::uint32_t> first = f.config.Read(offset, len);
      ASSERT_EQ(ErrorOf(first), ExpectedAccessError(end, offset, len))
          << "read " << offset << "/" << len;
      if (first) { ASSERT_EQ(f.config.Read(offset, len).value(), first.value()); }
    }
    ASSERT_TRUE(Unchanged(f, snapshot)) << "a read changed state at " << offset;

    for (std::uint32_t len = 0; len <= 8; ++len) {
      const std::error_code want = ExpectedAccessError(end, offset, len);
      for (const std::uint32_t value : {kAllOnes, 0u}) {
        ASSERT_EQ(ErrorOf(f.config.Write(offset, len, value)), want)
            << "write " << offset << "/" << len;
        if (want) {
          ASSERT_TRUE(Unchanged(f, snapshot)) << "rejected write changed state";
        } else {
          snapshot = Capture(f);
        }
      }
    }
  }
}

TEST(ConfigSpaceTest, HostileGuestSweepOfConventionalSpace) {
  HostileSweep(ConfigSpaceSize::kConventional);
}

TEST(ConfigSpaceTest, HostileGuestSweepOfExpressSpace) {
  HostileSweep(ConfigSpaceSize::kExpress);
}

TEST(ConfigSpaceTest, ReadMergesShadowAndPhysicalByEmulatedMask) {
  struct Case {
    std::uint32_t len, shadow, emulated, physical, want;
  };
  constexpr Case kCases[] = {
      {1, 0xaa, 0xff, 0x55, 0xaa},                                    // all emulated
      {1, 0xaa, 0x00, 0x55, 0x55},                                    // all passthrough
      {1, 0xaa, 0xf0, 0x55, 0xa5},                                    // per bit
      {2, 0x1234, 0x00ff, 0xabcd, 0xab34},                            // per byte
      {4, 0x1122'3344, 0xff00'ff00, 0xaabb'ccdd, 0x11bb'33dd},
      {4, 0x0000'0000, 0x8000'0001, kAllOnes, 0x7fff'fffe},
  };
  for (const Case& c : kCases) {
    auto device = std::make_unique<BufferPassthrough>(std::vector<std::uint8_t>(256));
    ASSERT_TRUE(device->Write(0x80, c.len, c.physical));
    ConfigSpace config(ConfigSpaceSize::kConventional, std::move(device));
    ASSERT_TRUE(config.InitField(0x80, c.len, {.value = c.shadow, .emulated_mask = c.emulated}));
    EXPECT_EQ(config.Read(0x80, c.len).value(), c.want) << std::hex << c.want;
  }
}

TEST(ConfigSpaceTest, AbsentDeviceReadsAllOnesOutsideEmulatedFields) {
  ConfigSpace config;
  EXPECT_EQ(config.Read(0x00, 4).value(), kAllOnes);
  EXPECT_EQ(config.Read(0xfe, 2).value(), 0xffffu);
  EXPECT_EQ(config.Read(0x10, 4).value(), 0u);  // BARs are emulated from the start
  EXPECT_EQ(config.Read(kRomOffset, 4).value(), 0u);
}

TEST(ConfigSpaceTest, FullyEmulatedFieldsNeverTouchTheDevice) {
  Fixture f;
  ASSERT_TRUE(f.config.AddBar(1, {BarKind::kMem32, false, 0x1000}, Gpa(0x8000'0000)));
  ASSERT_TRUE(f.config.Read(0x14, 4));
  ASSERT_TRUE(f.config.Write(0x14, 4, kAllOnes));
  ASSERT_TRUE(f.config.Read(0x40, 1));  // passthrough: one read
  EXPECT_EQ(f.device->reads, 1);
  EXPECT_EQ(f.device->writes, 0);
}

TEST(ConfigSpaceTest, WritesHonourWriteMaskAndW1cPerBit) {
  struct Case {  // the dword at 0x40 starts as value/wmask/w1c; the write is at offset/len
    const char* what;
    std::uint32_t value, wmask, w1c, offset, len, write, want;
  };
  constexpr Case kCases[] = {
      {"read-only keeps", 0x1234'5678, 0, 0, 0x40, 4, kAllOnes, 0x1234'5678},
      {"writable takes", 0x1234'5678, kAllOnes, 0, 0x40, 4, 0xcafe'f00d, 0xcafe'f00d},
      {"mixed per bit", 0x00ff, 0x0ff0, 0, 0x40, 2, 0xaaaa, 0x0aaf},
      {"w1c clears ones", 0xf0f0, 0, 0xff00, 0x40, 2, 0x3000, 0xc0f0},
      {"w1c keeps on zero", 0xf0f0, 0, 0xff00, 0x40, 2, 0x0000, 0xf0f0},
      {"w1c beside rw", 0x8001, 0x00ff, 0xff00, 0x40, 2, 0x8042, 0x0042},
      {"byte write, its byte only", 0x1122'3344, kAllOnes, 0, 0x42, 1, 0x1ee, 0x11ee'3344},
      {"word write, its word only", 0x1122'3344, kAllOnes, 0, 0x40, 2, 0xbeef, 0x1122'beef},
  };
  for (const Case& c : kCases) {
    ConfigSpace config;
    ASSERT_TRUE(config.InitField(0x40, 4,
                                 {.value = c.value, .write_mask = c.wmask, .w1c_mask = c.w1c}));
    ASSERT_TRUE(config.Write(c.offset, c.len, c.write)) << c.what;
    EXPECT_EQ(config.Read(0x40, 4).value(), c.want) << c.what;
  }
}

TEST(ConfigSpaceTest, InitFieldRejectsBadLengthRangeAndMaskConflict) {
  struct Case {
    std::uint32_t offset, len;
    FieldInit init;
    ConfigError error;
  };
  const Case kCases[] = {
      {0x40, 0, {}, ConfigError::kBadLength},
      {0x40, 5, {}, ConfigError::kBadLength},
      {0xfe, 3, {}, ConfigError::kOutOfRange},
      {kAllOnes, 4, {}, ConfigError::kOutOfRange},
      {0x40, 2, {.write_mask = 0x0100, .w1c_mask = 0x0100}, ConfigError::kMaskConflict},
  };
  for (const Case& c : kCases) {
    Fixture f;
    const State before = Capture(f);
    EXPECT_EQ(ErrorOf(f.config.InitField(c.offset, c.len, c.init)), make_error_code(c.error));
    EXPECT_EQ(Capture(f), before);
  }
  // A conflict above the field's length is outside it, so not a conflict.
  ConfigSpace config;
  EXPECT_TRUE(config.InitField(0x40, 1, {.write_mask = 0x100, .w1c_mask = 0x100}));
  EXPECT_TRUE(config.InitField(0x09, 3, {.value = 0x0c0330}));  // 3 bytes at any alignment
}

TEST(ConfigSpaceTest, HeaderReadOnlyFieldsStayPutUnderGuestWrites) {
  ConfigSpace config;
  config.InitType0Header({.vendor_id = 0x8086, .device_id = 0x10d3, .revision_id = 3,
                          .class_code = 0x020000, .subsystem_vendor_id = 0x8086,
                          .subsystem_id = 0xa01f, .interrupt_pin = 1});
  ASSERT_TRUE(config.InitField(config_reg::kStatus, 2,
                               {.value = 0x8110, .w1c_mask = config_reg::kStatusW1cMask}));
  for (std::uint32_t offset = 0; offset < config_reg::kHeaderEnd; offset += 4)
    ASSERT_TRUE(config.Write(offset, 4, kAllOnes));
  EXPECT_EQ(config.Read(config_reg::kVendorId, 4).value(), 0x10d3'8086u);
  EXPECT_EQ(config.Read(config_reg::kRevisionId, 4).value(), 0x0200'0003u);
  EXPECT_EQ(config.Read(config_reg::kSubsystemVendorId, 4).value(), 0xa01f'8086u);
  EXPECT_EQ(config.Read(config_reg::kInterruptPin, 1).value(), 1u);
  EXPECT_EQ(config.Read(config_reg::kHeaderType, 1).value(), 0u);
  EXPECT_EQ(config.Read(config_reg::kCommand, 2).value(), config_reg::kCommandWriteMask);
  // Status: the W1C error bits cleared by the all-ones write, bit 4 kept.
  EXPECT_EQ(config.Read(config_reg::kStatus, 2).value(), 0x0010u);
  EXPECT_EQ(config.Read(config_reg::kCacheLineSize, 1).value(), 0xffu);
  EXPECT_EQ(config.Read(config_reg::kInterruptLine, 1).value(), 0xffu);
}

TEST(ConfigSpaceTest, WriteTouchingPassthroughBitsReachesTheDeviceFirst) {
  Fixture f;
  ASSERT_TRUE(f.config.InitField(0x80, 2, {.value = 0, .write_mask = 0xffff,
                                           .emulated_mask = 0x00ff}));
  ASSERT_TRUE(f.config.Write(0x80, 2, 0xabcd));
  EXPECT_EQ(f.device->writes, 1);
  EXPECT_EQ(f.device->bytes()[0x81], 0xab);
  EXPECT_EQ(f.config.Read(0x80, 2).value(), 0xabcdu);  // device byte 1, shadow byte 0
}

TEST(ConfigSpaceTest, DeviceErrorsPropagateAndLeaveTheShadowAlone) {
  Fixture f;
  ASSERT_TRUE(f.config.InitField(0x80, 4, {.write_mask = kAllOnes, .emulated_mask = 0xff}));
  f.device->error = std::make_error_code(std::errc::io_error);
  const State before = Capture(f);
  EXPECT_EQ(ErrorOf(f.config.Read(0x80, 4)), std::errc::io_error);
  EXPECT_EQ(ErrorOf(f.config.Write(0x80, 4, kAllOnes)), std::errc::io_error);
  EXPECT_EQ(Capture(f), before);
  EXPECT_FALSE(f.config.MemoryDecodeEnabled());  // Command unreadable: treated as off
}

TEST(ConfigSpaceBarTest, AddBarRejectsBadIndexKindSlotSizeAndAddress) {
  struct Case {
    unsigned index;
    BarInfo info;
    std::uint64_t address;
    ConfigError error;
  };
  using enum ConfigError;
  using enum BarKind;
  constexpr std::uint64_t k4G = 1ull << 32;
  const Case kCases[] = {
      {7, {kMem32, false, 16}, 0, kInvalidBarIndex},
      {kRomIndex, {kIo, false, 2048}, 0, kInvalidRomKind},
      {kRomIndex, {kMem64, false, 2048}, 0, kInvalidRomKind},
      {kRomIndex, {kMem32, true, 2048}, 0, kInvalidRomKind},
      {5, {kMem64, false, 16}, 0, kBar64InLastSlot},
      {0, {kIo, false, 4}, 0, kBarInUse},       // BAR 0 taken
      {3, {kIo, false, 4}, 0, kBarInUse},       // upper half of the mem64 at 2
      {1, {kMem64, false, 16}, 0, kBarInUse},   // its upper slot would be 2
      {1, {kMem32, false, 0}, 0, kBarSizeInvalid},
      {1, {kMem32, false, 24}, 0, kBarSizeInvalid},
      {1, {kMem32, false, 8}, 0, kBarSizeInvalid},
      {1, {kIo, false, 2}, 0, kBarSizeInvalid},
      {1, {kMem32, false, k4G}, 0, kBarSizeInvalid},
      {4, {kMem64, false, 0}, 0, kBarSizeInvalid},
      {kRomIndex, {kMem32, false, 1024}, 0, kBarSizeInvalid},
      {1, {kMem32, false, 0x1000}, 0x800, kBarAddressUnaligned},
      {4, {kMem64, false, 1ull << 40}, 1ull << 39, kBarAddressUnaligned},
      {1, {kMem32, false, 0x1000}, k4G, kBarAddressInvalid},
      {1, {kIo, false, 4}, ~0ull - 3, kBarAddressInvalid},
      {kRomIndex, {kMem32, false, 2048}, k4G, kBarAddressInvalid},
  };
  for (const Case& c : kCases) {
    Fixture f;
    ASSERT_TRUE(f.config.AddBar(0, {kMem32, false, 16}, Gpa(0x1000)));
    ASSERT_TRUE(f.config.AddBar(2, {kMem64, false, 16}, Gpa(0x2000)));
    const State before = Capture(f);
    EXPECT_EQ(ErrorOf(f.config.AddBar(c.index, c.info, Gpa(c.address))), make_error_code(c.error))
        << "index " << c.index << " size " << c.info.size;
    EXPECT_EQ(Capture(f), before);
  }
}

TEST(ConfigSpaceBarTest, AddBarAcceptsTheLimitsOfEachKind) {
  ConfigSpace config;
  EXPECT_TRUE(config.AddBar(0, {BarKind::kMem32, false, 0x1000}, Gpa(0xffff'f000)));
  EXPECT_TRUE(config.AddBar(1, {BarKind::kIo, false, 1ull << 31}, Gpa(1ull << 31)));
  EXPECT_TRUE(config.AddBar(2, {BarKind::kMem64, true, 1ull << 63}, Gpa(1ull << 63)));
  EXPECT_TRUE(config.AddBar(kRomIndex, {BarKind::kMem32, false, 2048}, Gpa(0xffff'f800)));
  EXPECT_EQ(GpaOf(config.BarAddress(2)), std::uint64_t{1} << 63);
  EXPECT_EQ(config.Read(0x18, 4).value(), 0x0000'000cu);  // mem64, prefetchable
  EXPECT_EQ(config.Read(0x1c, 4).value(), 0x8000'0000u);
}

TEST(ConfigSpaceBarTest, ReadsReturnTheGuestAddressNeverTheHostOne) {
  Fixture f;  // the device's own BAR registers hold the nonzero DevicePattern
  ASSERT_TRUE(f.config.AddBar(0, {BarKind::kMem32, false, 0x1000}, Gpa(0xc000'0000)));
  EXPECT_EQ(f.config.Read(0x10, 4).value(), 0xc000'0000u);
  for (std::uint32_t offset : {0x14u, 0x18u, 0x1cu, 0x20u, 0x24u, std::uint32_t{kRomOffset}})
    EXPECT_EQ(f.config.Read(offset, 4).value(), 0u) << "unimplemented BAR at " << offset;
  EXPECT_EQ(f.device->reads, 0);
}

TEST(ConfigSpaceBarTest, GuestSizingYieldsTheSizeAndRestoreKeepsTheAddress) {
  struct Case {
    const char* what;
    unsigned index;
    BarInfo info;
    std::uint64_t address;
    std::uint32_t probe;    // what the guest writes to the low register (and all-ones high)
    std::uint32_t want_lo;  // readbacks
    std::uint32_t want_hi;
  };
  using enum BarKind;
  constexpr Case kCases[] = {
      {"io 32 B", 0, {kIo, false, 0x20}, 0xc040, kAllOnes, 0xffff'ffe1, 0},
      {"mem32 1 MiB", 1, {kMem32, false, 1 << 20}, 0xfe00'0000, kAllOnes, 0xfff0'0000, 0},
      {"mem32 pref 16 KiB", 1, {kMem32, true, 0x4000}, 0xfe00'4000, kAllOnes, 0xffff'c008, 0},
      {"OpenBSD probe", 1, {kMem32, false, 1 << 20}, 0xfe00'0000, 0xffff'fff0, 0xfff0'0000, 0},
      {"mem64 8 GiB", 2, {kMem64, true, 8ull << 30}, 0x8'0000'0000, kAllOnes, 0xc, 0xffff'fffe},
      {"mem64 1 MiB", 4, {kMem64, false, 1 << 20}, 0x1'0010'0000, kAllOnes, 0xfff0'0004,
       kAllOnes},
      {"rom 64 KiB", kRomIndex, {kMem32, false, 0x10000}, 0xfeb0'0000, kAllOnes, 0xffff'0001, 0},
      {"rom probe", kRomIndex, {kMem32, false, 0x10000}, 0xfeb0'0000, 0xffff'f800, 0xffff'0000,
       0},
  };
  for (const Case& c : kCases) {
    ConfigSpace config;
    ASSERT_TRUE(config.AddBar(c.index, c.info, Gpa(c.address))) << c.what;
    const std::uint32_t lo = c.index == kRomIndex ? kRomOffset : 0x10 + 4 * c.index;
    const bool mem64 = c.info.kind == kMem64;
    const std::uint32_t saved_lo = config.Read(lo, 4).value();
    const std::uint32_t saved_hi = mem64 ? config.Read(lo + 4, 4).value() : 0;

    ASSERT_TRUE(config.Write(lo, 4, c.probe));
    if (mem64) { ASSERT_TRUE(config.Write(lo + 4, 4, kAllOnes)); }
    const std::uint32_t got_lo = config.Read(lo, 4).value();
    const std::uint32_t got_hi = mem64 ? config.Read(lo + 4, 4).value() : 0;
    EXPECT_EQ(got_lo, c.want_lo) << c.what;
    EXPECT_EQ(got_hi, c.want_hi) << c.what;
    // The guest's arithmetic: clear the flag bits, invert, add one.
    const std::uint32_t flags = c.index == kRomIndex ? 0x7ff : c.info.kind == kIo ? 0x3 : 0xf;
    const std::uint64_t bits = std::uint64_t{got_hi} << 32 | (got_lo & ~flags);
    const std::uint64_t size = mem64 ? ~bits + 1 : std::uint32_t(~std::uint32_t(bits) + 1);
    EXPECT_EQ(size, c.info.size) << c.what;

    ASSERT_TRUE(config.Write(lo, 4, saved_lo));
    if (mem64) { ASSERT_TRUE(config.Write(lo + 4, 4, saved_hi)); }
    EXPECT_EQ(GpaOf(config.BarAddress(c.index)), c.address) << c.what;
    EXPECT_EQ(config.Read(lo, 4).value(), saved_lo) << c.what;
  }
}

TEST(ConfigSpaceBarTest, Mem64HalvesStayConsistentThroughAMove) {
  ConfigSpace config;
  ASSERT_TRUE(config.AddBar(2, {BarKind::kMem64, false, 1 << 20}, Gpa(0x1'0000'0000)));
  // Low half first, address bits below the size and the type bits are not the guest's.
  ASSERT_TRUE(config.Write(0x18, 4, 0x2008'123f));
  EXPECT_EQ(config.Read(0x18, 4).value(), 0x2000'0004u);
  EXPECT_EQ(GpaOf(config.BarAddress(2)), 0x1'2000'0000u);
  ASSERT_TRUE(config.Write(0x1c, 2, 0x0003));
  ASSERT_TRUE(config.Write(0x1f, 1, 0x80));
  EXPECT_EQ(GpaOf(config.BarAddress(2)), 0x8000'0003'2000'0000u);
  EXPECT_EQ(config.Read(0x18, 4).value() & 0xf, 0x4u);  // still announces 64-bit
  EXPECT_EQ(ErrorOf(config.BarAddress(3)), make_error_code(ConfigError::kNoBar));
  EXPECT_EQ(ErrorOf(config.AddBar(3, {BarKind::kMem32, false, 16}, Gpa(0))),
            make_error_code(ConfigError::kBarInUse));
}

TEST(ConfigSpaceBarTest, BarAddressRejectsBadIndexAndEmptySlot) {
  ConfigSpace config;
  EXPECT_EQ(ErrorOf(config.BarAddress(7)), make_error_code(ConfigError::kInvalidBarIndex));
  EXPECT_EQ(ErrorOf(config.BarAddress(0)), make_error_code(ConfigError::kNoBar));
  EXPECT_EQ(ErrorOf(config.BarAddress(kRomIndex)), make_error_code(ConfigError::kNoBar));
}

TEST(ConfigSpaceBarTest, RomEnableBitIsGuestWritableAndAddressKeepsItsMask) {
  ConfigSpace config;
  EXPECT_FALSE(config.RomEnabled());
  ASSERT_TRUE(config.AddBar(kRomIndex, {BarKind::kMem32, false, 0x8000}, Gpa(0xfeb0'0000)));
  EXPECT_FALSE(config.RomEnabled());
  // A move to 0xfeb1'0000, bit 14 (inside the 32 KiB), the reserved bits 10:1, the enable.
  ASSERT_TRUE(config.Write(kRomOffset, 4, 0xfeb1'47ff));
  EXPECT_TRUE(config.RomEnabled());
  EXPECT_EQ(config.Read(kRomOffset, 4).value(), 0xfeb1'0001u);
  EXPECT_EQ(GpaOf(config.BarAddress(kRomIndex)), 0xfeb1'0000u);
}

TEST(ConfigSpaceBarTest, DecodeEnablesFollowTheCommandRegister) {
  ConfigSpace config;
  config.InitType0Header({});
  EXPECT_FALSE(config.MemoryDecodeEnabled());
  EXPECT_FALSE(config.IoDecodeEnabled());
  ASSERT_TRUE(config.Write(config_reg::kCommand, 2, config_reg::kCommandMemory));
  EXPECT_TRUE(config.MemoryDecodeEnabled());
  EXPECT_FALSE(config.IoDecodeEnabled());
  ASSERT_TRUE(config.Write(config_reg::kCommand, 1, config_reg::kCommandIo));
  EXPECT_FALSE(config.MemoryDecodeEnabled());
  EXPECT_TRUE(config.IoDecodeEnabled());
}

}  // namespace
}  // namespace vfio
