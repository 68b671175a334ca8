// The benchmark's error category.
#include "permuter/bench/bench_error.h"

namespace kt::permuter::bench {

const char* ToString(BenchError e) noexcept {
  switch (e) {
    case BenchError::kSpawn: return "spawn";
    case BenchError::kSilent: return "silent";
    case BenchError::kFuzzerFailed: return "fuzzer_failed";
    case BenchError::kUsage: return "usage";
  }
  return "unknown";
}

const std::error_category& BenchCategory() noexcept {
  static const kt::internal::EnumCategory<BenchError> category("kt.bench");
  return category;
}

std::error_code make_error_code(BenchError e) noexcept {
  return {static_cast<int>(e), BenchCategory()};
}

}  // namespace kt::permuter::bench
