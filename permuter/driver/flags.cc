// Command-line parsing of the suite driver. The standard library and runner/error.h only.
#include "permuter/driver/flags.h"

#include <algorithm>
#include <charconv>

namespace kt::driver {
namespace {

struct CommandName {
  std::string_view name;
  Command command;
};
constexpr CommandName kCommands[] = {
    {"list", Command::kList},
    {"generate", Command::kGenerate},
    {"check", Command::kCheck},
    {"report", Command::kReport},
    {"help", Command::kHelp},
};

Error Usage(const std::string& message) { return MakeError(FlagError::kUsage, message); }

// A whole decimal number in [min, max].
std::optional<std::uint64_t> ParseCount(std::string_view s, std::uint64_t min, std::uint64_t max) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v < min || v > max) {
    return std::nullopt;
  }
  return v;
}

// Splits "--flag=value" and "--flag value"; flags without a value take none.
class ArgCursor {
 public:
  explicit ArgCursor(std::span<const char* const> args) : args_(args) {}

  bool Done() const { return next_ >= args_.size(); }
  std::string_view Next() { return args_[next_++]; }

  // The value of `flag` (already split off `arg` when given as --flag=value).
  Expected<std::string> Value(std::string_view flag, std::optional<std::string_view> inline_value) {
    if (inline_value) return std::string(*inline_value);
    if (Done()) return Usage(std::string(flag) + " needs a value");
    return std::string(Next());
  }

 private:
  std::span<const char* const> args_;
  std::size_t next_ = 1;
};

Expected<std::uint64_t> CountFlag(ArgCursor& cursor, std::string_view flag,
                                  std::optional<std::string_view> inline_value, std::uint64_t min,
                                  std::uint64_t max, std::string_view what) {
  Expected<std::string> v = cursor.Value(flag, inline_value);
  if (!v) return std::move(v).assume_error();
  const std::optional<std::uint64_t> n = ParseCount(v.value(), min, max);
  if (!n) {
    return Usage(std::string(flag) + " takes " + std::string(what) + " from " +
                 std::to_string(min) + " to " + std::to_string(max) + ", not '" + v.value() + "'");
  }
  return *n;
}

// One flag (and its value) into `o`; --help sets *help.
Expected<void> ApplyFlag(ArgCursor& cursor, std::string_view arg, DriverOptions& o, bool* help) {
  std::string_view flag = arg;
  std::optional<std::string_view> inline_value;
  if (const std::size_t eq = arg.find('='); eq != std::string_view::npos) {
    flag = arg.substr(0, eq);
    inline_value = arg.substr(eq + 1);
  }
  if (flag == "--json" || flag == "--details" || flag == "--help" || flag == "-h") {
    if (inline_value) return Usage(std::string(flag) + " takes no value");
    if (flag == "--json") o.json = true;
    if (flag == "--details") o.details = true;
    if (flag == "--help" || flag == "-h") *help = true;
    return outcome::success();
  }
  if (flag == "--kernel" || flag == "--tables" || flag == "--seeds" || flag == "--html") {
    Expected<std::string> v = cursor.Value(flag, inline_value);
    if (!v) return std::move(v).assume_error();
    if (v.value().empty()) return Usage(std::string(flag) + " needs a non-empty value");
    if (flag == "--kernel") o.kernels.push_back(std::move(v).value());
    if (flag == "--tables") o.tables_dir = v.value();
    if (flag == "--seeds") o.seeds_dir = v.value();
    if (flag == "--html") o.html = v.value();
    return outcome::success();
  }
  if (flag == "--jobs" || flag == "-j") {
    Expected<std::uint64_t> n = CountFlag(cursor, flag, inline_value, 1, kMaxJobs, "a count");
    if (!n) return std::move(n).assume_error();
    o.jobs = static_cast<unsigned>(n.value());
    return outcome::success();
  }
  if (flag == "--budget") {
    Expected<std::uint64_t> n =
        CountFlag(cursor, flag, inline_value, 1, UINT64_MAX, "a count of executions");
    if (!n) return std::move(n).assume_error();
    o.budget = n.value();
    return outcome::success();
  }
  if (flag == "--timeout_ms") {
    Expected<std::uint64_t> n =
        CountFlag(cursor, flag, inline_value, 1, 3'600'000, "milliseconds");
    if (!n) return std::move(n).assume_error();
    o.timeout = std::chrono::milliseconds(n.value());
    return outcome::success();
  }
  return Usage("unknown flag '" + std::string(flag) + "'");
}

// Flags that make no sense for the subcommand are errors, not silently ignored.
Expected<void> CheckApplies(const DriverOptions& o, std::span<const char* const> args) {
  const auto given = [&](std::string_view flag) {
    return std::any_of(args.begin() + 1, args.end(), [&](const char* a) {
      const std::string_view s = a;
      return s == flag || (s.size() > flag.size() && s.substr(0, flag.size()) == flag &&
                           s[flag.size()] == '=');
    });
  };
  if (o.budget && o.command != Command::kGenerate) {
    return Usage("--budget applies to generate only (check uses each table's own budget)");
  }
  if (o.command != Command::kReport && (!o.html.empty() || o.details)) {
    return Usage(std::string(o.details ? "--details" : "--html") + " applies to report only");
  }
  if (o.details && o.json) {
    return Usage("--details shapes the text report; --json always has every detail");
  }
  if (o.command == Command::kList && (given("--jobs") || given("-j") || given("--timeout_ms"))) {
    return Usage(std::string(given("--timeout_ms") ? "--timeout_ms" : "--jobs") +
                 " does not apply to list, which runs nothing");
  }
  return outcome::success();
}

}  // namespace

const char* ToString(FlagError e) noexcept {
  switch (e) {
    case FlagError::kUsage: return "usage";
  }
  return "unknown";
}

const std::error_category& FlagCategory() noexcept {
  static const kt::internal::EnumCategory<FlagError> category("kt.driver_flags");
  return category;
}

std::error_code make_error_code(FlagError e) noexcept {
  return {static_cast<int>(e), FlagCategory()};
}

Expected<DriverOptions> ParseDriverFlags(std::span<const char* const> args,
                                         const SuiteDefaults& defaults) {
  DriverOptions o;
  o.tables_dir = defaults.tables_dir;
  o.seeds_dir = defaults.seeds_dir;
  std::optional<Command> command;
  bool help = false;
  ArgCursor cursor(args);
  while (!cursor.Done()) {
    const std::string_view arg = cursor.Next();
    if (arg.size() > 1 && arg[0] == '-') {
      KT_TRY(ApplyFlag(cursor, arg, o, &help));
      continue;
    }
    const auto* known = std::find_if(std::begin(kCommands), std::end(kCommands),
                                     [&](const CommandName& c) { return c.name == arg; });
    if (known == std::end(kCommands)) {
      return Usage("unknown subcommand '" + std::string(arg) +
                   "' (expected list, generate, check or report)");
    }
    if (command) return Usage("two subcommands: '" + std::string(arg) + "' after another");
    command = known->command;
  }
  if (help || command == Command::kHelp) {
    o.command = Command::kHelp;
    return o;
  }
  if (!command) return Usage("no subcommand (expected list, generate, check or report)");
  o.command = *command;
  KT_TRY(CheckApplies(o, args));
  if (o.tables_dir.empty()) return Usage("--tables DIR is required: this binary has no default");
  if (o.seeds_dir.empty() && (o.command == Command::kGenerate || o.command == Command::kCheck)) {
    return Usage("--seeds DIR is required: this binary has no default");
  }
  return o;
}

std::string Usage(std::string_view program, const SuiteDefaults& defaults) {
  const std::string budget = defaults.budget == 0 ? std::string("the permuter's default")
                                                  : std::to_string(defaults.budget);
  return "usage: " + std::string(program) +
         " <list|generate|check|report> [flags]\n"
         "  list       the kernels of suite '" + defaults.suite + "' and their tables\n"
         "  generate   search every kernel and write its table (atomically)\n"
         "  check      regenerate in memory; fail with a diff if any table is stale, or if a\n"
         "             kernel's rows reach less than its table header records\n"
         "  report     per kernel: edges the table's rows reach / can reach, unreached edges\n"
         "             with their source lines, paths per function and the rows taking them\n"
         "flags:\n"
         "  --kernel K       only kernel K (repeatable)\n"
         "  --jobs N, -j N   run N kernels at once, in separate processes (default 1)\n"
         "  --budget N       generate: executions per kernel (default " + budget + ")\n"
         "  --timeout_ms N   per execution; a hang is a finding (default 1000)\n"
         "  --json           print one JSON document instead of lines (report: the report's)\n"
         "  --html FILE      report: also write the report as one self-contained HTML page\n"
         "  --details        report: after the table, each kernel's unreached edges and paths\n"
         "  --tables DIR     default " + defaults.tables_dir.string() + "\n"
         "  --seeds DIR      default " + defaults.seeds_dir.string() + "\n"
         "exit: 0 ok, 1 a stale or missing table, a coverage drop (check) or a finding,\n"
         "      2 a usage or setup error\n";
}

}  // namespace kt::driver
