// SanitizerCoverage callbacks: every entry point that code built by kt_instrument() calls
// (trace-pc-guard, pc-table, control-flow, trace-cmp, trace-div, trace-gep), plus the init
// hooks of two modes it notes but does not read. Linked into instrumented binaries, never
// instrumented itself; compiler builtins only. No hook allocates, locks or aborts.
// https://clang.llvm.org/docs/SanitizerCoverage.html
#include <cstdint>

#include "instrumentation/internal/state.h"
#include "instrumentation/platform.h"
#include "instrumentation/sancov_interface.h"

namespace kt::coverage::internal {

// The execution window every tracing hook checks first. It is defined here, not with the rest
// of the state, because BeginExecution() writes it: a binary that opens a window therefore
// always links this object. Without that reference an -fsanitize=address link would keep the
// ASan runtime's weak hook definitions (linked whole, ahead of user objects) and never pull
// these strong ones out of the static library.
constinit bool g_window_open = false;

}  // namespace kt::coverage::internal

namespace {

using kt::coverage::CompareKind;
namespace internal = kt::coverage::internal;

}  // namespace

extern "C" {

// Called by each instrumented module's constructor, at least once per module and possibly
// again with the same range. Runs whether or not a window is open.
KT_INTERFACE KT_NO_SANITIZE void __sanitizer_cov_trace_pc_guard_init(std::uint32_t* start,
                                                                     std::uint32_t* stop) {
  internal::RegisterGuards(start, stop);
}

// Called by the same constructor right after the guard init (pc-table); may repeat likewise.
KT_INTERFACE KT_NO_SANITIZE void __sanitizer_cov_pcs_init(const std::uintptr_t* pcs_beg,
                                                          const std::uintptr_t* pcs_end) {
  internal::RegisterPcTable(pcs_beg, pcs_end);
}

// Called by the same constructor after the pc-table init (control-flow); may repeat likewise.
KT_INTERFACE KT_NO_SANITIZE void __sanitizer_cov_cfs_init(const std::uintptr_t* cfs_beg,
                                                          const std::uintptr_t* cfs_end) {
  internal::RegisterControlFlow(cfs_beg, cfs_end);
}

// Called by the constructor of a module built with inline-8bit-counters or inline-bool-flag.
// Those counters live in the module, out of this runtime's sight: the module links, and
// Stats() says edges are missing. Strong, unlike the other unused callbacks, so that the
// ASan runtime's weak no-op cannot hide the warning.
KT_INTERFACE KT_NO_SANITIZE void __sanitizer_cov_8bit_counters_init(char* start, char* end) {
  if (start != end) internal::NoteUnsupportedInstrumentation();
}

KT_INTERFACE KT_NO_SANITIZE void __sanitizer_cov_bool_flag_init(bool* start, bool* end) {
  if (start != end) internal::NoteUnsupportedInstrumentation();
}

// Called at the start of every instrumented block (edge, after critical-edge splitting).
KT_INTERFACE KT_NO_SANITIZE void __sanitizer_cov_trace_pc_guard(std::uint32_t* guard) {
  if (!internal::WindowOpen()) return;
  internal::OnEdge(*guard);
}

// Called before every integer comparison of two non-constant 1-, 2-, 4- or 8-byte operands.
KT_INTERFACE KT_NO_SANITIZE void __sanitizer_cov_trace_cmp1(std::uint8_t arg1,
                                                            std::uint8_t arg2) {
  if (!internal::WindowOpen()) return;
  internal::OnCompare(CompareKind::kCmp, 1, KT_CALLER_PC(), arg1, arg2, nullptr);
}

KT_INTERFACE KT_NO_SANITIZE void __sanitizer_cov_trace_cmp2(std::uint16_t arg1,
                                                            std::uint16_t arg2) {
  if (!internal::WindowOpen()) return;
  internal::OnCompare(CompareKind::kCmp, 2, KT_CALLER_PC(), arg1, arg2, nullptr);
}

KT_INTERFACE KT_NO_SANITIZE void __sanitizer_cov_trace_cmp4(std::uint32_t arg1,
                                                            std::uint32_t arg2) {
  if (!internal::WindowOpen()) return;
  internal::OnCompare(CompareKind::kCmp, 4, KT_CALLER_PC(), arg1, arg2, nullptr);
}

KT_INTERFACE KT_NO_SANITIZE void __sanitizer_cov_trace_cmp8(std::uint64_t arg1,
                                                            std::uint64_t arg2) {
  if (!internal::WindowOpen()) return;
  internal::OnCompare(CompareKind::kCmp, 8, KT_CALLER_PC(), arg1, arg2, nullptr);
}

// Called before every integer comparison with one compile-time constant; arg1 is the constant.
KT_INTERFACE KT_NO_SANITIZE void __sanitizer_cov_trace_const_cmp1(std::uint8_t arg1,
                                                                  std::uint8_t arg2) {
  if (!internal::WindowOpen()) return;
  internal::OnCompare(CompareKind::kConstCmp, 1, KT_CALLER_PC(), arg1, arg2, nullptr);
}

KT_INTERFACE KT_NO_SANITIZE void __sanitizer_cov_trace_const_cmp2(std::uint16_t arg1,
                                                                  std::uint16_t arg2) {
  if (!internal::WindowOpen()) return;
  internal::OnCompare(CompareKind::kConstCmp, 2, KT_CALLER_PC(), arg1, arg2, nullptr);
}

KT_INTERFACE KT_NO_SANITIZE void __sanitizer_cov_trace_const_cmp4(std::uint32_t arg1,
                                                                  std::uint32_t arg2) {
  if (!internal::WindowOpen()) return;
  internal::OnCompare(CompareKind::kConstCmp, 4, KT_CALLER_PC(), arg1, arg2, nullptr);
}

KT_INTERFACE KT_NO_SANITIZE void __sanitizer_cov_trace_const_cmp8(std::uint64_t arg1,
                                                                  std::uint64_t arg2) {
  if (!internal::WindowOpen()) return;
  internal::OnCompare(CompareKind::kConstCmp, 8, KT_CALLER_PC(), arg1, arg2, nullptr);
}

// Called before every switch on an integer of at most 64 bits. `cases` is a constant of the
// instrumented module, so the record keeps the pointer instead of copying the cases.
KT_INTERFACE KT_NO_SANITIZE void __sanitizer_cov_trace_switch(std::uint64_t val,
                                                              std::uint64_t* cases) {
  if (!internal::WindowOpen()) return;
  const auto width = static_cast<std::uint8_t>((cases[1] + 7) / 8);
  internal::OnCompare(CompareKind::kSwitch, width, KT_CALLER_PC(), val, 0, cases);
}

// Called before every 32- or 64-bit integer division by a non-constant, with the divisor.
KT_INTERFACE KT_NO_SANITIZE void __sanitizer_cov_trace_div4(std::uint32_t val) {
  if (!internal::WindowOpen()) return;
  internal::OnCompare(CompareKind::kDiv, 4, KT_CALLER_PC(), val, 0, nullptr);
}

KT_INTERFACE KT_NO_SANITIZE void __sanitizer_cov_trace_div8(std::uint64_t val) {
  if (!internal::WindowOpen()) return;
  internal::OnCompare(CompareKind::kDiv, 8, KT_CALLER_PC(), val, 0, nullptr);
}

// Called before every address computation, once per non-constant index.
KT_INTERFACE KT_NO_SANITIZE void __sanitizer_cov_trace_gep(std::uintptr_t idx) {
  if (!internal::WindowOpen()) return;
  internal::OnCompare(CompareKind::kGep, sizeof(std::uintptr_t), KT_CALLER_PC(), idx, 0,
                      nullptr);
}

}  // extern "C"
