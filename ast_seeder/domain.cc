// Names and normalisation for the domain model. Standard library only.
#include "ast_seeder/domain.h"

#include <algorithm>

namespace ast_seeder {

std::string ExactInt::ToDecimal() const {
  std::string digits;
  std::uint64_t rest = magnitude_;
  do {
    digits.push_back(static_cast<char>('0' + rest % 10));
    rest /= 10;
  } while (rest != 0);
  if (negative_) digits.push_back('-');
  std::reverse(digits.begin(), digits.end());
  return digits;
}

const char* ToString(ParamKind kind) noexcept {
  switch (kind) {
    case ParamKind::kBool:
      return "bool";
    case ParamKind::kInt:
      return "int";
    case ParamKind::kEnum:
      return "enum";
    case ParamKind::kFlags:
      return "flags";
    case ParamKind::kStrongInt:
      return "strong_int";
    case ParamKind::kString:
      return "string";
    case ParamKind::kBytes:
      return "bytes";
  }
  return "unknown";
}

const char* ToString(RangeSource source) noexcept {
  switch (source) {
    case RangeSource::kType:
      return "type";
    case RangeSource::kAnnotation:
      return "kt_range";
  }
  return "unknown";
}

const char* ToString(FlagsSource source) noexcept {
  switch (source) {
    case FlagsSource::kNone:
      return "none";
    case FlagsSource::kAnnotation:
      return "kt_flags";
    case FlagsSource::kDetected:
      return "detected";
  }
  return "unknown";
}

const char* ToString(ReturnKind kind) noexcept {
  switch (kind) {
    case ReturnKind::kVoid:
      return "void";
    case ReturnKind::kValue:
      return "value";
    case ReturnKind::kResult:
      return "result";
  }
  return "unknown";
}

const char* ToString(ConstantUse use) noexcept {
  switch (use) {
    case ConstantUse::kCompare:
      return "compare";
    case ConstantUse::kSwitch:
      return "switch";
    case ConstantUse::kMask:
      return "mask";
    case ConstantUse::kBound:
      return "bound";
    case ConstantUse::kEnumerator:
      return "enumerator";
  }
  return "unknown";
}

void NormalizeConstants(std::vector<HarvestedConstant>& constants) {
  std::sort(constants.begin(), constants.end());
  constants.erase(std::unique(constants.begin(), constants.end()), constants.end());
}

void NormalizeStrings(std::vector<HarvestedString>& strings) {
  std::sort(strings.begin(), strings.end());
  strings.erase(std::unique(strings.begin(), strings.end()), strings.end());
}

}  // namespace ast_seeder
