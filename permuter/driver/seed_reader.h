// Reads the ast_seeder's per-kernel JSON (docs/seeder-json.md) into the column schema and
// harvested constants the search starts from, and checks it against the kernel the binary
// registered. Strict: any member the format does not define, or lacks, is an error naming the
// file and the member. runner/ schema, registry and error only; never the search itself.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

#include "runner/error.h"
#include "runner/registry.h"
#include "runner/schema.h"
#include "runner/value.h"

namespace kt::driver {

inline constexpr std::string_view kSeedFormat = "kerneltest.seeder.v1";

enum class SeedError {
  kIo = 1,     // the file could not be read
  kJson,       // the file is not JSON (kt.json says how)
  kSchema,     // JSON, but not a seeder document: a member missing, unknown or out of range
  kSignature,  // a document that does not fit the registered kernel's parameters
};
const char* ToString(SeedError e) noexcept;
const std::error_category& SeedCategory() noexcept;
std::error_code make_error_code(SeedError e) noexcept;

// One kernel's permutation domain.
struct SeedDocument {
  std::string kernel;    // the KT_KERNEL name
  std::string function;  // qualified: hello::GreetKernel
  std::string source;    // relative to the seeder's --root
  int line = 0;
  // The parameters in order. Enumerator names are unqualified (kHappy) and enum_name is the
  // enum's own name (Mood), as tables spell them; range_lo/hi are set for KT_RANGE only.
  std::vector<ColumnSchema> columns;
  std::vector<Integer> constants;  // harvested values, ascending, without duplicates
  // Harvested strings and byte constants (the "strings" member's exact "hex" bytes),
  // ascending, without duplicates; seeds and dictionary words for string and bytes columns.
  std::vector<std::string> strings;
};

// Parses a document; `path` only names the file in messages, which read
// "<path>:<line>:<column>: <member>: <what>", e.g.
// "seeds/hello.greet.json:14:15: params[1].bits: 12 is not 8, 16, 32 or 64".
Expected<SeedDocument> ParseSeedDocument(std::string_view text, std::string_view path);
Expected<SeedDocument> ReadSeedDocument(const std::filesystem::path& path);

// kSignature when `seeds` names another kernel or its columns cannot drive `kernel`'s
// parameters (count, kind, integer width: runner's Incompatibility), which means the seeds
// are older than the binary.
Expected<void> CheckSeedsAgainstKernel(const SeedDocument& seeds, const KernelInfo& kernel,
                                       std::string_view path);

}  // namespace kt::driver

template <>
struct std::is_error_code_enum<kt::driver::SeedError> : std::true_type {};
