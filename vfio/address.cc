// Error category of vfio/address.h.
#include "vfio/address.h"

namespace vfio {

const char* ToString(AddressError e) noexcept {
  switch (e) {
    case AddressError::kOverflow: return "overflow";
    case AddressError::kUnderflow: return "underflow";
    case AddressError::kZeroSize: return "zero_size";
    case AddressError::kNotPowerOfTwo: return "not_power_of_two";
  }
  return "unknown";
}

const std::error_category& AddressCategory() noexcept {
  static const internal::EnumCategory<AddressError> category("vfio.address");
  return category;
}

std::error_code make_error_code(AddressError e) noexcept {
  return {static_cast<int>(e), AddressCategory()};
}

}  // namespace vfio
