// Canonical printing. The standard library and runner/ only.
#include "runner/print.h"

#include <cctype>
#include <charconv>

#include "runner/internal/text.h"

namespace kt {

std::string NormaliseMessage(std::string_view message) {
  std::string out;
  bool pending_sep = false;
  for (const char c : message) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 && u < 0x80) {
      if (pending_sep && !out.empty()) out += '_';
      pending_sep = false;
      out += static_cast<char>(std::tolower(u));
    } else {
      pending_sep = true;
    }
  }
  return out;
}

std::string ErrorCodeName(const std::error_code& ec) {
  const std::error_category& category = ec.category();
  std::string name;
  if (category == std::generic_category() || category == std::system_category()) {
    name = internal::ErrnoName(ec.value());
  } else {
    name = NormaliseMessage(category.message(ec.value()));
  }
  if (name.empty()) name = std::to_string(ec.value());
  return std::string(category.name()) + ":" + name;
}

namespace internal {

void PrintInteger(std::ostream& os, const Integer& i, bool hex) { os << FormatInteger(i, hex); }

void PrintDouble(std::ostream& os, double d) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  os.write(buf, end - buf);
}

void PrintChar(std::ostream& os, char c) {
  const std::string quoted = Quote(std::string_view(&c, 1));
  // Same escapes as strings, in single quotes; a lone '"' needs none there.
  os << '\'' << (c == '"' ? std::string("\"") : quoted.substr(1, quoted.size() - 2)) << '\'';
}

void PrintQuoted(std::ostream& os, std::string_view s) { os << Quote(s); }

void PrintHexBytes(std::ostream& os, std::span<const std::byte> bytes) {
  os << HexBytes(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace internal
}  // namespace kt
