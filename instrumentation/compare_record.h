// One entry of the per-execution compare log, shared by the hooks and the read-side API.
// <cstdint> only: the hooks include it and must not pull in the C++ library.
#pragma once

#include <cstdint>

namespace kt::coverage {

// Which instrumented instruction produced a record.
enum class CompareKind : std::uint8_t {
  kCmp = 1,   // an integer comparison of two variables (trace-cmp)
  kConstCmp,  // an integer comparison with a compile-time constant (trace-cmp)
  kSwitch,    // a switch statement (trace-cmp)
  kDiv,       // the divisor of an integer division (trace-div)
  kGep,       // a variable array index (trace-gep)
};

// Operands arrive zero-extended to 64 bits from `width` bytes: a 32-bit -1 reads 0xffffffff.
// Trivially copyable and fixed-size, so a hook writes one without allocating.
struct CompareRecord {
  // The hook's return address: identifies the instrumented site within one process.
  std::uintptr_t pc;
  // kCmp: the left operand. kConstCmp: the constant (clang passes it first whichever side it
  // was written on). kSwitch: the switched value. kDiv: the divisor. kGep: the index,
  // sign-extended to 64 bits by clang first.
  std::uint64_t arg1;
  // kCmp/kConstCmp: the other operand. kDiv/kGep: 0, the value libFuzzer compares them with.
  // kSwitch: 0.
  std::uint64_t arg2;
  // kSwitch only: clang's constant {number of cases, value width in bits, sorted cases...},
  // owned by the instrumented module; read it through SwitchCases(). Null otherwise.
  const std::uint64_t* switch_table;
  // Operand width in bytes: 1, 2, 4 or 8.
  std::uint8_t width;
  CompareKind kind;
};

}  // namespace kt::coverage
