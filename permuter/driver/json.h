// A small strict JSON reader (RFC 8259, nothing more) and writer for the suite driver: the
// seeder's documents in, --json documents and job results out. The standard library and
// runner/error.h only; never the permuter's search or the coverage runtime.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "runner/error.h"

namespace kt::driver {

enum class JsonError {
  kSyntax = 1,  // not JSON: a stray character, a trailing comma, a bad escape or number
  kEncoding,    // a string that is not UTF-8, or a \u escape naming a lone surrogate
  kDuplicate,   // an object naming one member twice
  kDepth,       // nesting deeper than kMaxJsonDepth
};
const char* ToString(JsonError e) noexcept;
const std::error_category& JsonCategory() noexcept;
std::error_code make_error_code(JsonError e) noexcept;

// Deeper documents are rejected rather than parsed recursively: a hostile file must not
// overflow the stack. The seeder's documents nest four deep.
inline constexpr int kMaxJsonDepth = 64;

// One parsed value with where it started, for messages. A value type; objects keep their
// members in document order.
class JsonValue {
 public:
  enum class Type { kNull = 1, kBool, kNumber, kString, kArray, kObject };
  using Member = std::pair<std::string, JsonValue>;

  Type type() const noexcept { return type_; }
  int line() const noexcept { return line_; }
  int column() const noexcept { return column_; }

  bool as_bool() const noexcept { return boolean_; }
  // A string's decoded UTF-8, or a number's literal exactly as written ("-12", "1.5e3").
  const std::string& text() const noexcept { return text_; }
  const std::vector<JsonValue>& items() const noexcept { return items_; }
  const std::vector<Member>& members() const noexcept { return members_; }

  // The member named `key` of an object, or null.
  const JsonValue* Find(std::string_view key) const noexcept;
  // A number written as a plain integer (no fraction, no exponent) that uint64 holds.
  std::optional<std::uint64_t> AsUint64() const noexcept;

 private:
  friend class JsonParser;

  Type type_ = Type::kNull;
  int line_ = 1;
  int column_ = 1;
  bool boolean_ = false;
  std::string text_;
  std::vector<JsonValue> items_;
  std::vector<Member> members_;
};

// Parses one JSON document (whitespace around it allowed, nothing else). Errors say where:
// "3:14: expected ',' or '}' after a member".
Expected<JsonValue> ParseJson(std::string_view text);

// "…" with the escapes RFC 8259 requires (\" \\ and control characters as \n, \t or \u00XX);
// UTF-8 stands for itself and a byte that is not UTF-8 becomes U+FFFD, so the result is
// always valid JSON.
std::string JsonQuote(std::string_view s);

// Writes one document, two-space indented, members in call order. Thread-compatible.
//
// Example usage:
//   JsonWriter w;
//   w.BeginObject().Key("kernel").String("hello.greet").Key("rows").Uint(6).EndObject();
//   std::string text = w.Take();  // {\n  "kernel": "hello.greet",\n  "rows": 6\n}\n
class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view s);
  JsonWriter& Uint(std::uint64_t v);
  JsonWriter& Bool(bool b);
  // The document so far, ending in a newline once the outermost value is closed.
  std::string Take();

 private:
  void BeforeValue();
  JsonWriter& Close(char c);

  std::string out_;
  std::vector<bool> has_items_;  // per open container
  bool after_key_ = false;
};

}  // namespace kt::driver

template <>
struct std::is_error_code_enum<kt::driver::JsonError> : std::true_type {};
