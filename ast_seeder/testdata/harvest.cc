// Seeder test input: every constant use in a kernel, a same-TU helper, and a call chain
// kernel -> Deep1 -> Deep2 (harvest_helper.cc) -> Deep3 -> Deep4 (harvest_far.cc) whose
// markers 1001..1004 show how far the depth limit lets harvesting go.
#include <cstdint>

#include "ast_seeder/testdata/harvest_helper.h"
#include "ast_seeder/testdata/kt_testing.h"

namespace harvest {

constexpr std::uint64_t kPageSize = 4096;
enum class Mode : std::uint8_t { kRead = 1, kWrite = 2, kExec = 4 };

static int Local(int x) {
  if (x > 70) return 71;
  return x % 7;
}

static int Emit(Mode m) { return static_cast<int>(m); }

int Harvest(KT_RANGE(0, 100) int n, std::uint64_t size, Mode mode, std::uint32_t flags) {
  if (n == 42) return 1;
  if (size < kPageSize) return 2;
  if ((size & (kPageSize - 1)) != 0) return 3;
  switch (mode) {
    case Mode::kRead:
      return 4;
    case Mode::kWrite:
      break;
    default:
      break;
  }
  flags |= 0x80u;
  const std::uint64_t pages = size >> 12;
  if (pages >= UINT64_MAX - 1) return -1;
  return Local(n) + Deep1(static_cast<int>(pages)) + Emit(Mode::kExec) + static_cast<int>(flags);
}
KT_KERNEL("harvest.main", Harvest);

}  // namespace harvest
