// The dictionary and seed inputs of a libFuzzer search. runner/ and permuter/ only.
#include "permuter/fuzz_inputs.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <utility>

#include "permuter/seeds.h"
#include "permuter/value_order.h"

namespace kt::permuter {
namespace {

// The narrowest of 1, 2, 4 and 8 bytes whose two's complement holds `v`.
std::size_t NarrowestWidth(const Integer& v) {
  for (const int bits : {8, 16, 32}) {
    if (v.FitsIn(bits, v.negative())) return static_cast<std::size_t>(bits / 8);
  }
  return 8;
}

std::string LittleEndian(std::uint64_t bits, std::size_t width) {
  std::string out;
  for (std::size_t i = 0; i < width; ++i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  return out;
}

bool FitsColumns(std::span<const ColumnSchema> columns, std::span<const Value> values) {
  if (values.size() != columns.size()) return false;
  for (std::size_t c = 0; c < values.size(); ++c) {
    if (CheckValue(columns[c], values[c])) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> DictionaryWords(std::span<const std::string> strings,
                                         std::span<const Integer> constants) {
  std::set<std::string> words;
  for (const std::string& s : strings) {
    if (!s.empty()) words.insert(s.substr(0, kMaxDictionaryWord));
  }
  for (const Integer& c : constants) {
    const std::size_t width = NarrowestWidth(c);
    words.insert(LittleEndian(c.bits(), width));
    if (width < 4) words.insert(LittleEndian(c.bits(), 4));
  }
  return {words.begin(), words.end()};
}

std::string FormatDictionary(std::span<const std::string> words) {
  std::string out;
  for (const std::string& word : words) {
    out += '"';
    for (const char ch : word) {
      const auto u = static_cast<unsigned char>(ch);
      if (u >= 0x20 && u < 0x7f && ch != '"' && ch != '\\') {
        out += ch;
      } else {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", u);
        out += buf;
      }
    }
    out += "\"\n";
  }
  return out;
}

std::vector<Value> TextSeeds(const ColumnSchema& column, std::span<const std::string> strings) {
  std::vector<Value> out;
  if (Expected<std::vector<Value>> seeds = SeedValues(column, {}); seeds) {
    out = std::move(seeds).assume_value();
  }
  const std::size_t max_len = TextMaxLen(column);
  for (const std::string& s : strings) {
    std::string cut = s.substr(0, max_len);
    out.push_back(column.kind == ParamKind::kBytes ? Value::Bytes(std::move(cut))
                                                   : Value::String(std::move(cut)));
  }
  std::sort(out.begin(), out.end(),
            [](const Value& a, const Value& b) { return CompareValues(a, b) < 0; });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

SeedCorpus SeedInputs(const FuzzCodec& codec, std::span<const ColumnSchema> columns,
                      std::span<const std::vector<Value>> domains,
                      std::span<const std::string> strings, std::span<const PreviousRow> previous,
                      std::uint64_t limit) {
  SeedCorpus corpus;
  std::set<std::string> seen;
  const auto add = [&](std::string input) {
    if (!input.empty() && seen.insert(input).second) corpus.inputs.push_back(std::move(input));
  };
  for (const PreviousRow& row : previous) {
    if (FitsColumns(columns, row.values)) add(codec.Encode(row.values));
  }
  std::vector<std::vector<Value>> choices(columns.size());
  std::vector<std::size_t> sizes;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    choices[c] = IsText(columns[c]) ? TextSeeds(columns[c], strings)
                 : c < domains.size() ? domains[c]
                                      : std::vector<Value>{};
    sizes.push_back(choices[c].size());
  }
  const CoveringArray array = BuildCoveringArray(sizes, limit);
  corpus.strength = array.strength;
  for (const std::vector<std::uint32_t>& row : array.rows) {
    std::vector<Value> values;
    for (std::size_t c = 0; c < row.size(); ++c) values.push_back(choices[c][row[c]]);
    add(codec.Encode(values));
  }
  return corpus;
}

}  // namespace kt::permuter
