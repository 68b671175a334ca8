// Lexical pieces of the table format shared by cells, workspace manifests and the table
// reader: string escapes, hex bytes, integer literals and splitting a line into cells. The
// standard library and runner/value.h only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runner/value.h"

namespace kt::internal {

// "..." with \" \\ \n \r \t and \xHH for every other byte outside printable ASCII, so any
// byte string has exactly one spelling and the spelling has no whitespace but ' '.
std::string Quote(std::string_view bytes);
// Parses one quoted string at the start of `in` and advances `in` past it. On failure
// returns nullopt and sets *error ("unterminated string", "unknown escape '\q'").
std::optional<std::string> ParseQuoted(std::string_view& in, std::string* error);

// x"00ff10": two lowercase hex digits per byte.
std::string HexBytes(std::string_view bytes);
// The inverse of HexBytes for a whole cell; accepts upper-case digits.
std::optional<std::string> ParseHexBytes(std::string_view cell, std::string* error);

// Decimal, or 0x-prefixed lowercase hex; negative values get a leading '-'.
std::string FormatInteger(const Integer& i, bool hex);
// A whole decimal or 0x-hex literal with an optional leading '-'; nullopt when malformed or
// outside [INT64_MIN, UINT64_MAX].
std::optional<Integer> ParseInteger(std::string_view text);

// Splits a table line into cells. Cells are separated by whitespace, except inside a quoted
// string or between balanced (), [] and {}, so `ok(Stats{a=1, b=2})` is one cell. Returns
// false and sets *error on an unterminated string or unbalanced brackets.
bool SplitCells(std::string_view line, std::vector<std::string_view>* cells, std::string* error);

// A cell holding free text (an outcome, an observation): the text itself when it splits back
// to exactly one cell and cannot be mistaken for a marker ("-", "|", "#...", "$..."),
// otherwise $"<quoted>". DecodeTextCell is the inverse.
std::string EncodeTextCell(std::string_view text);
std::optional<std::string> DecodeTextCell(std::string_view cell, std::string* error);

// True for [A-Za-z_][A-Za-z0-9_]*.
bool IsIdentifier(std::string_view s) noexcept;

}  // namespace kt::internal
