// The SanitizerCoverage callbacks clang emits calls to, declared once with the signatures of
// LLVM's SanitizerCoverage pass (clang.llvm.org/docs/SanitizerCoverage.html). The runtime
// defines them; tests call them directly. <cstdint> only.
#pragma once

#include <cstdint>

extern "C" {

// trace-pc-guard: one guard per instrumented block, [start, stop) per module.
void __sanitizer_cov_trace_pc_guard_init(std::uint32_t* start, std::uint32_t* stop);
void __sanitizer_cov_trace_pc_guard(std::uint32_t* guard);

// pc-table: {PC, PCFlags} pairs parallel to the module's guards; PCFlags bit 0 = function entry.
void __sanitizer_cov_pcs_init(const std::uintptr_t* pcs_beg, const std::uintptr_t* pcs_end);

// control-flow: rows of {block PC, successor PCs..., 0, callee PCs (-1 = indirect)..., 0}.
void __sanitizer_cov_cfs_init(const std::uintptr_t* cfs_beg, const std::uintptr_t* cfs_end);

// inline-8bit-counters / inline-bool-flag: modes this runtime does not read; it only notes them.
void __sanitizer_cov_8bit_counters_init(char* start, char* end);
void __sanitizer_cov_bool_flag_init(bool* start, bool* end);

// trace-cmp: both operands; in the const variants the first is the compile-time constant.
void __sanitizer_cov_trace_cmp1(std::uint8_t arg1, std::uint8_t arg2);
void __sanitizer_cov_trace_cmp2(std::uint16_t arg1, std::uint16_t arg2);
void __sanitizer_cov_trace_cmp4(std::uint32_t arg1, std::uint32_t arg2);
void __sanitizer_cov_trace_cmp8(std::uint64_t arg1, std::uint64_t arg2);
void __sanitizer_cov_trace_const_cmp1(std::uint8_t arg1, std::uint8_t arg2);
void __sanitizer_cov_trace_const_cmp2(std::uint16_t arg1, std::uint16_t arg2);
void __sanitizer_cov_trace_const_cmp4(std::uint32_t arg1, std::uint32_t arg2);
void __sanitizer_cov_trace_const_cmp8(std::uint64_t arg1, std::uint64_t arg2);

// trace-cmp on a switch: cases = {number of cases, width of val in bits, sorted cases...}.
void __sanitizer_cov_trace_switch(std::uint64_t val, std::uint64_t* cases);

// trace-div: the divisor of a 32- or 64-bit division by a non-constant.
void __sanitizer_cov_trace_div4(std::uint32_t val);
void __sanitizer_cov_trace_div8(std::uint64_t val);

// trace-gep: each non-constant array index, sign-extended to pointer width.
void __sanitizer_cov_trace_gep(std::uintptr_t idx);

}  // extern "C"
