// PCI function addresses (domain:bus:device.function): validated construction, parsing of
// the sysfs spellings and canonical formatting. Pure logic; depends on vfio/result.h only.
#pragma once

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

#include "vfio/result.h"

namespace vfio {

// Why ParseBdf (or Bdf::Make) refused its input. ParseBdf checks in this order and reports
// the first failure: the whole string (kEmpty), its structure (kMissingDot, kMissingColon,
// kTooManyComponents), each field from left to right (kEmptyField, kInvalidHex,
// kFieldTooLong, then kTrailingCharacters after the function digit), and last the values
// (kDeviceOutOfRange, kFunctionOutOfRange).
enum class BdfError {
  kEmpty = 1,            // ""
  kMissingDot,           // no '.' anywhere: "00:1f"
  kMissingColon,         // no ':' before the '.': "1f.0"
  kTooManyComponents,    // more than two ':' before the '.': "0:0000:00:00.0"
  kEmptyField,           // a field with no characters: "00::00.0", "00:00."
  kInvalidHex,           // a character other than [0-9a-fA-F] in a field: "0g:00.0", "+0:00.0"
  kFieldTooLong,         // more digits than the field has: domain 4, bus 2, device 2, function 1
  kDeviceOutOfRange,     // device > 0x1f
  kFunctionOutOfRange,   // function > 7
  kTrailingCharacters,   // anything after the single function digit: "00:00.0\n"
};
const char* ToString(BdfError e) noexcept;
const std::error_category& BdfCategory() noexcept;
std::error_code make_error_code(BdfError e) noexcept;

// The address of one PCI function. Always valid: device <= 0x1f and function <= 7 are
// enforced by Make, so a Bdf can be formatted and turned into a requester ID without checks.
// The default value is 0000:00:00.0. Ordered by (domain, bus, device, function).
//
// Example usage:
//   VFIO_TRY(bdf, vfio::ParseBdf("0000:00:1f.3"));
//   std::string name = vfio::FormatBdf(bdf);  // "0000:00:1f.3", the sysfs device name
class Bdf {
 public:
  static constexpr std::uint8_t kMaxDevice = 0x1f;
  static constexpr std::uint8_t kMaxFunction = 7;

  constexpr Bdf() noexcept = default;

  // kDeviceOutOfRange or kFunctionOutOfRange (checked in that order).
  static Result<Bdf> Make(std::uint16_t domain, std::uint8_t bus, std::uint8_t device,
                          std::uint8_t function) noexcept;

  constexpr std::uint16_t domain() const noexcept { return domain_; }
  constexpr std::uint8_t bus() const noexcept { return bus_; }
  constexpr std::uint8_t device() const noexcept { return device_; }
  constexpr std::uint8_t function() const noexcept { return function_; }

  // The 16-bit requester ID the IOMMU sees: bus << 8 | device << 3 | function. The domain
  // (PCI segment) is not part of it.
  constexpr std::uint16_t Rid() const noexcept {
    return static_cast<std::uint16_t>(bus_ << 8 | device_ << 3 | function_);
  }

  friend constexpr auto operator<=>(const Bdf&, const Bdf&) noexcept = default;

 private:
  constexpr Bdf(std::uint16_t domain, std::uint8_t bus, std::uint8_t device,
                std::uint8_t function) noexcept
      : domain_(domain), bus_(bus), device_(device), function_(function) {}

  // Declaration order is the comparison order.
  std::uint16_t domain_ = 0;
  std::uint8_t bus_ = 0;
  std::uint8_t device_ = 0;
  std::uint8_t function_ = 0;
};

// Parses "DDDD:BB:DD.F" or "BB:DD.F" (domain 0), hexadecimal in either case. A field may be
// shorter than its width ("0:1f.3"), never longer; no signs, spaces or prefixes anywhere.
Result<Bdf> ParseBdf(std::string_view text) noexcept;

// Always "%04x:%02x:%02x.%x" (lowercase, full width): the spelling sysfs and
// VFIO_GROUP_GET_DEVICE_FD use. ParseBdf(FormatBdf(b)) == b for every b.
std::string FormatBdf(const Bdf& bdf);

// Prints FormatBdf(bdf), so test failures and tables show the canonical spelling.
std::ostream& operator<<(std::ostream& os, const Bdf& bdf);

}  // namespace vfio

template <>
struct std::is_error_code_enum<vfio::BdfError> : std::true_type {};
