// A parking meter: the code under test of the documentation's kernels. Standard C++, POSIX
// (for the receipt file) and Boost.Outcome only; of kerneltest only the annotations, which
// are plain C++ attributes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string_view>
#include <system_error>
#include <type_traits>

#include <boost/outcome/std_result.hpp>

#include "runner/annotations.h"

namespace parking {

template <class T>
using Result = BOOST_OUTCOME_V2_NAMESPACE::std_result<T>;

// [START zone]
enum class Zone : std::uint8_t { kCentre = 0, kSuburb = 1, kAirport = 2 };
// [END zone]

// [START extra]
// A flag set: every non-zero enumerator a power of two, and an operator| for the seeder to
// see. No annotation needed; KT_FLAGS marks a flag enum that has composite enumerators.
enum class Extra : std::uint8_t {
  kNone = 0,
  kCharging = 1 << 0,
  kOversize = 1 << 1,
  kBadge = 1 << 2,
};
constexpr Extra operator|(Extra a, Extra b) {
  return static_cast<Extra>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
}
// [END extra]
constexpr bool Has(Extra set, Extra e) {
  return (static_cast<unsigned>(set) & static_cast<unsigned>(e)) != 0;
}

// [START payment]
// KT_FLAGS marks a flag set the seeder cannot detect: kAny is a combination, not a power of
// two. Under a compiler other than Clang it expands to nothing.
enum class KT_FLAGS Payment : std::uint8_t {
  kNone = 0,
  kCoins = 1 << 0,
  kCard = 1 << 1,
  kPhone = 1 << 2,
  kAny = kCoins | kCard | kPhone,
};
// Without this, a Payment result would print as Payment(1): enumerator names are not
// available at run time.
std::ostream& operator<<(std::ostream& os, Payment p);
// [END payment]

// [START minutes]
// A strong integer: a class with an integral value() and a constructor from it. Tables
// write it as its integer, in hex.
class Minutes {
 public:
  constexpr explicit Minutes(std::uint32_t m) : m_(m) {}
  constexpr std::uint32_t value() const { return m_; }

 private:
  std::uint32_t m_;
};
// [END minutes]

// [START price]
// An amount of money. Its operator<< is its canonical spelling in tables: 3.50, never
// 3.5 or 350.
struct Price {
  std::uint32_t cents = 0;
};
std::ostream& operator<<(std::ostream& os, Price p);
// [END price]

// [START errors]
// Errors print as category:name in tables: parking:too_long.
enum class ParkingError {
  kTooLong = 1,  // a stay longer than the zone allows
  kBadPlate,     // a number plate that is not 2 to 8 capitals and digits with a digit
  kNotAccepted,  // a payment method the meter does not take
};
const std::error_category& ParkingCategory() noexcept;
std::error_code make_error_code(ParkingError e) noexcept;
// [END errors]

// [START quote]
// The first kFreeMinutes of a stay cost nothing.
inline constexpr std::uint32_t kFreeMinutes = 15;

// What a stay costs: a rate per started hour by zone, free for a badge holder outside the
// airport, half price in the centre at weekends, charging a flat extra, oversize vehicles
// double. kTooLong beyond a day (two weeks at the airport).
Result<Price> Quote(Zone zone, Minutes stay, Extra extras, bool weekend);
// [END quote]

// Which of `offered` the meter takes when it accepts `accepted`: the first of coins, card,
// phone in both; kNotAccepted when there is none.
Result<Payment> ChoosePayment(Payment accepted, Payment offered);

// The plate, checked; its length when it is valid.
Result<std::size_t> CheckPlate(std::string_view plate);

// Appends "<price>\n" to receipts.txt in the directory `dir_fd` (openat(2): the working
// directory is never used); returns how many receipts the file holds now.
Result<std::size_t> AppendReceipt(int dir_fd, Price price);

}  // namespace parking

template <>
struct std::is_error_code_enum<parking::ParkingError> : std::true_type {};
