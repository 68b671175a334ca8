// The type-erased invoker: decodes a call set into a kernel's typed parameters (a template
// over the function type, so every conversion is chosen at compile time), calls the kernel
// and turns what it returns into an Outcome. Also the signature's column kinds, for checking
// a table against the kernel. The standard library, Boost.Outcome and runner/ only.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "runner/error.h"
#include "runner/internal/names.h"
#include "runner/outcome.h"
#include "runner/print.h"
#include "runner/schema.h"
#include "runner/value.h"

namespace kt {

enum class InvokeError {
  kArity = 1,   // a call set with more or fewer values than the kernel has parameters
  kWrongKind,   // a string for an integer parameter, an integer for an enum, ...
  kOutOfRange,  // an integer the parameter's type cannot hold (300 for std::uint8_t)
};
const char* ToString(InvokeError e) noexcept;
const std::error_category& InvokeCategory() noexcept;
std::error_code make_error_code(InvokeError e) noexcept;

// Calls a kernel through a type-erased pointer. Exceptions and KT_CHECK failures from the
// kernel propagate to the caller (Execute turns them into findings).
using InvokeFn = Expected<Outcome> (*)(void (*kernel)(), std::span<const Value> args);
// Decodes a call set as InvokeFn would, without calling the kernel.
using ValidateFn = Expected<void> (*)(std::span<const Value> args);

namespace internal {

template <class T>
inline constexpr bool kIsCharacter =
    std::is_same_v<T, char> || std::is_same_v<T, wchar_t> || std::is_same_v<T, char8_t> ||
    std::is_same_v<T, char16_t> || std::is_same_v<T, char32_t>;

template <class T>
concept ParamInteger = std::is_integral_v<T> && !std::is_same_v<T, bool> && !kIsCharacter<T>;

template <class T>
IntType IntTypeOf() {
  return IntType{static_cast<int>(sizeof(T) * 8), std::is_signed_v<T>};
}

Error DecodeError(InvokeError e, std::size_t index, const Value& v, const std::string& what);

// Decoding of one parameter type P: Stored holds what the call needs (views into the Value
// for strings and bytes), Get hands it to the kernel.
template <class P>
struct Param {
  using D = std::remove_cvref_t<P>;
  static_assert(!std::is_lvalue_reference_v<P> || std::is_const_v<std::remove_reference_t<P>>,
                "KT_KERNEL: a parameter cannot be a non-const reference");

  using Stored = std::conditional_t<std::is_same_v<D, std::string>, const std::string*, D>;

  static ColumnSchema Signature() {
    ColumnSchema c;
    c.cpp_type = DemangledName(typeid(D));
    if constexpr (std::is_same_v<D, bool>) {
      c.kind = ParamKind::kBool;
    } else if constexpr (ParamInteger<D>) {
      c.kind = ParamKind::kInt;
      c.int_type = IntTypeOf<D>();
    } else if constexpr (std::is_enum_v<D>) {
      c.kind = ParamKind::kEnum;
      c.int_type = IntTypeOf<std::underlying_type_t<D>>();
    } else if constexpr (StrongInteger<D>) {
      c.kind = ParamKind::kStrongInt;
      c.int_type = IntTypeOf<std::remove_cvref_t<decltype(std::declval<const D&>().value())>>();
    } else if constexpr (std::is_same_v<D, std::string_view> || std::is_same_v<D, std::string>) {
      c.kind = ParamKind::kString;
    } else if constexpr (std::is_same_v<D, std::span<const std::byte>>) {
      c.kind = ParamKind::kBytes;
    } else {
      static_assert(kAlwaysFalse<D>,
                    "KT_KERNEL: parameter kinds are bool, integers (not characters), enums, "
                    "strong integer wrappers, std::string_view, const std::string& and "
                    "std::span<const std::byte>");
    }
    return c;
  }

  static Expected<Stored> Decode(const Value& v, std::size_t index) {
    const ValueKind want = ValueKindOf(Signature().kind);
    if (v.kind() != want) {
      return DecodeError(InvokeError::kWrongKind, index, v,
                         std::string("expected a ") + ToString(want) + " value");
    }
    if constexpr (std::is_same_v<D, bool>) {
      return v.as_bool();
    } else if constexpr (ParamInteger<D>) {
      return Narrow<D>(v, index);
    } else if constexpr (std::is_enum_v<D>) {
      auto u = Narrow<std::underlying_type_t<D>>(v, index);
      if (!u) return std::move(u).assume_error();
      return static_cast<D>(u.assume_value());
    } else if constexpr (StrongInteger<D>) {
      using I = std::remove_cvref_t<decltype(std::declval<const D&>().value())>;
      auto i = Narrow<I>(v, index);
      if (!i) return std::move(i).assume_error();
      return D(i.assume_value());
    } else if constexpr (std::is_same_v<D, std::string>) {
      return &v.as_string();
    } else if constexpr (std::is_same_v<D, std::string_view>) {
      return std::string_view(v.as_string());
    } else {
      return v.as_bytes();
    }
  }

  static decltype(auto) Get(const Stored& s) {
    if constexpr (std::is_same_v<D, std::string>) {
      return *s;
    } else {
      return s;
    }
  }

 private:
  template <class I>
  static Expected<I> Narrow(const Value& v, std::size_t index) {
    if (std::optional<I> i = v.as_integer().To<I>()) return *i;
    return DecodeError(
        InvokeError::kOutOfRange, index, v,
        "outside " + ToString(IntTypeOf<I>()) + " (" + DemangledName(typeid(D)) + ")");
  }
};

template <class R>
Outcome ValueOutcome(const R& r) {
  Outcome o;
  if constexpr (BOOST_OUTCOME_V2_NAMESPACE::is_basic_result_v<R>) {
    o.kind = r.has_value() ? OutcomeKind::kValue : OutcomeKind::kError;
    o.text = PrintToString(r);
  } else {
    o.kind = OutcomeKind::kValue;
    o.text = "ok(" + PrintToString(r) + ")";
  }
  return o;
}

template <class F>
struct FunctionTraits;
template <class R, class... A>
struct FunctionTraits<R (*)(A...)> {
  using Return = R;
  using Args = std::tuple<A...>;
};
template <class R, class... A>
struct FunctionTraits<R (*)(A...) noexcept> : FunctionTraits<R (*)(A...)> {};

template <class... A>
using StoredArgs = std::tuple<std::optional<typename Param<A>::Stored>...>;

// Decodes every value left to right, stopping at the first that does not fit.
template <class... A, std::size_t... I>
Expected<StoredArgs<A...>> DecodeAll(std::span<const Value> args, std::tuple<A...>*,
                                     std::index_sequence<I...>) {
  if (args.size() != sizeof...(A)) {
    return MakeError(InvokeError::kArity, "the kernel takes " + std::to_string(sizeof...(A)) +
                                              " arguments, the call set has " +
                                              std::to_string(args.size()));
  }
  StoredArgs<A...> stored;
  std::optional<Error> error;
  const bool decoded = ([&] {
    auto d = Param<A>::Decode(args[I], I);
    if (!d) {
      error = std::move(d).assume_error();
      return false;
    }
    std::get<I>(stored).emplace(std::move(d).assume_value());
    return true;
  }() && ...);
  if (!decoded) return std::move(*error);
  return stored;
}

template <class F, class R, class... A, std::size_t... I>
Expected<Outcome> CallWith(F fn, std::span<const Value> args, std::tuple<A...>* tag,
                           std::index_sequence<I...> seq) {
  auto decoded = DecodeAll(args, tag, seq);
  if (!decoded) return std::move(decoded).assume_error();
  StoredArgs<A...>& stored = decoded.assume_value();
  if constexpr (std::is_void_v<R>) {
    fn(Param<A>::Get(*std::get<I>(stored))...);
    Outcome o;
    o.text = "ok()";
    return o;
  } else {
    return ValueOutcome(fn(Param<A>::Get(*std::get<I>(stored))...));
  }
}

template <class F>
using ArgsOf = typename FunctionTraits<F>::Args;
template <class F>
using IndicesOf = std::make_index_sequence<std::tuple_size_v<ArgsOf<F>>>;

// The InvokeFn for kernels of type F (a function pointer).
template <class F>
Expected<Outcome> Invoke(void (*kernel)(), std::span<const Value> args) {
  return CallWith<F, typename FunctionTraits<F>::Return>(
      reinterpret_cast<F>(kernel), args, static_cast<ArgsOf<F>*>(nullptr), IndicesOf<F>{});
}

// The ValidateFn for kernels of type F: decodes without calling.
template <class F>
Expected<void> Validate(std::span<const Value> args) {
  auto decoded = DecodeAll(args, static_cast<ArgsOf<F>*>(nullptr), IndicesOf<F>{});
  if (!decoded) return std::move(decoded).assume_error();
  return outcome::success();
}

template <class... A>
std::vector<ColumnSchema> SignatureOf(std::tuple<A...>*) {
  return {Param<A>::Signature()...};
}

}  // namespace internal

// What a kernel's parameter types say about its columns: kind, integer type and the C++
// type (demangled, so "unsigned long" for std::uint64_t). Names, ranges and enumerators come
// from the seeder or the table.
template <class F>
std::vector<ColumnSchema> SignatureOf() {
  return internal::SignatureOf(static_cast<internal::ArgsOf<F>*>(nullptr));
}

}  // namespace kt

template <>
struct std::is_error_code_enum<kt::InvokeError> : std::true_type {};
