// Escaping for the renderers: HTML text and attributes, JSON strings (always valid UTF-8).
// The standard library only.
#pragma once

#include <string>
#include <string_view>

namespace kt::report::internal {

// &, <, >, " and ' as entities; safe in text and in quoted attributes.
std::string HtmlEscape(std::string_view text);

// `text` as a JSON string literal with its quotes. Control characters become \u00XX; bytes
// that are not UTF-8 (a source file in Latin-1) become U+FFFD, so the document stays valid.
std::string JsonQuote(std::string_view text);

}  // namespace kt::report::internal
