// --name=value flags, each at most once except --kernel.
#include "permuter/bench/bench_flags.h"

#include <charconv>
#include <optional>

namespace kt::permuter::bench {
namespace {

// A positive decimal number that fits T, or nullopt.
template <class T>
std::optional<T> Positive(std::string_view text) {
  T value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0) return std::nullopt;
  return value;
}

Error Usage(std::string_view arg, std::string_view why) {
  return MakeError(BenchError::kUsage, std::string(arg) + ": " + std::string(why));
}

}  // namespace

Expected<BenchOptions> ParseBenchFlags(std::span<const char* const> args,
                                       std::string default_fuzzer) {
  BenchOptions options;
  options.fuzzer = std::move(default_fuzzer);
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      options.help = true;
      continue;
    }
    const std::size_t eq = arg.find('=');
    if (!arg.starts_with("--") || eq == std::string_view::npos) {
      return Usage(arg, "expected --name=value");
    }
    const std::string_view name = arg.substr(2, eq - 2);
    const std::string_view value = arg.substr(eq + 1);
    if (name == "fuzzer" && !value.empty()) {
      options.fuzzer = value;
    } else if (name == "kernel" && !value.empty()) {
      options.kernels.emplace_back(value);
    } else if (name == "seeds") {
      const std::optional<std::uint32_t> seeds = Positive<std::uint32_t>(value);
      if (!seeds) return Usage(arg, "expected a positive number");
      options.seeds = *seeds;
    } else if (name == "runs") {
      const std::optional<std::uint64_t> runs = Positive<std::uint64_t>(value);
      if (!runs) return Usage(arg, "expected a positive number");
      options.runs = *runs;
    } else {
      return Usage(arg, "unknown flag or empty value");
    }
  }
  if (options.fuzzer.empty()) return Usage("--fuzzer", "no fuzz target given");
  return options;
}

std::string BenchUsage(std::string_view program) {
  return "Usage: " + std::string(program) +
         " [--fuzzer=PATH] [--seeds=N] [--runs=N] [--kernel=NAME]...\n"
         "Runs the permuter and libFuzzer (-use_value_profile=1) on the permuter's hard-branch\n"
         "kernels and prints, per kernel, the executions and wall time each needs to reach\n"
         "every edge of the kernel function, and their ratios.\n"
         "  --fuzzer=PATH  the fuzz target (permuter_bench_hard_fuzzer); built-in default\n"
         "  --seeds=N      libFuzzer runs per kernel, -seed=1..N, summarised by the median"
         " (default " +
         std::to_string(kDefaultSeeds) +
         ")\n"
         "  --runs=N       libFuzzer's -runs per run: the cap (default " +
         std::to_string(kDefaultRuns) +
         ")\n"
         "  --kernel=NAME  only this kernel (repeatable), e.g. hard.linear\n"
         "Exit status: 0, or 1 when the permuter missed an edge, 2 on a usage or setup error.\n";
}

}  // namespace kt::permuter::bench
