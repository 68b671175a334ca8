// One compare an execution recorded, as the permuter sees it: a plain copy of the coverage
// runtime's CompareRecord (instrumentation/compare_record.h) with the switch cases owned, so
// a record outlives the execution window and fake executors can build one. The standard
// library only; never the runtime itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace kt::permuter {

// Mirrors kt::coverage::CompareKind.
enum class CompareKind : std::uint8_t {
  kCmp = 1,   // two variables
  kConstCmp,  // a variable and a compile-time constant
  kSwitch,    // a switch on a value
  kDiv,       // an integer division's divisor
  kGep,       // a variable array index
};

struct CompareEvent {
  // Identifies the instrumented instruction: its PC in the worker. Compared for equality
  // only, never ordered, so address-space randomisation cannot reorder anything.
  std::uint64_t site = 0;
  CompareKind kind = CompareKind::kCmp;
  std::uint8_t width = 8;  // operand bytes: 1, 2, 4 or 8
  // Zero-extended from `width` bytes. kCmp: the operands. kConstCmp: the constant, then the
  // variable. kSwitch: the value, 0. kDiv: the divisor, 0. kGep: the index (sign-extended to
  // 64 bits by clang), 0.
  std::uint64_t arg1 = 0;
  std::uint64_t arg2 = 0;
  std::vector<std::uint64_t> cases;  // kSwitch: the case constants, ascending

  friend bool operator==(const CompareEvent&, const CompareEvent&) = default;
};

// How a compare came out, as a small code that differs exactly when the instruction could
// have sent control elsewhere. kCmp/kConstCmp: the order of arg1 and arg2 read unsigned and
// read signed at `width` (3 x 3 codes). kSwitch: which case the value equals, or which gap
// between cases it falls in. kDiv/kGep: the operand zero, positive or negative.
std::uint32_t CompareOutcome(const CompareEvent& event) noexcept;

// The outcomes one instruction has shown over many executions. Complete() once it has gone
// every way that can change control flow: below, equal and above (in the unsigned or in
// the signed reading) for compares; every case and some non-case for a switch; zero and
// non-zero for div and gep. The permuter stops steering towards a complete instruction.
// Thread-compatible; a value type.
class OutcomeSet {
 public:
  void Add(const CompareEvent& event);
  bool Complete() const noexcept;
  bool Contains(std::uint32_t code) const noexcept;

 private:
  CompareKind kind_ = CompareKind::kCmp;
  std::size_t num_cases_ = 0;
  std::vector<std::uint32_t> codes_;  // sorted, unique
};

}  // namespace kt::permuter
