// BDF parsing, formatting and the vfio.bdf error category. Depends on vfio/result.h only.
#include "vfio/pci_address.h"

#include <cstddef>
#include <cstdio>
#include <ostream>

namespace vfio {

const char* ToString(BdfError e) noexcept {
  switch (e) {
    case BdfError::kEmpty: return "empty";
    case BdfError::kMissingDot: return "missing_dot";
    case BdfError::kMissingColon: return "missing_colon";
    case BdfError::kTooManyComponents: return "too_many_components";
    case BdfError::kEmptyField: return "empty_field";
    case BdfError::kInvalidHex: return "invalid_hex";
    case BdfError::kFieldTooLong: return "field_too_long";
    case BdfError::kDeviceOutOfRange: return "device_out_of_range";
    case BdfError::kFunctionOutOfRange: return "function_out_of_range";
    case BdfError::kTrailingCharacters: return "trailing_characters";
  }
  return "unknown";
}

const std::error_category& BdfCategory() noexcept {
  static const internal::EnumCategory<BdfError> category("vfio.bdf");
  return category;
}

std::error_code make_error_code(BdfError e) noexcept {
  return {static_cast<int>(e), BdfCategory()};
}

Result<Bdf> Bdf::Make(std::uint16_t domain, std::uint8_t bus, std::uint8_t device,
                      std::uint8_t function) noexcept {
  if (device > kMaxDevice) return make_error_code(BdfError::kDeviceOutOfRange);
  if (function > kMaxFunction) return make_error_code(BdfError::kFunctionOutOfRange);
  return Bdf(domain, bus, device, function);
}

namespace {

// Written out rather than <cctype>: isxdigit is locale-dependent and undefined for negative
// char values, and the input is arbitrary bytes.
int HexDigitValue(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One ':'-terminated field of at most max_digits hex digits (at most 4, so no overflow).
Result<std::uint16_t> ParseField(std::string_view field, std::size_t max_digits) noexcept {
  if (field.empty()) return make_error_code(BdfError::kEmptyField);
  for (char c : field) {
    if (HexDigitValue(c) < 0) return make_error_code(BdfError::kInvalidHex);
  }
  if (field.size() > max_digits) return make_error_code(BdfError::kFieldTooLong);
  std::uint16_t value = 0;
  for (char c : field) value = static_cast<std::uint16_t>(value << 4 | HexDigitValue(c));
  return value;
}

// The function is the last field and has no terminator: its extent is the run of hex digits
// after the '.', so "0\n" is a digit plus trailing characters, not a bad digit.
Result<std::uint16_t> ParseFunction(std::string_view tail) noexcept {
  if (tail.empty()) return make_error_code(BdfError::kEmptyField);
  std::size_t digits = 0;
  while (digits < tail.size() && HexDigitValue(tail[digits]) >= 0) ++digits;
  if (digits == 0) return make_error_code(BdfError::kInvalidHex);
  if (digits > 1) return make_error_code(BdfError::kFieldTooLong);
  if (tail.size() > 1) return make_error_code(BdfError::kTrailingCharacters);
  return static_cast<std::uint16_t>(HexDigitValue(tail[0]));
}

}  // namespace

Result<Bdf> ParseBdf(std::string_view text) noexcept {
  if (text.empty()) return make_error_code(BdfError::kEmpty);
  const std::size_t dot = text.find('.');
  if (dot == std::string_view::npos) return make_error_code(BdfError::kMissingDot);
  std::string_view head = text.substr(0, dot);

  // Split the head at its colons: [domain:]bus:device.
  std::string_view fields[3];
  std::size_t num_fields = 0;
  for (;;) {
    const std::size_t colon = head.find(':');
    if (num_fields == 2 && colon != std::string_view::npos)
      return make_error_code(BdfError::kTooManyComponents);
    fields[num_fields++] = head.substr(0, colon);
    if (colon == std::string_view::npos) break;
    head.remove_prefix(colon + 1);
  }
  if (num_fields == 1) return make_error_code(BdfError::kMissingColon);

  const bool has_domain = num_fields == 3;
  std::uint16_t domain = 0;
  if (has_domain) {
    VFIO_TRY(parsed_domain, ParseField(fields[0], 4));
    domain = parsed_domain;
  }
  VFIO_TRY(bus, ParseField(fields[has_domain ? 1 : 0], 2));
  VFIO_TRY(device, ParseField(fields[has_domain ? 2 : 1], 2));
  VFIO_TRY(function, ParseFunction(text.substr(dot + 1)));
  // Field widths bound bus and device to a byte and function to a nibble, so the narrowing
  // is exact; Make checks the device and function limits.
  return Bdf::Make(domain, static_cast<std::uint8_t>(bus), static_cast<std::uint8_t>(device),
                   static_cast<std::uint8_t>(function));
}

std::string FormatBdf(const Bdf& bdf) {
  // "ffff:ff:ff.f" needs 13 bytes; the spare ones quiet g++'s -Wformat-truncation, which
  // cannot know the invariant function <= 7.
  char buffer[16];
  std::snprintf(buffer, sizeof(buffer), "%04x:%02x:%02x.%x", unsigned{bdf.domain()},
                unsigned{bdf.bus()}, unsigned{bdf.device()}, unsigned{bdf.function()});
  return buffer;
}

std::ostream& operator<<(std::ostream& os, const Bdf& bdf) { return os << FormatBdf(bdf); }

}  // namespace vfio
