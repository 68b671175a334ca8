// Recognises the comparisons of texts a kernel's libFuzzer search needs seeds for, and the
// constant bytes their operands stand for: string literals, constexpr string and string_view
// variables, constant byte arrays. Used by ConstantHarvester's walk; Clang AST only.
#pragma once

#include <optional>
#include <string>

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"

namespace ast_seeder {

// True for std::basic_string and std::basic_string_view (any character type, any inline
// namespace), references and cv-qualifiers removed.
bool IsTextClass(clang::QualType type);

// How `call` compares texts, or nullopt when it does not:
//   "operator==" (and the other comparisons) when an operand is a text class;
//   "compare", "starts_with", "ends_with", "find", "rfind", "contains" for members of a text
//   class (and std::char_traits' compare);
//   "strcmp", "strncmp", "strcasecmp", "strncasecmp", "memcmp", "bcmp", "strstr",
//   "strcasestr", "memmem" for the C library functions (extern "C", in std::, or their
//   __builtin_ forms).
std::optional<std::string> TextCompareName(const clang::CallExpr& call);

// The bytes `e` stands for when they are a compile-time constant, or nullopt:
//   a narrow (ordinary or UTF-8) string literal, without its terminating NUL, also through a
//   user-defined literal ("pci"sv), a conversion or a string / string_view constructor
//   (a (pointer, length) constructor with a constant length takes that prefix);
//   a narrow character literal, as one byte (find(':'), starts_with('/'));
//   .data() or .c_str() of such an expression, or a string's conversion to string_view;
//   a const or constexpr variable initialised with such an expression, or an array of
//   1-byte integers or enumerators (std::byte), plain or in a std::array, initialised with
//   constants ({0x7f, 'E', 'L', 'F'}).
// Empty texts give nullopt: they seed nothing.
std::optional<std::string> ConstantText(const clang::Expr& e, const clang::ASTContext& ctx);

}  // namespace ast_seeder
