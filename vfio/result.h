// Result type and error-category plumbing shared by every vfio module. Boost.Outcome and
// the standard library only.
#pragma once

#include <string>
#include <system_error>

#include <boost/outcome/std_result.hpp>
#include <boost/outcome/try.hpp>

namespace vfio {

namespace outcome = BOOST_OUTCOME_V2_NAMESPACE;

// Every fallible vfio operation returns Result<T>; errors are std::error_code values of one
// enum per module (DmaError, BarError, ...), each with its own category ("vfio.dma", ...).
template <class T>
using Result = outcome::std_result<T>;

using outcome::success;

namespace internal {

// The category of one module's error enum E. message() is the enumerator's snake_case name
// (ToString(E), found by ADL), so an error prints canonically as "vfio.dma:overlap".
template <class E>
class EnumCategory final : public std::error_category {
 public:
  explicit constexpr EnumCategory(const char* name) noexcept : name_(name) {}
  const char* name() const noexcept override { return name_; }
  std::string message(int value) const override { return ToString(static_cast<E>(value)); }

 private:
  const char* name_;
};

}  // namespace internal
}  // namespace vfio

// Propagates an error from an expression returning Result<T>; see BOOST_OUTCOME_TRY.
#define VFIO_TRY BOOST_OUTCOME_TRY
