// Conformance checks of type1 v2 DMA mapping: Container::MapDma/UnmapDma in step with the
// tracker, and every map and unmap error the kernel reports, seen raw through Backend::Ioctl
// (past the tracker) next to the library's answer to the same request.
#include <linux/vfio.h>

#include <cerrno>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vfio/dma_map.h"
#include "vfio/vm/conformance_checks.h"

namespace vfio::vm::internal {
namespace {

// Two mappings with a gap between them: A = [0x100000, 0x102000), B = [0x104000, 0x106000),
// backed by the first 8 pages of a 16-page host buffer.
constexpr std::uint64_t kIovaA = 0x10'0000;
constexpr std::uint64_t kIovaB = 0x10'4000;
constexpr std::uint64_t kSizeAB = 0x2000;
constexpr std::size_t kBufferBytes = 0x1'0000;
constexpr std::uint64_t kWrappingHva = 0xffff'ffff'ffff'f000;

struct Mapped {
  Session session;
  HostBuffer memory;

  Container& container() { return *session.container; }
};

Result<Mapped> MapAB(const Environment& env) {
  VFIO_TRY(session, OpenSession(env, env.edu, Stage::kIommuSet));
  VFIO_TRY(memory, HostBuffer::Create(kBufferBytes));
  const Hva hva = memory.hva();
  VFIO_TRY(session.container->MapDma(Iova(kIovaA), hva, kSizeAB, Perm::kReadWrite));
  VFIO_TRY(session.container->MapDma(Iova(kIovaB), Hva(hva.value() + kSizeAB), kSizeAB,
                                     Perm::kReadWrite));
  return Mapped{std::move(session), std::move(memory)};
}

// The kernel still holds A and B (mapping them again is EEXIST) and so does the tracker.
void ExpectABStillMapped(Expect& expect, const Environment& env, Mapped& m) {
  const int fd = m.container().fd();
  const std::uint64_t hva = m.memory.hva().value();
  expect.Eq("raw MAP_DMA of A again", Rc{-EEXIST},
            Rc{RawMap(*env.backend, fd, kIovaA, hva, kSizeAB, VFIO_DMA_MAP_FLAG_READ)});
  expect.Eq("raw MAP_DMA of B again", Rc{-EEXIST},
            Rc{RawMap(*env.backend, fd, kIovaB, hva, kSizeAB, VFIO_DMA_MAP_FLAG_READ)});
  expect.Eq("tracker count", std::size_t{2}, m.container().tracker().count());
  expect.Eq("tracker total_bytes", 2 * kSizeAB, m.container().tracker().total_bytes());
}

struct MapCase {
  const char* name;
  std::uint64_t iova;
  std::uint64_t hva_offset;  // into the host buffer
  bool wrapping_hva;         // use kWrappingHva instead
  std::uint64_t size;
  Perm perm;
  int err;          // the kernel's errno, 0 when the map succeeds
  DmaError error;   // the tracker's error when err != 0
};

constexpr MapCase kMapCases[] = {
    {"overlap_same", kIovaA, 0, false, kSizeAB, Perm::kReadWrite, EEXIST, DmaError::kOverlap},
    {"overlap_start_inside", 0x10'1000, 0, false, 0x2000, Perm::kReadWrite, EEXIST,
     DmaError::kOverlap},
    {"overlap_next", 0x10'2000, 0, false, 0x3000, Perm::kReadWrite, EEXIST, DmaError::kOverlap},
    {"overlap_covering_both", 0xf'f000, 0, false, 0x8000, Perm::kReadWrite, EEXIST,
     DmaError::kOverlap},
    {"unaligned_iova", 0x20'0800, 0, false, 0x1000, Perm::kReadWrite, EINVAL,
     DmaError::kUnaligned},
    {"unaligned_hva", 0x20'0000, 0x10, false, 0x1000, Perm::kReadWrite, EINVAL,
     DmaError::kUnaligned},
    {"unaligned_size", 0x20'0000, 0, false, 0x800, Perm::kReadWrite, EINVAL, DmaError::kUnaligned},
    {"zero_size", 0x20'0000, 0, false, 0, Perm::kReadWrite, EINVAL, DmaError::kZeroSize},
    {"iova_wrap", 0xffff'ffff'ffff'f000, 0, false, 0x2000, Perm::kReadWrite, EINVAL,
     DmaError::kIovaOverflow},
    {"hva_wrap", 0x20'0000, 0, true, 0x2000, Perm::kReadWrite, EINVAL, DmaError::kHvaOverflow},
    {"no_permission", 0x20'0000, 0, false, 0x1000, Perm::kNone, EINVAL,
     DmaError::kNoPermission},
    {"msi_window", 0xfee0'0000, 0, false, 0x1000, Perm::kReadWrite, EINVAL,
     DmaError::kOutsideIovaWindow},
    {"across_window_end", 0xfedf'f000, 0, false, 0x2000, Perm::kReadWrite, EINVAL,
     DmaError::kOutsideIovaWindow},
    {"above_address_width", 0x80'0000'0000, 0, false, 0x1000, Perm::kReadWrite, EINVAL,
     DmaError::kOutsideIovaWindow},
    {"adjacent_to_both", 0x10'2000, 0x8000, false, 0x2000, Perm::kReadWrite, 0, {}},
    {"read_only", 0x20'0000, 0x8000, false, 0x1000, Perm::kRead, 0, {}},
    {"write_only", 0x20'0000, 0x8000, false, 0x1000, Perm::kWrite, 0, {}},
};

// A refused map: the kernel's errno raw, the library's error, the tracker's error for the
// same request, and both sides unchanged. Where the errno is unambiguous (EEXIST) the library
// turns a kernel refusal into the tracker's error too.
void RefusedMap(Expect& expect, const Environment& env, Mapped& m, const MapCase& c, Hva hva) {
  const int rc = RawMap(*env.backend, m.container().fd(), c.iova, hva.value(), c.size,
                        static_cast<std::uint32_t>(c.perm));
  expect.Eq("raw MAP_DMA", Rc{-c.err}, Rc{rc});
  const std::error_code error = make_error_code(c.error);
  expect.Fails("MapDma", error, m.container().MapDma(Iova(c.iova), hva, c.size, c.perm));
  expect.Fails("tracker CheckMap", error,
               m.container().tracker().CheckMap(Iova(c.iova), hva, c.size, c.perm));
  if (c.err == EEXIST) {
    expect.Eq("FromErrno(map_dma, EEXIST)", error, FromErrno(VfioError::kMapDma, EEXIST));
  }
  ExpectABStillMapped(expect, env, m);
}

// An accepted map goes through the library; the kernel then holds it (EEXIST on a raw
// repeat) and it unmaps again with its exact size.
void AcceptedMap(Expect& expect, const Environment& env, Mapped& m, const MapCase& c, Hva hva) {
  if (!expect.Ok("MapDma", m.container().MapDma(Iova(c.iova), hva, c.size, c.perm))) return;
  expect.Eq("tracker count", std::size_t{3}, m.container().tracker().count());
  expect.Eq("raw MAP_DMA of the same range", Rc{-EEXIST},
            Rc{RawMap(*env.backend, m.container().fd(), c.iova, hva.value(), c.size,
                      static_cast<std::uint32_t>(c.perm))});
  auto removed = expect.Ok("UnmapDma", m.container().UnmapDma(Iova(c.iova), c.size));
  if (removed) expect.Eq("bytes unmapped", c.size, *removed);
  ExpectABStillMapped(expect, env, m);
}

Outcome MapCaseCheck(const Environment& env, const MapCase& c) {
  Expect expect;
  auto mapped = expect.Ok("mapping A and B", MapAB(env));
  if (!mapped) return expect.outcome();
  const Hva hva = c.wrapping_hva ? Hva(kWrappingHva)
                                 : Hva(mapped->memory.hva().value() + c.hva_offset);
  if (c.err != 0) {
    RefusedMap(expect, env, *mapped, c, hva);
  } else {
    AcceptedMap(expect, env, *mapped, c, hva);
  }
  return expect.outcome();
}

struct UnmapCase {
  const char* name;
  std::uint64_t iova;
  std::uint64_t size;
  int err;               // the kernel's errno, 0 on success
  DmaError error;        // the tracker's error when err != 0
  std::uint64_t bytes;   // what a successful unmap removes
};

constexpr UnmapCase kUnmapCases[] = {
    {"bisect_start", 0x10'1000, 0x1000, EINVAL, DmaError::kPartialUnmap, 0},
    {"bisect_end", kIovaA, 0x1000, EINVAL, DmaError::kPartialUnmap, 0},
    {"bisect_next", 0x10'2000, 0x3000, EINVAL, DmaError::kPartialUnmap, 0},
    {"unaligned_iova", 0x10'0800, 0x1000, EINVAL, DmaError::kUnaligned, 0},
    {"unaligned_size", kIovaA, 0x1800, EINVAL, DmaError::kUnaligned, 0},
    {"zero_size", kIovaA, 0, EINVAL, DmaError::kZeroSize, 0},
    {"wrap", 0xffff'ffff'ffff'f000, 0x2000, EINVAL, DmaError::kIovaOverflow, 0},
    {"nothing_there", 0x20'0000, 0x1000, 0, {}, 0},
    {"gap_between", 0x10'2000, 0x2000, 0, {}, 0},
    {"exact", kIovaA, kSizeAB, 0, {}, kSizeAB},
    {"covering_both", 0, 0x20'0000, 0, {}, 2 * kSizeAB},
};

Outcome UnmapCaseCheck(const Environment& env, const UnmapCase& c) {
  Expect expect;
  auto mapped = expect.Ok("mapping A and B", MapAB(env));
  if (!mapped) return expect.outcome();
  Container& container = mapped->container();
  std::uint64_t unmapped = 0;
  if (c.err != 0) {
    const int rc = RawUnmap(*env.backend, container.fd(), c.iova, c.size, 0, &unmapped);
    expect.Eq("raw UNMAP_DMA", Rc{-c.err}, Rc{rc});
    expect.Fails("UnmapDma", make_error_code(c.error), container.UnmapDma(Iova(c.iova), c.size));
    ExpectABStillMapped(expect, env, *mapped);
    return expect.outcome();
  }
  auto removed = expect.Ok("UnmapDma", container.UnmapDma(Iova(c.iova), c.size));
  if (removed) expect.Eq("bytes unmapped", c.bytes, *removed);
  const std::size_t left = c.bytes / kSizeAB;
  expect.Eq("tracker count", std::size_t{2} - left, container.tracker().count());
  // The kernel agrees: nothing is left in the range, and an unmap of nothing is size 0.
  const int rc = RawUnmap(*env.backend, container.fd(), c.iova, c.size, 0, &unmapped);
  expect.Eq("raw UNMAP_DMA of the same range", Rc{0}, Rc{rc});
  expect.Eq("raw bytes unmapped", std::uint64_t{0}, unmapped);
  return expect.outcome();
}

// Map, unmap and map again the same range; UNMAP_ALL empties both sides.
Outcome MapUnmapInStep(const Environment& env) {
  Expect expect;
  auto mapped = expect.Ok("mapping A and B", MapAB(env));
  if (!mapped) return expect.outcome();
  Container& container = mapped->container();
  const Hva hva = mapped->memory.hva();
  auto removed = expect.Ok("UnmapDma(A)", container.UnmapDma(Iova(kIovaA), kSizeAB));
  if (removed) expect.Eq("bytes unmapped", kSizeAB, *removed);
  expect.Ok("MapDma(A) again", container.MapDma(Iova(kIovaA), hva, kSizeAB, Perm::kReadWrite));
  ExpectABStillMapped(expect, env, *mapped);
  auto all = expect.Ok("UnmapAllDma", container.UnmapAllDma());
  if (all) expect.Eq("bytes unmapped by UNMAP_ALL", 2 * kSizeAB, *all);
  expect.Eq("tracker count after UNMAP_ALL", std::size_t{0}, container.tracker().count());
  std::uint64_t unmapped = 1;
  expect.Eq("raw UNMAP_ALL of nothing", Rc{0},
            Rc{RawUnmap(*env.backend, container.fd(), 0, 0, VFIO_DMA_UNMAP_FLAG_ALL, &unmapped)});
  expect.Eq("raw bytes unmapped", std::uint64_t{0}, unmapped);
  return expect.outcome();
}

}  // namespace

std::vector<Check> DmaChecks() {
  std::vector<Check> checks = {{"dma.map_unmap_in_step", MapUnmapInStep}};
  for (const MapCase& c : kMapCases) {
    checks.push_back({std::string("dma.map.") + c.name,
                      [&c](const Environment& e) { return MapCaseCheck(e, c); }});
  }
  for (const UnmapCase& c : kUnmapCases) {
    checks.push_back({std::string("dma.unmap.") + c.name,
                      [&c](const Environment& e) { return UnmapCaseCheck(e, c); }});
  }
  checks.push_back({"edu.dma_round_trip", EduDmaRoundTrip});
  return checks;
}

}  // namespace vfio::vm::internal
