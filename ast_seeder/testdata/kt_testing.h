// A stand-in for runner/kernel.h's KT_KERNEL, so the seeder's test inputs do not follow the
// runner while it changes: the same shape (an annotated namespace-scope variable holding the
// kernel's name and address), nothing else. Standard C++ and runner/annotations.h only.
#pragma once

#include "runner/annotations.h"

namespace kt_testing {

template <class Fn>
struct Registration {
  const char* name;
  Fn* function;
};

template <class Fn>
constexpr Registration<Fn> Register(const char* name, Fn* function) {
  return {name, function};
}

}  // namespace kt_testing

#define KT_TESTING_CONCAT_INNER(a, b) a##b
#define KT_TESTING_CONCAT(a, b) KT_TESTING_CONCAT_INNER(a, b)

// After the kernel function: KT_KERNEL("suite.kernel", Function);
#define KT_KERNEL(name, function)                                                       \
  KT_INTERNAL_KERNEL_ANNOTATION(name)                                                   \
  [[maybe_unused]] static const auto KT_TESTING_CONCAT(kt_kernel_registration_, __LINE__) = \
      ::kt_testing::Register(name, &function)
