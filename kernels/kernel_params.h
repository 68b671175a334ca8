// The enum parameters of the VFIO kernels: starting states and operation sequences, one enum
// per precondition, shared by the kernels and their smoke test. Plain enums only; depends on
// <cstdint> and never on the runner or the library under test.
//
// Every enumerator is a seed of the permuter, so each enum lists the cases a kernel must
// reach (an overlap with the *next* mapping, a BAR in slot 5, a chain that loops) by name.
#pragma once

#include <cstdint>

namespace vfio_kernels {

// ---- address_kernels.cc ----
enum class Direction : std::uint8_t { kGpaToIova, kIovaToGpa };
// A second range placed against [start, start + size): where, relative to the first.
enum class RangeProbe : std::uint8_t {
  kBeforeStart,    // ends one byte before start
  kAtStart,        // starts at start
  kAtLast,         // starts at the last byte
  kAdjacentAfter,  // starts one past the last byte
  kWholeRange,     // the range itself
};

// ---- pci_kernels.cc ----
enum class BdfSpelling : std::uint8_t {
  kFull,       // "%04x:%02x:%02x.%x", the canonical form
  kShort,      // "%02x:%02x.%x", domain 0
  kUppercase,  // "%04X:%02X:%02X.%X"
  kUnpadded,   // "%x:%x:%x.%x"
};
// One way a BDF string is malformed, applied to the canonical spelling.
enum class BdfDefect : std::uint8_t {
  kNone,
  kEmpty,             // ""
  kNoDot,             // "0000:00:1f"
  kNoColon,           // "1f.3"
  kTooManyColons,     // "0:0000:00:1f.3"
  kEmptyBus,          // "0000::1f.3"
  kEmptyFunction,     // "0000:00:1f."
  kNonHexBus,         // "0000:g0:1f.3"
  kNonHexFunction,    // "0000:00:1f.g"
  kSign,              // "+00:1f.3"
  kHexPrefix,         // "0000:0x00:1f.3"
  kLeadingSpace,      // " 0000:00:1f.3"
  kDomainTooLong,     // "00000:00:1f.3"
  kBusTooLong,        // "0000:000:1f.3"
  kDeviceTooLong,     // "0000:00:01f.3"
  kFunctionTooLong,   // "0000:00:1f.03"
  kTrailingNewline,   // "0000:00:1f.3\n"
};
// What the type bits of a BAR's sizing readback announce.
enum class ProbeType : std::uint8_t { kIo, kMem32, kMem64, kReservedType1, kReservedType3, kRom };
// How the device answers the all-ones write of the sizing protocol.
enum class Readback : std::uint8_t {
  kConforming,        // ~(size - 1) in the address bits, upper dword exactly for 64-bit
  kIo16Decoder,       // the upper 16 bits read back 0 (a 16-bit I/O decoder)
  kUpperHalfMissing,  // no upper dword given
  kUpperHalfExtra,    // an upper dword given whatever the type
  kHole,              // one address bit above the size reads back 0
  kUnimplemented,     // the address bits read back 0
};

// ---- dma_kernels.cc, dma_unmap_kernels.cc ----
enum class IovaWindows : std::uint8_t {
  kWholeSpace,  // no IOVA range capability: all of 2^64
  kX86,         // [0, 0xfedfffff] and [0xfef00000, 0x7fffffffff]: q35 intel-iommu, 39 bits
  kLow4GiB,     // [0, 0xffffffff]
};
// Where dma.map_one's IOVA lies, against the kX86 windows and the 4 GiB line. Positions, not
// an integer: a mapping is refused for its first broken rule, so an integer IOVA would need
// every other parameter well formed at once before a window check is reached, which a
// pairwise search rarely gives.
enum class IovaPlace : std::uint8_t {
  kZero,            // 0
  kUnaligned,       // 0x100800
  kFirstWindowEnd,  // 0xfedff000: the last page of the first kX86 window
  kMsiHole,         // 0xfee00000: between the kX86 windows
  kSecondWindow,    // 0xfef00000: the first page of the second kX86 window
  kBelow4GiB,       // 0xfffff000: the last page below 4 GiB
  kAt4GiB,          // 0x100000000
  kEnd39Bit,        // 0x7ffffff000: the last page of a 39-bit IOMMU
  kPast39Bit,       // 0x8000000000
  kTopPage,         // 0xfffffffffffff000: a mapping of more than a page wraps
};
// dma.map_one's host buffer and permission: well formed, or broken in one way.
enum class MapHost : std::uint8_t {
  kReadWrite,        // an aligned buffer, read and write
  kRead,             // the same, read only
  kWrite,            // the same, write only
  kNoPermission,     // Perm bits 0
  kUnknownPermBits,  // Perm bits 0x4: a caller casting an integer
  kUnalignedHva,     // the buffer one byte past a page
  kHvaTopPage,       // the last page of the host space: a mapping of more than a page wraps
};
// Where the second mapping B goes relative to the first mapping A.
enum class MapOrder : std::uint8_t {
  kGapAfter,        // B starts a page after A ends
  kAdjacentAfter,   // B starts where A ends
  kOverlapEnd,      // B starts in A's last page: overlaps the previous mapping
  kSame,            // B starts where A starts
  kInside,          // B starts a page into A
  kCovering,        // B starts a page before A
  kOverlapNext,     // B ends a page into A: overlaps the next mapping
  kAdjacentBefore,  // B ends where A starts
  kGapBefore,       // B ends a page before A starts
};
// The mappings present before an unmap: A = [0x100000, +64 KiB), B after A.
enum class DmaLayout : std::uint8_t { kEmpty, kOne, kTwoAdjacent, kTwoWithGap };
enum class UnmapStart : std::uint8_t {
  kFirstStart,      // at A
  kInsideFirst,     // half way into A
  kSecondStart,     // where B starts (or would)
  kBeforeFirst,     // 64 KiB below A
  kUnalignedFirst,  // A + 0x800
  kNearTop,         // 2^64 - 64 KiB
};
// One step of a map/unmap sequence over A, B (adjacent after A), Span (over A's end and
// B's start) and C (apart from all).
enum class DmaOp : std::uint8_t {
  kMapA,
  kMapB,
  kMapSpan,
  kMapC,
  kUnmapA,
  kUnmapAB,
  kUnmapHalfA,
  kUnmapAll,
};

// ---- bar_allocator_kernels.cc, cross_module_kernels.cc ----
enum class BarWindowSet : std::uint8_t {
  kQ35,              // I/O 0xc000+16 KiB, mmio32 3 GiB..0xfec00000, mmio64 256 GiB+256 GiB
  kQ35WithPref,      // the same plus a prefetchable 64-bit window at 512 GiB
  kTiny,             // 256 bytes of I/O, 64 KiB of mmio32, 1 MiB of mmio64
  kUnalignedBase,    // windows starting one page past an aligned address
  kTopOfSpace,       // mmio64 ending at 2^64 - 1
  kMmio32Above4GiB,  // an mmio32 window ending above 4 GiB: refused by Create
};
enum class BarType : std::uint8_t { kIo, kMem32, kMem32Pref, kMem64, kMem64Pref };
enum class SizeOrder : std::uint8_t { kDescending, kAscending, kEqual, kAlternating };
// What follows an allocation.
enum class FreeOp : std::uint8_t {
  kNone,
  kExact,          // free it, then allocate the same BAR again
  kWrongAddress,   // free an address one BAR size higher
  kWrongSize,      // free its address with twice the size
  kOtherWindow,    // free its address as a BAR of another window
  kTwice,          // free it twice
  kZeroSize,       // free its address with size 0
  kNotPowerOfTwo,  // free its address with size + 1
};

// ---- address_allocator_kernels.cc ----
enum class PoolShape : std::uint8_t {
  kLow,     // [0, 1 MiB)
  kOdd,     // [0x1000, 0x8000): 28 KiB, not a power of two
  kTop,     // the last MiB of the 64-bit space
};
// Allocations made before the one under test.
enum class Prefill : std::uint8_t {
  kEmpty,
  kFirstPage,    // the pool's first 4 KiB
  kMiddle,       // 4 KiB in the middle
  kLastPage,     // the pool's last 4 KiB
  kTwoWithHole,  // the first and third 4 KiB
  kFull,         // the whole pool
};
enum class FreeTarget : std::uint8_t { kExact, kWrongSize, kInside, kNowhere, kTwice };

// ---- msix_kernels.cc ----
// Where the PBA goes relative to a table at table_offset in BAR table_bir.
enum class PbaPlacement : std::uint8_t {
  kAfterTable,    // the next 8-byte boundary after the table
  kBeforeTable,   // ending at or before the table's start
  kOverlapTable,  // 8 bytes into the table
  kOtherBar,      // offset 0 of another, 4 KiB BAR
  kInvalidBir,    // BIR 7
  kMisaligned,    // 4 bytes after the table
  kAtBarEnd,      // ending exactly at the end of the BAR
  kPastBarEnd,    // ending 8 bytes past the end of the BAR
};
// Which guest-visible structure an access targets.
enum class MsixRegion : std::uint8_t {
  kTable,          // offset from the table's start
  kPba,            // offset from the PBA's start
  kBar,            // offset inside BAR 3, which holds both
  kBarInvalidBir,  // an access trapped on BAR 6
};
enum class AccessKind : std::uint8_t { kRead, kWriteUnmasking, kWriteMasking };
// Message Control before the fire.
enum class FunctionState : std::uint8_t { kDisabled, kEnabled, kEnabledMasked, kDisabledMasked };
// What follows a fire of the vector under test.
enum class FireScript : std::uint8_t {
  kFireOnly,
  kUnmaskEntry,     // the guest clears the entry's mask bit
  kMaskEntry,       // the guest sets it
  kEnableFunction,  // the guest writes Message Control = enable
  kReset,           // function reset
  kFireAgain,
};

// ---- msix_vector_kernels.cc ----
// An operation sequence of the VMM-side vector state machine on one vector.
enum class VectorScript : std::uint8_t {
  kConfigure,
  kConfigureEnable,
  kConfigureEnableDisable,
  kFullCycle,           // configure, enable, disable, mask: back to Masked
  kReconfigure,         // configure twice
  kEnableUnconfigured,  // enable a Masked vector
  kReconfigureEnabled,  // configure, enable, configure
  kMaskEnabled,         // configure, enable, mask
  kDisableConfigured,   // configure, disable
  kMaskUnconfigured,    // mask a Masked vector
  kEnableTwice,         // configure, enable, enable
};
// One step on vector 0 or 1 of a two-vector function.
enum class VectorOp : std::uint8_t {
  kConfigure0,
  kEnable0,
  kDisable0,
  kMask0,
  kConfigure1,
  kEnable1,
  kDisable1,
  kMask1,
};

// ---- config_space_kernels.cc, capability_kernels.cc ----
enum class SpaceKind : std::uint8_t { kConventional, kExpress };
enum class ConfigOp : std::uint8_t { kRead, kWrite };
// The guest address given to ConfigSpace::AddBar for a BAR of `size` bytes.
enum class BarPlacement : std::uint8_t {
  kAligned,     // 2 GiB for sizes up to 2 GiB, else the size itself
  kHigh,        // 256 GiB
  kUnaligned,   // 2 GiB + size / 2
  kEndsAt4GiB,  // 4 GiB - size
  kAt4GiB,      // 4 GiB
};
// What the guest does to the BAR register afterwards.
enum class GuestBarOp : std::uint8_t {
  kNone,
  kSizeProbe,         // all-ones to the BAR (and its upper half), read back, restore
  kProbeLowOnly,      // all-ones to the low dword only
  kProgram,           // a new address one BAR size higher, low then high dword
  kProgramUpperOnly,  // 1 to the upper dword only
  kWriteByte,         // 0xff to the register's second byte
};
// A legacy capability chain as a device (or a hostile writer) could lay it out.
enum class CapChain : std::uint8_t {
  kNoStatusBit,        // a chain, but Status bit 4 clear
  kEmptyPointer,       // Status bit 4 set, pointer 0
  kSingle,             // 0x40
  kTwo,                // 0x40 -> 0x50
  kLowBitsSet,         // pointers 0x43 -> 0x53: bits 1:0 reserved
  kSelfLoop,           // 0x40 -> 0x40
  kTwoCycle,           // 0x40 -> 0x50 -> 0x40
  kPointsBelowHeader,  // 0x40 -> 0x3c
  kAbsentId,           // 0x40 -> 0x50 whose id reads 0xff
  kFull48,             // 48 capabilities filling 0x40..0xff
  kFull48Loop,         // the same, the last pointing back at the first
  kBuilder,            // power management and MSI-X laid out by CapabilityBuilder
};
enum class ExtCapChain : std::uint8_t {
  kConventionalSpace,  // a 256-byte space: no extended capabilities
  kZeroHeader,         // 0 at 0x100
  kSingle,
  kTwo,                // 0x100 -> 0x140
  kSelfLoop,
  kCycle,              // 0x100 -> 0x140 -> 0x100
  kAllOnes,            // 0x100 -> 0x140 reading all-ones
  kPointsBelow100,     // 0x100 -> 0xfc
  kMax480,             // 480 links, 4 bytes apart
  kOver480,            // 481 links
};
enum class MsixCapSetup : std::uint8_t {
  kBuilder,            // CapabilityBuilder::AddMsix after a PM capability
  kRaw,                // written field by field at 0x40, any BIR
  kParseMisaligned,    // parsed at 0x42
  kParseBelowHeader,   // parsed at 0x30
  kParseTruncated,     // written and parsed at 0xf8
  kParseOtherCapability,  // parsed at the PM capability
};

// ---- cross_module_kernels.cc ----
// The DMA address width of the vIOMMU: q35's intel-iommu defaults to 39 bits (aw-bits=48
// widens it).
enum class IommuWidth : std::uint8_t { k39Bit, k48Bit };
// One step on a VFIO container backed by the fake kernel.
enum class ContainerOp : std::uint8_t {
  kMapRam,              // [1 MiB, 2 MiB)
  kMapAdjacent,         // [2 MiB, 3 MiB)
  kMapOverlap,          // [1.5 MiB, 2.5 MiB)
  kMapMsiWindow,        // the MSI doorbell page 0xfee00000
  kUnmapRam,
  kUnmapAll,
  kMapKernelRefuses,    // MAP_DMA fails with ENOMEM
  kUnmapKernelRefuses,  // UNMAP_DMA fails with EINVAL
};

// ---- edge_kernels.cc ----
// One zero-size operation per module.
enum class ZeroSizeOp : std::uint8_t {
  kRangeMake,
  kDmaMap,
  kDmaUnmap,
  kDmaTranslate,
  kPoolCreate,
  kPoolAllocate,
  kPoolAllocateAt,
  kBarAllocate,
  kBarFree,
};
// One operation at the top of the 64-bit space.
enum class TopOp : std::uint8_t {
  kCheckedAdd,
  kAlignUp,
  kRangeMake,
  kDmaMap,
  kDmaUnmap,
  kTranslate,
  kPoolAllocate,
  kPoolAllocateAt,
};

}  // namespace vfio_kernels
