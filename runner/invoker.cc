// Error category of the invoker. The standard library and runner/ only.
#include "runner/invoker.h"

namespace kt {

const char* ToString(InvokeError e) noexcept {
  switch (e) {
    case InvokeError::kArity: return "arity";
    case InvokeError::kWrongKind: return "wrong_kind";
    case InvokeError::kOutOfRange: return "out_of_range";
  }
  return "unknown";
}

const std::error_category& InvokeCategory() noexcept {
  static const internal::EnumCategory<InvokeError> category("kt.invoke");
  return category;
}

std::error_code make_error_code(InvokeError e) noexcept {
  return {static_cast<int>(e), InvokeCategory()};
}

namespace internal {

Error DecodeError(InvokeError e, std::size_t index, const Value& v, const std::string& what) {
  return MakeError(e,
                   "argument " + std::to_string(index + 1) + " (" + DebugString(v) + "): " + what);
}

}  // namespace internal
}  // namespace kt
