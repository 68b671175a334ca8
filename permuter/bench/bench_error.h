// The benchmark's one error enum and its category ("kt.bench"). runner/error.h only.
#pragma once

#include <system_error>
#include <type_traits>

#include "runner/error.h"

namespace kt::permuter::bench {

enum class BenchError {
  kSpawn = 1,     // pipe() or posix_spawn() failed
  kSilent,        // the fuzzer printed nothing for FuzzRunOptions::silence
  kFuzzerFailed,  // it exited non-zero, died, or never announced its coverage map
  kUsage,         // the benchmark's command line
};
const char* ToString(BenchError e) noexcept;
const std::error_category& BenchCategory() noexcept;
std::error_code make_error_code(BenchError e) noexcept;

}  // namespace kt::permuter::bench

template <>
struct std::is_error_code_enum<kt::permuter::bench::BenchError> : std::true_type {};
