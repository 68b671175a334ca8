// libFuzzer inputs to call sets and back. runner/ values and schema and the standard library.
#include "permuter/fuzz_codec.h"

#include <algorithm>
#include <utility>

namespace kt::permuter {
namespace {

// A domain indexable by a 2-byte choice; larger domains are used up to this many values.
constexpr std::size_t kMaxChoices = 65536;
constexpr std::size_t kLengthBytes = 2;

std::size_t ChoiceWidth(std::size_t domain_size) {
  if (domain_size <= 1) return 0;
  return domain_size <= 256 ? 1 : 2;
}

// Reads `width` little-endian bytes at `*pos`, zero past the end, and advances `*pos`.
std::size_t ReadLe(std::span<const std::uint8_t> data, std::size_t width, std::size_t* pos) {
  std::size_t v = 0;
  for (std::size_t i = 0; i < width; ++i) {
    const std::size_t at = *pos + i;
    if (at < data.size()) v |= static_cast<std::size_t>(data[at]) << (8 * i);
  }
  *pos += width;
  return v;
}

void AppendLe(std::string* out, std::size_t v, std::size_t width) {
  for (std::size_t i = 0; i < width; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

}  // namespace

bool IsText(const ColumnSchema& column) noexcept {
  return column.kind == ParamKind::kString || column.kind == ParamKind::kBytes;
}

bool HasTextColumn(std::span<const ColumnSchema> columns) noexcept {
  return std::any_of(columns.begin(), columns.end(), [](const ColumnSchema& c) { return IsText(c); });
}

std::size_t TextMaxLen(const ColumnSchema& column) noexcept {
  return column.max_len != 0 ? column.max_len : kDefaultTextMaxLen;
}

FuzzCodec::FuzzCodec(std::span<const ColumnSchema> columns, std::vector<std::vector<Value>> domains)
    : domains_(std::move(domains)) {
  domains_.resize(columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c) {
    Slot slot;
    slot.text = IsText(columns[c]);
    if (slot.text) {
      slot.max_len = TextMaxLen(columns[c]);
      slot.bytes = columns[c].kind == ParamKind::kBytes;
      last_text_ = c;
    } else {
      if (domains_[c].size() > kMaxChoices) domains_[c].resize(kMaxChoices);
      slot.width = ChoiceWidth(domains_[c].size());
    }
    slots_.push_back(slot);
  }
  for (std::size_t c = 0; c < slots_.size(); ++c) {
    const Slot& slot = slots_[c];
    max_size_ += slot.text ? slot.max_len + (c == last_text_ ? 0 : kLengthBytes) : slot.width;
  }
}

std::vector<Value> FuzzCodec::Decode(std::span<const std::uint8_t> data) const {
  std::vector<Value> values(slots_.size());
  std::size_t pos = 0;
  std::vector<std::size_t> lengths(slots_.size(), 0);
  for (std::size_t c = 0; c < slots_.size(); ++c) {
    const Slot& slot = slots_[c];
    if (!slot.text) {
      const std::vector<Value>& domain = domains_[c];
      const std::size_t choice = ReadLe(data, slot.width, &pos);
      if (!domain.empty()) values[c] = domain[choice % domain.size()];
    } else if (c != last_text_) {
      lengths[c] = ReadLe(data, kLengthBytes, &pos);
    }
  }
  for (std::size_t c = 0; c < slots_.size(); ++c) {
    const Slot& slot = slots_[c];
    if (!slot.text) continue;
    const std::size_t left = pos < data.size() ? data.size() - pos : 0;
    const std::size_t want = c == last_text_ ? left : lengths[c];
    const std::size_t n = std::min({want, left, slot.max_len});
    std::string text(reinterpret_cast<const char*>(data.data()) + (n == 0 ? 0 : pos), n);
    pos += n;
    values[c] = slot.bytes ? Value::Bytes(std::move(text)) : Value::String(std::move(text));
  }
  return values;
}

std::string FuzzCodec::Encode(std::span<const Value> call_set) const {
  std::string out;
  std::string texts;
  for (std::size_t c = 0; c < slots_.size() && c < call_set.size(); ++c) {
    const Slot& slot = slots_[c];
    if (!slot.text) {
      const std::vector<Value>& domain = domains_[c];
      const auto it = std::find(domain.begin(), domain.end(), call_set[c]);
      AppendLe(&out, it == domain.end() ? 0 : static_cast<std::size_t>(it - domain.begin()),
               slot.width);
      continue;
    }
    const std::string& text = call_set[c].as_string();
    const std::size_t n = std::min(text.size(), slot.max_len);
    if (c != last_text_) AppendLe(&out, n, kLengthBytes);
    texts.append(text, 0, n);
  }
  return out + texts;
}

}  // namespace kt::permuter
