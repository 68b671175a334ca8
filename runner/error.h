// The runner's own error type and the error-category plumbing its modules share. Boost.Outcome
// and the standard library only; never the kernels' code or GoogleTest.
#pragma once

#include <string>
#include <system_error>
#include <utility>

#include <boost/outcome/result.hpp>
#include <boost/outcome/std_result.hpp>
#include <boost/outcome/try.hpp>

namespace kt {

namespace outcome = BOOST_OUTCOME_V2_NAMESPACE;

// What a kernel returns: a value or a std::error_code (see runner/kernel.h).
template <class T>
using result = outcome::std_result<T>;
// return kt::success(); from a kt::result<void> kernel.
using outcome::success;

// A failure of the runner itself (a malformed table, a value of the wrong kind, a workspace
// that cannot be created): the code says which, the message says where, e.g.
// "kernels/tables/dma.map_two.ktable:12: unknown enumerator 'kC' of MapOrder".
struct Error {
  std::error_code code;
  std::string message;
};

// Every fallible runner operation returns Expected<T>. Taking value() of an error is a
// programmer error and terminates (the policy), so callers test has_value() first.
template <class T>
using Expected = outcome::result<T, Error, outcome::policy::terminate>;

// An Error from one module's error enum and a message.
template <class E>
Error MakeError(E e, std::string message) {
  return Error{make_error_code(e), std::move(message)};
}

namespace internal {

// The category of one module's error enum E. message() is the enumerator's snake_case name
// (ToString(E), found by ADL), so an error prints canonically as "kt.table:syntax".
template <class E>
class EnumCategory final : public std::error_category {
 public:
  explicit constexpr EnumCategory(const char* name) noexcept : name_(name) {}
  const char* name() const noexcept override { return name_; }
  std::string message(int value) const override { return ToString(static_cast<E>(value)); }

 private:
  const char* name_;
};

}  // namespace internal
}  // namespace kt

// Returns early with the error of an expression returning kt::Expected<T> (or kt::result<T>
// inside a function returning kt::result<U>). The one-argument form only, which means the
// same in every Boost.Outcome version. It declares a variable: use it as a statement inside
// braces, never as the unbraced body of an if or a loop.
#define KT_TRY(...) BOOST_OUTCOME_TRYV(__VA_ARGS__)
