// Seeder test input: one kernel per parameter kind, with and without annotations.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <boost/outcome/std_result.hpp>

#include "ast_seeder/testdata/kt_testing.h"

namespace kinds {

enum class Color : std::uint8_t { kRed = 1, kGreen = 2, kBlue = 200 };
enum Plain { kZero, kOne, kMinus = -1 };  // unscoped, no fixed type
enum class Wide : std::int64_t { kLowest = INT64_MIN, kHighest = INT64_MAX };
enum class Huge : std::uint64_t { kTop = UINT64_MAX };

// Flags by annotation: kAll is a composite, allowed because the author says so.
enum class KT_FLAGS Access : unsigned { kNone = 0, kRead = 1, kWrite = 2, kAll = 3 };

// Flags by detection: powers of two and an operator|.
enum class Open : std::uint16_t { kNone = 0, kCreate = 1, kTrunc = 4, kAppend = 0x8000 };
constexpr Open operator|(Open a, Open b) {
  return static_cast<Open>(static_cast<std::uint16_t>(a) | static_cast<std::uint16_t>(b));
}

// Powers of two but no operator|: a plain enum.
enum class Lanes { kOne = 1, kTwo = 2, kFour = 4 };

// operator| but a non-power-of-two enumerator: a plain enum.
enum class Mixed { kA = 1, kB = 3 };
constexpr Mixed operator|(Mixed a, Mixed) { return a; }

// Strong integers (value() and a constructor from an integer): explicit and implicit, with
// extra constructors that do not count.
template <class Tag>
class Addr {
 public:
  constexpr Addr() = default;
  constexpr explicit Addr(std::uint64_t v) : v_(v) {}
  constexpr std::uint64_t value() const { return v_; }

 private:
  std::uint64_t v_ = 0;
};
using Iova = Addr<struct IovaTag>;

struct Port {
  Port(std::int16_t p, bool checked = true) : p(p), checked(checked) {}
  Port(const char* name, int base);
  std::int16_t value() const { return p; }
  std::int16_t p;
  bool checked;
};

int Scalars(bool enabled, signed char sc, unsigned char uc, short s, unsigned short us, int i,
            unsigned u, long l, unsigned long ul, long long ll, unsigned long long ull,
            std::int8_t i8, std::uint32_t u32) {
  return enabled ? sc + uc + s + us + i + static_cast<int>(u + l + ul + ll + ull) + i8 : u32;
}
KT_KERNEL("kinds.scalars", Scalars);

void Ranges(KT_RANGE(-5, 5) int small, KT_RANGE(0, 0xffff'f000) std::uint64_t iova,
            KT_RANGE(1, 1 << 20) std::uint64_t size, KT_RANGE(INT64_MIN, -1) std::int64_t neg,
            KT_RANGE(UINT64_MAX, UINT64_MAX) std::uint64_t top, KT_RANGE(7, 7) const int one) {}
KT_KERNEL("kinds.ranges", Ranges);

void Enums(Color color, Plain plain, Wide wide, Huge huge, const Lanes& lanes, Mixed mixed) {}
KT_KERNEL("kinds.enums", Enums);

void Flags(Access access, Open open) {}
KT_KERNEL("kinds.flags", Flags);

void StrongInts(Iova iova, KT_RANGE(1, 1024) Port port) {}
KT_KERNEL("kinds.strong_ints", StrongInts);

void Bytes(std::string_view name, const std::string& path,
           KT_BYTES(64) std::span<const std::byte> data,
           KT_BYTES(0) std::span<const std::byte> empty) {}
KT_KERNEL("kinds.bytes", Bytes);

// Return kinds: Boost.Outcome's result<T> (what kt::result<T> is), a plain value, void.
boost::outcome_v2::std_result<Iova> ReturnsResult() { return Iova(1); }
KT_KERNEL("kinds.returns_result", ReturnsResult);

void NoParams() {}
KT_KERNEL("kinds.no_params", NoParams);

}  // namespace kinds
