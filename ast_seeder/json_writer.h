// Serialises a KernelDomain as the JSON document the permuter reads (docs/seeder-json.md).
// Standard library only; byte-for-byte deterministic for equal input.
#pragma once

#include <string>
#include <string_view>

#include "ast_seeder/domain.h"

namespace ast_seeder {

// The value of the document's "format" key; bumped on any incompatible schema change.
inline constexpr std::string_view kJsonFormat = "kerneltest.seeder.v1";

// The whole document, two-space indented, one enumerator or constant per line, ending in a
// newline. 64-bit values (ranges, enumerators, constants) are JSON strings of decimal digits,
// so a reader that parses numbers as doubles cannot round them; bits, line, call_depth and
// max_len are plain JSON numbers.
std::string KernelDomainToJson(const KernelDomain& kernel);

// `s` as a JSON string literal, quotes included.
std::string JsonQuote(std::string_view s);

// Arbitrary bytes as a JSON string literal that reads as the text where it is printable
// ASCII: bytes 0x20-0x7e as themselves (escaping '"' and '\\'), every other byte as the code
// point of its value ("\u00ff"). Decoding code points back to bytes gives `bytes` exactly.
std::string JsonBytes(std::string_view bytes);

// Lower-case hex, two digits per byte: "7666696f".
std::string HexBytes(std::string_view bytes);

}  // namespace ast_seeder
