// Lexical pieces of the table format. The standard library and runner/ only.
#include "runner/internal/text.h"

#include <charconv>
#include <cstdint>

namespace kt::internal {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

int HexValue(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsSpace(char c) noexcept { return c == ' ' || c == '\t' || c == '\r'; }

char Closer(char open) noexcept {
  switch (open) {
    case '(': return ')';
    case '[': return ']';
    default: return '}';
  }
}

}  // namespace

std::string Quote(std::string_view bytes) {
  std::string out = "\"";
  for (const char c : bytes) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c >= 0x20 && c < 0x7f) {
          out += c;
        } else {
          const auto u = static_cast<unsigned char>(c);
          out += "\\x";
          out += kHexDigits[u >> 4];
          out += kHexDigits[u & 0xf];
        }
    }
  }
  out += '"';
  return out;
}

std::optional<std::string> ParseQuoted(std::string_view& in, std::string* error) {
  if (in.empty() || in.front() != '"') {
    *error = "expected '\"'";
    return std::nullopt;
  }
  std::string out;
  std::size_t i = 1;
  while (i < in.size() && in[i] != '"') {
    if (in[i] != '\\') {
      out += in[i++];
      continue;
    }
    if (i + 1 >= in.size()) {
      i = in.size();  // a backslash at the end: the string never closes
      break;
    }
    const char e = in[i + 1];
    i += 2;
    switch (e) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'x': {
        const int hi = i < in.size() ? HexValue(in[i]) : -1;
        const int lo = i + 1 < in.size() ? HexValue(in[i + 1]) : -1;
        if (hi < 0 || lo < 0) {
          *error = "\\x needs two hex digits";
          return std::nullopt;
        }
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        break;
      }
      default: *error = std::string("unknown escape '\\") + e + "'"; return std::nullopt;
    }
  }
  if (i >= in.size()) {
    *error = "unterminated string";
    return std::nullopt;
  }
  in.remove_prefix(i + 1);
  return out;
}

std::string HexBytes(std::string_view bytes) {
  std::string out = "x\"";
  for (const char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    out += kHexDigits[u >> 4];
    out += kHexDigits[u & 0xf];
  }
  out += '"';
  return out;
}

std::optional<std::string> ParseHexBytes(std::string_view cell, std::string* error) {
  if (cell.size() < 3 || cell.substr(0, 2) != "x\"" || cell.back() != '"') {
    *error = "expected bytes as x\"<hex>\", got '" + std::string(cell) + "'";
    return std::nullopt;
  }
  const std::string_view hex = cell.substr(2, cell.size() - 3);
  if (hex.size() % 2 != 0) {
    *error = "bytes need an even number of hex digits";
    return std::nullopt;
  }
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = HexValue(hex[i]);
    const int lo = HexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      *error = "bad hex digit in bytes '" + std::string(cell) + "'";
      return std::nullopt;
    }
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

std::string FormatInteger(const Integer& i, bool hex) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, i.magnitude(), hex ? 16 : 10);
  std::string out = i.negative() ? "-" : "";
  if (hex) out += "0x";
  out.append(buf, end);
  return out;
}

std::optional<Integer> ParseInteger(std::string_view text) {
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  // from_chars would accept a second sign; the first character must be a digit.
  if (text.empty() || HexValue(text.front()) < 0) return std::nullopt;
  std::uint64_t magnitude = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), magnitude, base);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (!negative) return Integer(magnitude);
  if (magnitude > std::uint64_t{1} << 63) return std::nullopt;
  return Integer::Negative(magnitude);
}

bool SplitCells(std::string_view line, std::vector<std::string_view>* cells, std::string* error) {
  cells->clear();
  std::size_t i = 0;
  while (true) {
    while (i < line.size() && IsSpace(line[i])) ++i;
    if (i == line.size()) return true;
    const std::size_t start = i;
    std::string closers;  // the expected closing brackets, innermost last
    while (i < line.size() && (!closers.empty() || !IsSpace(line[i]))) {
      const char c = line[i];
      if (c == '"') {
        std::string_view rest = line.substr(i);
        if (!ParseQuoted(rest, error)) return false;
        i = line.size() - rest.size();
        continue;
      }
      if (c == '(' || c == '[' || c == '{') {
        closers += Closer(c);
      } else if (c == ')' || c == ']' || c == '}') {
        if (closers.empty() || closers.back() != c) {
          *error = std::string("unbalanced '") + c + "' in column " + std::to_string(i + 1);
          return false;
        }
        closers.pop_back();
      }
      ++i;
    }
    if (!closers.empty()) {
      *error = std::string("missing '") + closers.back() + "' before the end of the line";
      return false;
    }
    cells->push_back(line.substr(start, i - start));
  }
}

std::string EncodeTextCell(std::string_view text) {
  std::vector<std::string_view> cells;
  std::string error;
  const bool reserved =
      text.empty() || text == "-" || text == "|" || text.front() == '#' || text.front() == '$';
  if (!reserved && SplitCells(text, &cells, &error) && cells.size() == 1 && cells[0] == text) {
    return std::string(text);
  }
  return "$" + Quote(text);
}

std::optional<std::string> DecodeTextCell(std::string_view cell, std::string* error) {
  if (cell.empty() || cell.front() != '$') return std::string(cell);
  std::string_view rest = cell.substr(1);
  std::optional<std::string> text = ParseQuoted(rest, error);
  if (text && !rest.empty()) {
    *error = "text after the closing '\"' of a $\"...\" cell";
    return std::nullopt;
  }
  return text;
}

bool IsIdentifier(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

}  // namespace kt::internal
