// Fake kernels for the search tests. Each body reports an edge per block it runs and a
// compare record before each branch, in the order and shape clang's hooks would.
#include "permuter/internal/fake_kernels.h"

#include <algorithm>
#include <system_error>
#include <utility>

namespace kt::permuter::internal {
namespace {

std::uint64_t U(std::span<const Value> args, std::size_t i) { return args[i].as_integer().bits(); }
std::int64_t S(std::span<const Value> args, std::size_t i) {
  return static_cast<std::int64_t>(args[i].as_integer().bits());
}

FakeKernel Make(std::string name, std::vector<ColumnSchema> columns, FakeKernelFn fn,
                std::uint32_t num_edges) {
  FakeKernel k{std::move(name), std::move(columns), fn, {}};
  for (std::uint32_t e = 0; e < num_edges; ++e) k.all_edges.push_back(e);
  return k;
}

Outcome Magic32(std::span<const Value> args, FakeTrace& t) {
  const auto x = static_cast<std::uint32_t>(U(args, 0));
  t.Edge(0);
  t.ConstCmp(1, 4, 0xdeadbeef, x);
  if (x == 0xdeadbeef) {
    t.Edge(1);
    return Ok("magic");
  }
  t.Edge(2);
  return Ok("plain");
}

Outcome Magic64(std::span<const Value> args, FakeTrace& t) {
  const std::uint64_t x = U(args, 0);
  t.Edge(0);
  t.ConstCmp(1, 8, 0x0123456789abcdef, x);
  if (x == 0x0123456789abcdef) {
    t.Edge(1);
    return Ok("magic");
  }
  t.Edge(2);
  return Ok("plain");
}

Outcome Linear(std::span<const Value> args, FakeTrace& t) {
  const auto x = static_cast<std::uint32_t>(U(args, 0));
  t.Edge(0);
  const std::uint32_t y = 3 * x + 7;
  t.ConstCmp(1, 4, 1234567, y);
  if (y == 1234567) {
    t.Edge(1);
    return Ok("hit");
  }
  t.Edge(2);
  return Ok("miss");
}

Outcome NarrowRange(std::span<const Value> args, FakeTrace& t) {
  const std::int64_t x = S(args, 0);
  t.Edge(0);
  t.ConstCmp(1, 8, 1000000, static_cast<std::uint64_t>(x));
  if (x > 1000000) {
    t.Edge(1);
    t.ConstCmp(2, 8, 1000010, static_cast<std::uint64_t>(x));
    if (x < 1000010) {
      t.Edge(2);
      return Ok("inside");
    }
    t.Edge(3);
    return Ok("above");
  }
  t.Edge(4);
  return Ok("below");
}

// enum Mode { kRead, kWrite, kAppend };
// flags { kSync = 1, kDirect = 2, kAtomic = 4, kTemp = 8, kLarge = 16 }
Outcome EnumFlags(std::span<const Value> args, FakeTrace& t) {
  const auto mode = static_cast<std::uint32_t>(U(args, 0));
  const auto flags = static_cast<std::uint32_t>(U(args, 1));
  t.Edge(0);
  t.ConstCmp(1, 4, 2, mode);
  if (mode == 2) {
    t.Edge(1);
    // kSync | kAtomic | kTemp without kLarge: three flags, and not all five, so no seed.
    const std::uint32_t wanted = flags & 29;
    t.ConstCmp(2, 4, 13, wanted);
    if (wanted == 13) {
      t.Edge(2);
      return Ok("durable-append");
    }
    t.Edge(3);
    return Ok("append");
  }
  t.Edge(4);
  return Err("not_append");
}

Outcome Switch(std::span<const Value> args, FakeTrace& t) {
  const auto x = static_cast<std::int32_t>(S(args, 0));
  t.Edge(0);
  // clang passes the cases zero-extended to 64 bits and sorted as unsigned.
  t.Switch(1, 4, static_cast<std::uint32_t>(x), {17, 42, 1000, 0xfffffffb});
  switch (x) {
    case -5: t.Edge(1); return Ok("-5");
    case 17: t.Edge(2); return Ok("17");
    case 42: t.Edge(3); return Ok("42");
    case 1000: t.Edge(4); return Ok("1000");
    default: t.Edge(5); return Ok("other");
  }
}

Outcome Divide(std::span<const Value> args, FakeTrace& t) {
  const auto d = static_cast<std::uint32_t>(U(args, 0));
  t.Edge(0);
  t.ConstCmp(1, 4, 0, d);
  if (d == 0) {
    t.Edge(1);
    return Err("zero_divisor");
  }
  t.Edge(2);
  t.Div(2, 4, d);
  const std::uint32_t q = 10000 / d;
  t.ConstCmp(3, 4, 7, q);
  if (q == 7) {
    t.Edge(3);
    return Ok("seven");
  }
  t.Edge(4);
  return Ok("other");
}

Outcome ArrayIndex(std::span<const Value> args, FakeTrace& t) {
  static constexpr std::int32_t kLut[8] = {3, 1, 4, 1, 5, 42, 2, 6};
  const auto i = static_cast<std::int32_t>(S(args, 0));
  t.Edge(0);
  t.ConstCmp(1, 4, 0, static_cast<std::uint32_t>(i));
  if (i < 0) {
    t.Edge(1);
    return Err("negative");
  }
  t.ConstCmp(2, 4, 8, static_cast<std::uint32_t>(i));
  if (i >= 8) {
    t.Edge(2);
    return Err("too_big");
  }
  t.Edge(3);
  t.Gep(3, i);
  const std::int32_t v = kLut[i];
  t.ConstCmp(4, 4, 42, static_cast<std::uint32_t>(v));
  if (v == 42) {
    t.Edge(4);
    return Ok("found");
  }
  t.Edge(5);
  return Ok("missed");
}

template <std::uint32_t kWindowLo>
Outcome NestedWindow(std::span<const Value> args, FakeTrace& t) {
  const auto a = static_cast<std::uint32_t>(U(args, 0));
  const auto b = static_cast<std::uint32_t>(U(args, 1));
  const auto mode = static_cast<std::uint32_t>(U(args, 2));
  t.Edge(0);
  t.ConstCmp(1, 4, 77777, a);
  t.Edge(a == 77777 ? 1 : 2);
  t.ConstCmp(2, 4, 2, mode);
  if (mode != 2) {
    t.Edge(3);
    return Ok("no-append");
  }
  t.Edge(4);
  t.ConstCmp(3, 4, kWindowLo, b);
  if (b <= kWindowLo) {
    t.Edge(5);
    return Err("below");
  }
  t.Edge(6);
  t.ConstCmp(4, 4, kWindowLo + 4, b);
  if (b >= kWindowLo + 4) {
    t.Edge(7);
    return Err("above");
  }
  t.Edge(8);
  return Ok("inside");
}

Outcome CheckAbove1000(std::span<const Value> args, FakeTrace& t) {
  const auto x = static_cast<std::uint32_t>(U(args, 0));
  t.Edge(0);
  t.ConstCmp(1, 4, 1000, x);
  if (x > 1000) return CheckFailedOutcome("x <= 1000", "fake_kernels.cc", 1);
  t.Edge(1);
  return Ok("small");
}

Outcome ThrowsAbove70000(std::span<const Value> args, FakeTrace& t) {
  const auto x = static_cast<std::uint32_t>(U(args, 0));
  t.Edge(0);
  t.ConstCmp(1, 4, 70000, x);
  if (x > 70000) return ExceptionOutcome("std::out_of_range", "x=" + std::to_string(x));
  t.Edge(1);
  return Ok("small");
}

std::vector<Enumerator> ModeEnumerators() {
  return {{"kRead", Integer(0)}, {"kWrite", Integer(1)}, {"kAppend", Integer(2)}};
}

}  // namespace

void FakeTrace::Log(CompareEvent e) {
  e.site += site_base_;
  log_.push_back(std::move(e));
}

void FakeTrace::ConstCmp(std::uint64_t site, int width, std::uint64_t constant,
                         std::uint64_t variable) {
  Log({site, CompareKind::kConstCmp, static_cast<std::uint8_t>(width), constant, variable, {}});
}

void FakeTrace::Switch(std::uint64_t site, int width, std::uint64_t value,
                       std::initializer_list<std::uint64_t> cases) {
  Log({site, CompareKind::kSwitch, static_cast<std::uint8_t>(width), value, 0, cases});
}

void FakeTrace::Div(std::uint64_t site, int width, std::uint64_t divisor) {
  Log({site, CompareKind::kDiv, static_cast<std::uint8_t>(width), divisor, 0, {}});
}

void FakeTrace::Gep(std::uint64_t site, std::int64_t index) {
  Log({site, CompareKind::kGep, 8, static_cast<std::uint64_t>(index), 0, {}});
}

Execution FakeTrace::Take(Outcome outcome) {
  std::sort(edges_.begin(), edges_.end());
  edges_.erase(std::unique(edges_.begin(), edges_.end()), edges_.end());
  return {std::move(edges_), std::move(log_), std::move(outcome)};
}

Expected<Execution> FakeExecutor::Run(std::span<const Value> call_set) {
  if (call_set.size() != kernel_.columns.size()) {
    return Error{std::make_error_code(std::errc::invalid_argument), "wrong arity"};
  }
  for (std::size_t c = 0; c < call_set.size(); ++c) {
    if (auto why = CheckValue(kernel_.columns[c], call_set[c])) {
      return Error{std::make_error_code(std::errc::invalid_argument), *why};
    }
  }
  ++runs_;
  FakeTrace trace(site_base_);
  Outcome outcome = kernel_.fn(call_set, trace);
  return trace.Take(std::move(outcome));
}

Outcome Ok(std::string value) {
  Outcome o;
  o.kind = OutcomeKind::kValue;
  o.text = "ok(" + value + ")";
  return o;
}

Outcome Err(std::string name) {
  Outcome o;
  o.kind = OutcomeKind::kError;
  o.text = "error(fake:" + name + ")";
  return o;
}

ColumnSchema IntColumn(std::string name, int bits, bool is_signed) {
  ColumnSchema c;
  c.name = std::move(name);
  c.kind = ParamKind::kInt;
  c.cpp_type = (is_signed ? "std::int" : "std::uint") + std::to_string(bits) + "_t";
  c.int_type = {bits, is_signed};
  return c;
}

ColumnSchema RangeColumn(std::string name, int bits, bool is_signed, Integer lo, Integer hi) {
  ColumnSchema c = IntColumn(std::move(name), bits, is_signed);
  c.range_lo = lo;
  c.range_hi = hi;
  return c;
}

ColumnSchema EnumColumn(std::string name, std::vector<Enumerator> enumerators) {
  ColumnSchema c;
  c.name = std::move(name);
  c.kind = ParamKind::kEnum;
  c.cpp_type = "Enum";
  c.int_type = {32, false};
  c.enum_name = "Enum";
  c.enumerators = std::move(enumerators);
  return c;
}

ColumnSchema FlagsColumn(std::string name, std::vector<Enumerator> enumerators) {
  ColumnSchema c = EnumColumn(std::move(name), std::move(enumerators));
  c.kind = ParamKind::kFlags;
  return c;
}

const FakeKernel& Magic32Kernel() {
  static const FakeKernel k = Make("magic32", {IntColumn("x", 32, false)}, &Magic32, 3);
  return k;
}
const FakeKernel& Magic64Kernel() {
  static const FakeKernel k = Make("magic64", {IntColumn("x", 64, false)}, &Magic64, 3);
  return k;
}
const FakeKernel& LinearKernel() {
  static const FakeKernel k = Make("linear", {IntColumn("x", 32, false)}, &Linear, 3);
  return k;
}
const FakeKernel& NarrowRangeKernel() {
  static const FakeKernel k = Make("narrow", {IntColumn("x", 64, true)}, &NarrowRange, 5);
  return k;
}
const FakeKernel& EnumFlagsKernel() {
  static const FakeKernel k = [] {
    const std::vector<Enumerator> flags = {{"kSync", Integer(1)},  {"kDirect", Integer(2)},
                                           {"kAtomic", Integer(4)}, {"kTemp", Integer(8)},
                                           {"kLarge", Integer(16)}};
    return Make("enum_flags", {EnumColumn("mode", ModeEnumerators()), FlagsColumn("flags", flags)},
                &EnumFlags, 5);
  }();
  return k;
}
const FakeKernel& SwitchKernel() {
  static const FakeKernel k = Make("switch", {IntColumn("x", 32, true)}, &Switch, 6);
  return k;
}
const FakeKernel& DivideKernel() {
  static const FakeKernel k = Make("divide", {IntColumn("d", 32, false)}, &Divide, 5);
  return k;
}
const FakeKernel& ArrayIndexKernel() {
  static const FakeKernel k = Make("array_index", {IntColumn("i", 32, true)}, &ArrayIndex, 6);
  return k;
}
const FakeKernel& NestedWindowKernel(int variant) {
  static const auto columns = [] {
    return std::vector<ColumnSchema>{IntColumn("a", 32, false), IntColumn("b", 32, false),
                                     EnumColumn("mode", ModeEnumerators())};
  };
  static const FakeKernel k0 = Make("nested_window", columns(), &NestedWindow<5000>, 9);
  static const FakeKernel k1 = Make("nested_window", columns(), &NestedWindow<6000>, 9);
  return variant == 0 ? k0 : k1;
}
const FakeKernel& CheckAbove1000Kernel() {
  static const FakeKernel k = Make("check", {IntColumn("x", 32, false)}, &CheckAbove1000, 2);
  return k;
}
const FakeKernel& ThrowsAbove70000Kernel() {
  static const FakeKernel k = Make("throws", {IntColumn("x", 32, false)}, &ThrowsAbove70000, 2);
  return k;
}

}  // namespace kt::permuter::internal
