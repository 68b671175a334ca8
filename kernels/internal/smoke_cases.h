// Hand-picked call sets of every VFIO kernel for kernels_smoke_test, as constexpr data: the
// arguments and, where the case pins it, the exact outcome. Depends on <cstdint>, <span> and
// <type_traits> only; never on the runner, so the table stays plain data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>

namespace vfio_kernels::internal {

// One argument of a call set.
struct Arg {
  enum class Kind : std::uint8_t { kNone, kUnsigned, kNegative, kEnum, kBool };
  Kind kind = Kind::kNone;
  std::uint64_t bits = 0;  // the value; the magnitude for kNegative
};

// Integers, strong integers (vfio::Iova), enums and bools.
constexpr Arg U(std::uint64_t v) { return {Arg::Kind::kUnsigned, v}; }
constexpr Arg I(std::int64_t v) {
  return v < 0 ? Arg{Arg::Kind::kNegative, 0 - static_cast<std::uint64_t>(v)}
               : U(static_cast<std::uint64_t>(v));
}
template <class E>
requires std::is_enum_v<E>
constexpr Arg En(E e) {
  return {Arg::Kind::kEnum, static_cast<std::uint64_t>(static_cast<std::underlying_type_t<E>>(e))};
}
constexpr Arg B(bool b) { return {Arg::Kind::kBool, b ? 1u : 0u}; }

inline constexpr std::size_t kMaxArgs = 6;

struct SmokeCase {
  const char* kernel;
  Arg args[kMaxArgs];              // kNone after the last argument
  const char* expected = nullptr;  // the exact outcome text; nullptr: any value or error
};

// The cases, by area: address, PCI and DMA kernels; allocator and MSI-X kernels; config
// space, cross-module and edge kernels.
std::span<const SmokeCase> CoreSmokeCases();
std::span<const SmokeCase> AllocatorMsixSmokeCases();
std::span<const SmokeCase> ConfigCrossEdgeSmokeCases();

}  // namespace vfio_kernels::internal
