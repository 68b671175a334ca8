// Seeder test input: KT_RANGE and KT_BYTES misuse. Each parameter is one error.
#include <cstdint>
#include <string_view>

#include "ast_seeder/testdata/kt_testing.h"

namespace diag {

enum class Color { kRed, kBlue };

void Ranges(KT_RANGE(10, 5) int inverted, KT_RANGE(0, 300) std::uint8_t too_wide,
            KT_RANGE(-1, 10) std::uint64_t negative, KT_RANGE(0, 1) Color color,
            KT_RANGE(0.5, 2) int fractional, KT_BYTES(8) int not_bytes,
            KT_BYTES(1 << 30) std::string_view too_long,
            KT_BYTES(-1) std::string_view negative_len) {}
KT_KERNEL("diag.ranges", Ranges);

}  // namespace diag
