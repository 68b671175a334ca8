// Test kernels with known hard branches, compiled with kt_instrument() at -O0 so each
// compare, switch, division and array index reaches the coverage runtime as written. The
// end-to-end tests register them and generate their tables through a forked worker. They
// include runner/kernel.h for KT_CHECK only; nothing else of the runner is instrumented.
#pragma once

#include <cstdint>

namespace kt::permuter::hard {

enum class Mode : std::uint8_t { kRead, kWrite, kAppend };
enum class Flags : std::uint32_t { kSync = 1, kDirect = 2, kAtomic = 4, kTemp = 8, kLarge = 16 };

int Magic32(std::uint32_t x);           // x == 0xdeadbeef
int Magic64(std::uint64_t x);           // x == 0x0123456789abcdef
int Linear(std::uint32_t x);            // 3 * x + 7 == 1234567
int NarrowRange(std::int64_t x);        // x > 1000000 && x < 1000010
int EnumFlags(Mode mode, Flags flags);  // kAppend with kSync | kAtomic | kTemp, not kLarge
int Switch(std::int32_t x);             // case -5, 17, 42, 1000, default
int Divide(std::uint32_t d);            // d == 0 guarded; 10000 / d == 7
int ArrayIndex(std::int32_t i);         // kLut[i] == 42, i bounds-checked

// Findings.
int CheckAbove1000(std::uint32_t x);  // KT_CHECK(x <= 1000)
int CrashOnMagic(std::uint32_t x);    // writes through null when x == 0xabad1dea
int HangOnMagic(std::uint32_t x);     // spins forever when x == 0x5ca1ab1e

}  // namespace kt::permuter::hard
