// What libFuzzer starts from for one kernel: the dictionary (every harvested string and byte
// constant, and the harvested integers as the bytes a stream would carry them in) and the
// seed inputs (the previous table's rows, then a covering array over the other columns'
// seeds and each text column's seeds). Pure and deterministic: runner/ values and schema and
// permuter/ only; never libFuzzer or a file.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "permuter/covering_array.h"
#include "permuter/fuzz_codec.h"
#include "permuter/search.h"
#include "runner/schema.h"
#include "runner/value.h"

namespace kt::permuter {

// libFuzzer ignores dictionary words longer than this (fuzzer::Word::kMaxSize).
inline constexpr std::size_t kMaxDictionaryWord = 64;

// The dictionary words, sorted and unique, none empty and none longer than
// kMaxDictionaryWord (a longer string contributes its first kMaxDictionaryWord bytes):
//   - every harvested string as it is;
//   - every harvested integer as little-endian bytes at the narrowest width of 1, 2, 4 or 8
//     that holds it (two's complement for negatives), and also at 4 bytes when narrower,
//     since compares promote to int and byte streams carry 32-bit fields.
//
// Example usage:
//   DictionaryWords({{"vfio-pci"}}, {{Integer(0x34)}})
//   // {"\x34", "\x34\0\0\0", "vfio-pci"}
std::vector<std::string> DictionaryWords(std::span<const std::string> strings,
                                         std::span<const Integer> constants);

// A libFuzzer -dict file: one "..." line per word, printable ASCII as is except '"' and
// '\', every other byte as \xNN.
std::string FormatDictionary(std::span<const std::string> words);

// The values a text column starts from: its SeedValues ("", one character, TextMaxLen
// characters) and every harvested string cut to TextMaxLen, of the column's kind, sorted
// (CompareValues) and unique.
std::vector<Value> TextSeeds(const ColumnSchema& column, std::span<const std::string> strings);

struct SeedCorpus {
  std::vector<std::string> inputs;
  Strength strength = Strength::kExhaustive;  // the covering array's
};

// The seed inputs, in the order libFuzzer should see them, unique and none empty (libFuzzer
// skips an empty file; it runs the empty input once by itself):
//   1. each previous row that fits the columns, encoded;
//   2. the rows of BuildCoveringArray over the domain of each non-text column and the
//      TextSeeds of each text column, with `limit` as its limit.
// `domains` holds each non-text column's values, as `codec` was built with.
//
// Example usage:
//   SeedCorpus seeds = SeedInputs(codec, columns, domains, {{"vfio-pci"}}, {}, 10'000);
//   for (const std::string& input : seeds.inputs) WriteSeedFile(input);
SeedCorpus SeedInputs(const FuzzCodec& codec, std::span<const ColumnSchema> columns,
                      std::span<const std::vector<Value>> domains,
                      std::span<const std::string> strings, std::span<const PreviousRow> previous,
                      std::uint64_t limit);

}  // namespace kt::permuter
