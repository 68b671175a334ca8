// The annotations a kernel author writes on parameters and enums, read by the ast_seeder.
// Standard C++ only: under a compiler other than Clang they expand to nothing, so the replay
// builds anywhere.
#pragma once

#if defined(__clang__)
#define KT_INTERNAL_ANNOTATE(...) [[clang::annotate(__VA_ARGS__)]]
#else
#define KT_INTERNAL_ANNOTATE(...)
#endif

// On an integer parameter: the inclusive bounds of its domain, lo <= hi.
//   kt::result<void> Map(KT_RANGE(0, 0xffff'f000) std::uint64_t iova);
#define KT_RANGE(lo, hi) KT_INTERNAL_ANNOTATE("kt.range", lo, hi)

// On an enum: its enumerators are bit flags that combine with operator|.
//   enum class KT_FLAGS OpenFlag : unsigned { kNone = 0, kCreate = 1, kTrunc = 2 };
#define KT_FLAGS KT_INTERNAL_ANNOTATE("kt.flags")

// On a string or byte-span parameter: the largest length generation tries.
#define KT_BYTES(max_len) KT_INTERNAL_ANNOTATE("kt.bytes", max_len)

// On the registration variable that KT_KERNEL (runner/kernel.h) defines after a kernel
// function: marks the kernel for the seeder, which follows the initializer's reference to
// the function. Not for direct use.
#define KT_INTERNAL_KERNEL_ANNOTATION(name) KT_INTERNAL_ANNOTATE("kt.kernel", name)
