// Test fixtures: kernels written in C++ against a FakeTrace that records what SanitizerCoverage
// would (a block's edge as it runs, a compare's operands before its branch, switch cases,
// divisors, array indices), and an Executor that runs them in-process. The permuter's search
// tests use them instead of instrumented code. runner/ values and outcomes and permuter/
// only; never the coverage runtime.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <vector>

#include "permuter/executor.h"
#include "runner/schema.h"

namespace kt::permuter::internal {

// What one fake execution recorded. Thread-compatible; one per execution.
class FakeTrace {
 public:
  // `site_base` is added to every site, as a load address is to a PC: tests vary it to show
  // that nothing depends on where code was loaded.
  explicit FakeTrace(std::uint64_t site_base = 0) : site_base_(site_base) {}

  // A block ran.
  void Edge(std::uint32_t edge) { edges_.push_back(edge); }
  // `constant OP variable` is about to be compared (trace-const-cmp: constant first).
  void ConstCmp(std::uint64_t site, int width, std::uint64_t constant, std::uint64_t variable);
  void Switch(std::uint64_t site, int width, std::uint64_t value,
              std::initializer_list<std::uint64_t> cases);
  void Div(std::uint64_t site, int width, std::uint64_t divisor);
  void Gep(std::uint64_t site, std::int64_t index);

  Execution Take(Outcome outcome);

 private:
  void Log(CompareEvent e);

  std::uint64_t site_base_;
  std::vector<std::uint32_t> edges_;
  std::vector<CompareEvent> log_;
};

using FakeKernelFn = Outcome (*)(std::span<const Value> args, FakeTrace& trace);

// A fake kernel: its parameters, its body, and every edge its body can reach.
struct FakeKernel {
  std::string name;
  std::vector<ColumnSchema> columns;
  FakeKernelFn fn = nullptr;
  std::vector<std::uint32_t> all_edges;  // ascending
};

// Runs a FakeKernel in-process. Thread-compatible.
class FakeExecutor final : public Executor {
 public:
  explicit FakeExecutor(const FakeKernel& kernel, std::uint64_t site_base = 0)
      : kernel_(kernel), site_base_(site_base) {}
  Expected<Execution> Run(std::span<const Value> call_set) override;
  std::uint64_t runs() const { return runs_; }

 private:
  const FakeKernel& kernel_;
  std::uint64_t site_base_;
  std::uint64_t runs_ = 0;
};

Outcome Ok(std::string value);
Outcome Err(std::string name);  // error(fake:<name>)

// Column builders.
ColumnSchema IntColumn(std::string name, int bits, bool is_signed);
ColumnSchema RangeColumn(std::string name, int bits, bool is_signed, Integer lo, Integer hi);
ColumnSchema EnumColumn(std::string name, std::vector<Enumerator> enumerators);
ColumnSchema FlagsColumn(std::string name, std::vector<Enumerator> enumerators);

// The hard branches of the permuter contract's tests, one kernel each.
const FakeKernel& Magic32Kernel();      // x == 0xdeadbeef (u32)
const FakeKernel& Magic64Kernel();      // x == 0x0123456789abcdef (u64)
const FakeKernel& LinearKernel();       // 3 * x + 7 == 1234567 (u32, computed operand)
const FakeKernel& NarrowRangeKernel();  // x > 1000000 && x < 1000010 (i64)
const FakeKernel& EnumFlagsKernel();    // mode == kAppend && flags has 3 given of 5 flags
const FakeKernel& SwitchKernel();       // switch (x) { case -5, 17, 42, 1000 } (i32)
const FakeKernel& DivideKernel();       // d == 0 guarded; 10000 / d == 7 (u32, computed)
const FakeKernel& ArrayIndexKernel();   // kLut[i] == 42 for i in [0, 8) (i32)
// a == 77777 anywhere; only when mode == kAppend: b <= lo, lo < b < lo + 4, or above. `lo`
// is 5000 in variant 0 and 6000 in variant 1: the "one changed branch" of the stability
// test, which rows with another mode never reach.
const FakeKernel& NestedWindowKernel(int variant);
// Findings: KT_CHECK(x <= 1000) fails above 1000; an exception quoting x above 70000.
const FakeKernel& CheckAbove1000Kernel();
const FakeKernel& ThrowsAbove70000Kernel();

}  // namespace kt::permuter::internal
