// Tests of vfio/capabilities.h: bounded capability walks on hostile chains, MSI-X parsing
// and the builder. GoogleTest and the vfio libraries only.
#include "vfio/capabilities.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <system_error>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace vfio {
namespace {

template <class T>
std::error_code ErrorOf(const Result<T>& r) {
  return r ? std::error_code() : r.error();
}

std::vector<std::uint16_t> Offsets(const std::vector<Capability>& caps) {
  std::vector<std::uint16_t> offsets;
  for (const Capability& cap : caps) offsets.push_back(cap.offset);
  return offsets;
}

// Raw bytes poked in as a device (or a guest with write access) might leave them.
void Poke(ConfigSpace& config, std::uint32_t offset, std::uint32_t len, std::uint32_t value) {
  ASSERT_TRUE(config.InitField(offset, len, {.value = value}));
}

// A legacy chain by hand: Status bit 4, the pointer at 0x34 and (offset, id, next) links.
struct RawLink {
  std::uint8_t offset, id, next;
};
ConfigSpace LegacyChain(std::uint8_t first, const std::vector<RawLink>& links) {
  ConfigSpace config;
  Poke(config, config_reg::kStatus, 2, config_reg::kStatusCapabilityList);
  Poke(config, config_reg::kCapabilityList, 1, first);
  for (const RawLink& link : links) Poke(config, link.offset, 2, link.id | link.next << 8);
  return config;
}

TEST(CapabilitiesTest, ErrorsPrintAsCategoryAndSnakeCaseName) {
  struct Case {
    CapabilityError error;
    const char* name;
  };
  constexpr Case kCases[] = {
      {CapabilityError::kLoop, "loop"},
      {CapabilityError::kTooLong, "too_long"},
      {CapabilityError::kNotFound, "not_found"},
      {CapabilityError::kBadOffset, "bad_offset"},
      {CapabilityError::kNotMsix, "not_msix"},
      {CapabilityError::kTruncated, "truncated"},
      {CapabilityError::kInvalidBir, "invalid_bir"},
      {CapabilityError::kBadSize, "bad_size"},
      {CapabilityError::kNoSpace, "no_space"},
      {CapabilityError::kInvalidVersion, "invalid_version"},
      {CapabilityError::kInvalidVectorCount, "invalid_vector_count"},
      {CapabilityError::kMisalignedOffset, "misaligned_offset"},
  };
  for (const Case& c : kCases) {
    const std::error_code code = c.error;
    EXPECT_STREQ(code.category().name(), "vfio.capabilities");
    EXPECT_EQ(code.message(), c.name);
  }
}

TEST(CapabilitiesTest, LegacyWalkHandlesHostileChains) {
  struct Case {
    const char* what;
    std::uint8_t first;
    std::vector<RawLink> links;
    std::vector<std::uint16_t> want;  // offsets, when the walk succeeds
    CapabilityError error;            // when it does not (kNotFound stands for success)
  };
  using enum CapabilityError;
  const Case kCases[] = {
      {"two caps", 0x40, {{0x40, 0x01, 0x50}, {0x50, 0x05, 0x00}}, {0x40, 0x50}, kNotFound},
      {"low pointer bits masked", 0x43, {{0x40, 0x01, 0x53}, {0x50, 0x05, 0x00}}, {0x40, 0x50},
       kNotFound},
      {"first pointer below 0x40", 0x3c, {{0x3c, 0x01, 0x00}}, {}, kNotFound},
      {"next below 0x40 ends", 0x40, {{0x40, 0x01, 0x3f}}, {0x40}, kNotFound},
      {"id 0xff ends", 0x40, {{0x40, 0x01, 0x50}, {0x50, 0xff, 0x40}}, {0x40}, kNotFound},
      {"self-loop", 0x40, {{0x40, 0x01, 0x40}}, {}, kLoop},
      {"self-loop through low bits", 0x40, {{0x40, 0x01, 0x42}}, {}, kLoop},
      {"two-cycle", 0x40, {{0x40, 0x01, 0x50}, {0x50, 0x05, 0x40}}, {}, kLoop},
      {"long cycle", 0x40, {{0x40, 1, 0x80}, {0x80, 2, 0xc0}, {0xc0, 3, 0x80}}, {}, kLoop},
      {"pointer 0xff", 0xff, {{0xfc, 0x09, 0xff}}, {}, kLoop},  // Cloud Hypervisor a0065452d
  };
  for (const Case& c : kCases) {
    const ConfigSpace config = LegacyChain(c.first, c.links);
    const auto caps = ListCapabilities(config);
    if (c.error == kNotFound) {
      ASSERT_TRUE(caps) << c.what << ": " << caps.error().message();
      EXPECT_EQ(Offsets(caps.value()), c.want) << c.what;
    } else {
      EXPECT_EQ(ErrorOf(caps), make_error_code(c.error)) << c.what;
    }
  }
}

TEST(CapabilitiesTest, LegacyWalkIsEmptyWithoutStatusBit4) {
  ConfigSpace config = LegacyChain(0x40, {{0x40, 0x01, 0x40}});  // a loop it must not follow
  Poke(config, config_reg::kStatus, 2, 0);
  const auto caps = ListCapabilities(config);
  ASSERT_TRUE(caps);
  EXPECT_TRUE(caps.value().empty());
}

TEST(CapabilitiesTest, LegacyWalkFollowsAll48SlotsAndCatchesTheLoopAfter) {
  std::vector<RawLink> links;
  for (std::uint32_t pos = 0x40; pos < 0x100; pos += 4)
    links.push_back({static_cast<std::uint8_t>(pos), 0x09,
                     static_cast<std::uint8_t>(pos + 4 < 0x100 ? pos + 4 : 0)});
  const auto full = ListCapabilities(LegacyChain(0x40, links));
  ASSERT_TRUE(full);
  EXPECT_EQ(full.value().size(), kMaxLegacyCapabilities);
  links.back().next = 0x40;  // the last slot points back to the first
  EXPECT_EQ(ErrorOf(ListCapabilities(LegacyChain(0x40, links))),
            make_error_code(CapabilityError::kLoop));
}

// An extended chain by hand: (offset, header) pairs in a 4 KiB space.
ConfigSpace ExtendedChain(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& headers) {
  ConfigSpace config(ConfigSpaceSize::kExpress);
  for (const auto& [offset, header] : headers) Poke(config, offset, 4, header);
  return config;
}

constexpr std::uint32_t ExtHeader(std::uint16_t id, std::uint32_t next) {
  return id | 1u << 16 | next << 20;
}

TEST(CapabilitiesTest, ExtendedWalkHandlesHostileChains) {
  struct Case {
    const char* what;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> headers;
    std::vector<std::uint16_t> want;
    CapabilityError error;  // kNotFound stands for success
  };
  using enum CapabilityError;
  const Case kCases[] = {
      {"no caps", {{0x100, 0}}, {}, kNotFound},
      {"absent device", {{0x100, 0xffff'ffff}}, {}, kNotFound},
      {"two caps", {{0x100, ExtHeader(1, 0x200)}, {0x200, ExtHeader(0xb, 0)}}, {0x100, 0x200},
       kNotFound},
      {"next low bits masked", {{0x100, ExtHeader(1, 0x203)}, {0x200, ExtHeader(2, 0)}},
       {0x100, 0x200}, kNotFound},
      {"next below 0x100 ends", {{0x100, ExtHeader(1, 0x0fc)}}, {0x100}, kNotFound},
      {"self-loop", {{0x100, ExtHeader(1, 0x100)}}, {}, kLoop},
      {"cycle", {{0x100, ExtHeader(1, 0xffc)}, {0xffc, ExtHeader(2, 0x100)}}, {}, kLoop},
  };
  for (const Case& c : kCases) {
    const auto caps = ListExtendedCapabilities(ExtendedChain(c.headers));
    if (c.error == kNotFound) {
      ASSERT_TRUE(caps) << c.what << ": " << caps.error().message();
      EXPECT_EQ(Offsets(caps.value()), c.want) << c.what;
    } else {
      EXPECT_EQ(ErrorOf(caps), make_error_code(c.error)) << c.what;
    }
  }
}

TEST(CapabilitiesTest, ExtendedWalkStopsAfter480LinksWithoutALoop) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> headers;
  for (std::uint32_t i = 0; i < kMaxExtendedCapabilities; ++i) {
    const std::uint32_t pos = 0x100 + 4 * i;
    const bool last = i + 1 == kMaxExtendedCapabilities;
    headers.emplace_back(pos, ExtHeader(0xb, last ? 0 : pos + 4));
  }
  const auto full = ListExtendedCapabilities(ExtendedChain(headers));
  ASSERT_TRUE(full);
  EXPECT_EQ(full.value().size(), kMaxExtendedCapabilities);

  const std::uint32_t extra = 0x100 + 4 * kMaxExtendedCapabilities;
  headers.back().second = ExtHeader(0xb, extra);
  headers.emplace_back(extra, ExtHeader(0xb, 0));
  EXPECT_EQ(ErrorOf(ListExtendedCapabilities(ExtendedChain(headers))),
            make_error_code(CapabilityError::kTooLong));
}

TEST(CapabilitiesTest, ExtendedWalkIsEmptyInConventionalSpace) {
  const auto caps = ListExtendedCapabilities(ConfigSpace(ConfigSpaceSize::kConventional));
  ASSERT_TRUE(caps);
  EXPECT_TRUE(caps.value().empty());
}

TEST(CapabilitiesTest, BuilderLinksCapabilitiesTheWalksFind) {
  ConfigSpace config(ConfigSpaceSize::kExpress);
  CapabilityBuilder builder(config);
  EXPECT_EQ(builder.Add(0x01, 8).value(), 0x40);
  EXPECT_EQ(builder.Add(0x09, 5).value(), 0x48);  // next one dword-aligned
  EXPECT_EQ(builder.AddMsix(16, 3, 0x0, 3, 0x800).value(), 0x50);
  EXPECT_EQ(builder.AddExtended(0x0001, 2, 0x40).value(), 0x100);
  EXPECT_EQ(builder.AddExtended(0x000b, 1, 6).value(), 0x140);

  const std::vector<Capability> legacy = {{0x40, 0x01, 0}, {0x48, 0x09, 0}, {0x50, 0x11, 0}};
  EXPECT_EQ(ListCapabilities(config).value(), legacy);
  const std::vector<Capability> extended = {{0x100, 0x0001, 2}, {0x140, 0x000b, 1}};
  EXPECT_EQ(ListExtendedCapabilities(config).value(), extended);
  EXPECT_EQ(FindCapability(config, 0x09).value(), 0x48);
  EXPECT_EQ(FindExtendedCapability(config, 0x000b).value(), 0x140);
  EXPECT_EQ(ErrorOf(FindCapability(config, 0x10)), make_error_code(CapabilityError::kNotFound));
  EXPECT_EQ(ErrorOf(FindExtendedCapability(config, 0x10)),
            make_error_code(CapabilityError::kNotFound));
}

TEST(CapabilitiesTest, BuilderKeepsCapabilityHeadersReadOnly) {
  ConfigSpace config;
  config.InitType0Header({});
  CapabilityBuilder builder(config);
  ASSERT_TRUE(builder.Add(0x01, 8));
  ASSERT_TRUE(builder.Add(0x05, 8));
  for (std::uint32_t offset : {0x06u, 0x34u, 0x40u, 0x48u})
    ASSERT_TRUE(config.Write(offset, 2, 0xffff));
  EXPECT_EQ(config.Read(config_reg::kStatus, 2).value(), config_reg::kStatusCapabilityList);
  EXPECT_EQ(config.Read(config_reg::kCapabilityList, 1).value(), 0x40u);
  EXPECT_EQ(Offsets(ListCapabilities(config).value()), (std::vector<std::uint16_t>{0x40, 0x48}));
}

TEST(CapabilitiesTest, BuilderEmulatesOnlyStatusBit4OfAPassthroughStatus) {
  std::vector<std::uint8_t> device(256, 0);
  device[config_reg::kStatus] = 0x08;  // interrupt status, the device's to report
  ConfigSpace config(ConfigSpaceSize::kConventional,
                     std::make_unique<BufferPassthrough>(std::move(device)));
  CapabilityBuilder builder(config);
  ASSERT_TRUE(builder.Add(0x01, 8));
  EXPECT_EQ(config.Read(config_reg::kStatus, 1).value(), 0x18u);
}

TEST(CapabilitiesTest, BuilderRejectsBadArguments) {
  struct Case {
    const char* what;
    CapabilityError error;
    Result<std::uint16_t> (*add)(CapabilityBuilder&);
  };
  using enum CapabilityError;
  const Case kCases[] = {
      {"legacy size 1", kBadSize, [](CapabilityBuilder& b) { return b.Add(1, 1); }},
      {"legacy past 0xff", kNoSpace, [](CapabilityBuilder& b) { return b.Add(1, 0xc1); }},
      {"extended size 3", kBadSize, [](CapabilityBuilder& b) { return b.AddExtended(1, 1, 3); }},
      {"version 16", kInvalidVersion,
       [](CapabilityBuilder& b) { return b.AddExtended(1, 16, 8); }},
      {"extended past 4 KiB", kNoSpace,
       [](CapabilityBuilder& b) { return b.AddExtended(1, 1, 0xf01); }},
      {"0 vectors", kInvalidVectorCount,
       [](CapabilityBuilder& b) { return b.AddMsix(0, 0, 0, 0, 8); }},
      {"2049 vectors", kInvalidVectorCount,
       [](CapabilityBuilder& b) { return b.AddMsix(2049, 0, 0, 0, 0x8000); }},
      {"table BIR 6", kInvalidBir, [](CapabilityBuilder& b) { return b.AddMsix(1, 6, 0, 0, 8); }},
      {"PBA BIR 7", kInvalidBir, [](CapabilityBuilder& b) { return b.AddMsix(1, 0, 0, 7, 8); }},
      {"table offset 4", kMisalignedOffset,
       [](CapabilityBuilder& b) { return b.AddMsix(1, 0, 4, 0, 8); }},
  };
  const ConfigSpace fresh(ConfigSpaceSize::kExpress);
  for (const Case& c : kCases) {
    ConfigSpace config(ConfigSpaceSize::kExpress);
    CapabilityBuilder builder(config);
    EXPECT_EQ(ErrorOf(c.add(builder)), make_error_code(c.error)) << c.what;
    EXPECT_TRUE(std::ranges::equal(config.shadow(), fresh.shadow())) << c.what;
    EXPECT_TRUE(std::ranges::equal(config.emulated_mask(), fresh.emulated_mask())) << c.what;
  }
  ConfigSpace conventional;
  CapabilityBuilder builder(conventional);
  EXPECT_EQ(ErrorOf(builder.AddExtended(1, 1, 8)), make_error_code(kNoSpace));
  ASSERT_TRUE(builder.Add(0x09, 0xc0));  // exactly fills 0x40..0xff
  EXPECT_EQ(ErrorOf(builder.Add(0x09, 2)), make_error_code(kNoSpace));
}

TEST(CapabilitiesTest, MsixParsingIsStableAcrossReadsAndGuestWrites) {
  ConfigSpace config;
  CapabilityBuilder builder(config);
  ASSERT_TRUE(builder.Add(0x01, 8));
  ASSERT_TRUE(builder.AddMsix(2048, 3, 0x2000, 4, 0x10));
  const MsixCapability want = {.offset = 0x48, .vectors = 2048, .table_bir = 3,
                               .table_offset = 0x2000, .pba_bir = 4, .pba_offset = 0x10};
  EXPECT_EQ(FindMsixCapability(config).value(), want);
  EXPECT_EQ(FindMsixCapability(config).value(), want);  // no side effect of the first parse

  for (std::uint32_t offset = 0x48; offset < 0x54; offset += 4)
    ASSERT_TRUE(config.Write(offset, 4, 0xffff'ffff));
  MsixCapability after = want;
  after.function_masked = true;
  after.enabled = true;
  EXPECT_EQ(ParseMsixCapability(config, 0x48).value(), after);
  ASSERT_TRUE(config.Write(0x4a, 2, 0));
  EXPECT_EQ(ParseMsixCapability(config, 0x48).value(), want);
}

TEST(CapabilitiesTest, MsixParsingRejectsBadOffsetsIdsAndBirs) {
  struct Case {
    std::uint32_t offset;
    CapabilityError error;
  };
  using enum CapabilityError;
  constexpr Case kCases[] = {
      {0x3c, kBadOffset}, {0x42, kBadOffset}, {0x100, kBadOffset}, {0xffff'fffc, kBadOffset},
      {0xf8, kTruncated}, {0xfc, kTruncated}, {0x40, kNotMsix},   {0x50, kInvalidBir},
      {0x60, kInvalidBir},
  };
  // Only power management is linked into the chain; the two bad MSI-X caps sit outside it.
  ConfigSpace config = LegacyChain(0x40, {{0x40, 0x01, 0x00}});
  for (std::uint32_t offset = 0x50; offset < 0x6c; offset += 4) Poke(config, offset, 4, 0);
  Poke(config, 0x50, 2, kCapIdMsix);
  Poke(config, 0x54, 4, 0x1006);  // table BIR 6
  Poke(config, 0x60, 2, kCapIdMsix);
  Poke(config, 0x68, 4, 0x0007);  // PBA BIR 7
  for (const Case& c : kCases)
    EXPECT_EQ(ErrorOf(ParseMsixCapability(config, c.offset)), make_error_code(c.error))
        << std::hex << c.offset;
  EXPECT_EQ(ErrorOf(FindMsixCapability(config)), make_error_code(kNotFound));
}

TEST(CapabilitiesTest, WalksPropagateDeviceReadErrors) {
  class Failing final : public ConfigPassthrough {
   public:
    Result<std::uint32_t> Read(std::uint32_t, std::uint32_t) const override {
      return std::make_error_code(std::errc::io_error);
    }
    Result<void> Write(std::uint32_t, std::uint32_t, std::uint32_t) override {
      return std::make_error_code(std::errc::io_error);
    }
  };
  const ConfigSpace config(ConfigSpaceSize::kExpress, std::make_unique<Failing>());
  EXPECT_EQ(ErrorOf(ListCapabilities(config)), std::errc::io_error);
  EXPECT_EQ(ErrorOf(ListExtendedCapabilities(config)), std::errc::io_error);
  EXPECT_EQ(ErrorOf(FindMsixCapability(config)), std::errc::io_error);
}

}  // namespace
}  // namespace vfio
