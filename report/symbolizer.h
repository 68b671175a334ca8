// PCs to source locations through llvm-symbolizer-19: one long-lived process per Symbolizer,
// queried in batches by module path and module-relative offset (run-time PCs move with ASLR;
// the debug information numbers the file). Also the source lines the locations name. POSIX,
// runner/error.h and report/program_map.h only; no DWARF parsing of its own.
#pragma once

#include <sys/types.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <type_traits>
#include <vector>

#include "report/program_map.h"
#include "runner/error.h"

namespace kt::report {

enum class SymbolizerError {
  kNotFound = 1,  // no llvm-symbolizer at the given path or any default one
  kSpawn,         // socketpair() or posix_spawn() failed
  kIo,            // the process closed its output or a read or write failed
  kTimeout,       // no answer within SymbolizerOptions::timeout
};
const char* ToString(SymbolizerError e) noexcept;
const std::error_category& SymbolizerCategory() noexcept;
std::error_code make_error_code(SymbolizerError e) noexcept;

// Where Start() looks when SymbolizerOptions::path is empty, in order. Debian's llvm-19
// package installs both.
inline constexpr std::array<const char*, 2> kSymbolizerCandidates = {
    "/usr/bin/llvm-symbolizer-19", "/usr/lib/llvm-19/bin/llvm-symbolizer"};

struct SymbolizerOptions {
  std::string path;  // empty: the first of kSymbolizerCandidates that is executable
  // A whole batch, not one address: a suite's few thousand addresses take well under this.
  std::chrono::milliseconds timeout{120'000};
};

// One source frame; an unknown part is empty (function, file) or 0 (line, column).
struct Frame {
  std::string function;  // demangled
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  friend bool operator==(const Frame&, const Frame&) = default;
};

// What one address is: its inlining chain, innermost frame first (at least one frame).
struct Symbol {
  std::vector<Frame> frames;
  // Where the code is written: the innermost frame.
  const Frame& location() const { return frames.front(); }
  // The function the code was compiled into: the outermost frame's.
  const std::string& function() const { return frames.back().function; }
};

// Owns one llvm-symbolizer process. Thread-compatible; movable, not copyable; the destructor
// ends the process (closing its input) and reaps it.
//
// Example usage:
//   Expected<Symbolizer> s = Symbolizer::Start();
//   if (!s) return s.error();
//   Expected<std::vector<Symbol>> symbols = s.value().Symbolize(addresses);
class Symbolizer {
 public:
  static Expected<Symbolizer> Start(const SymbolizerOptions& options = {});

  Symbolizer(Symbolizer&& other) noexcept;
  Symbolizer& operator=(Symbolizer&& other) noexcept;
  Symbolizer(const Symbolizer&) = delete;
  Symbolizer& operator=(const Symbolizer&) = delete;
  ~Symbolizer();

  // One Symbol per address, in order. An address the debug information does not know (or
  // a module path with a '"' or a newline, which the query syntax cannot carry) gets one
  // empty frame. After an error the process is gone and every later call fails with kIo.
  Expected<std::vector<Symbol>> Symbolize(std::span<const ModuleAddress> addresses);

 private:
  Symbolizer(pid_t pid, int socket, std::chrono::milliseconds timeout) noexcept
      : pid_(pid), socket_(socket), timeout_(timeout) {}
  void Stop() noexcept;

  pid_t pid_ = -1;
  int socket_ = -1;  // the process's stdin and stdout
  std::chrono::milliseconds timeout_;
};

// The lines of source files, read once each. Thread-compatible.
class SourceFiles {
 public:
  // Line `line` (1-based) of `file` without its line break, or null when the file cannot be
  // read or is shorter. The pointer lives as long as this object.
  const std::string* Line(const std::string& file, std::uint32_t line);
  // Lines in `file`, 0 when it cannot be read.
  std::size_t NumLines(const std::string& file);

 private:
  const std::vector<std::string>* Lines(const std::string& file);

  std::map<std::string, std::optional<std::vector<std::string>>> files_;
};

}  // namespace kt::report

template <>
struct std::is_error_code_enum<kt::report::SymbolizerError> : std::true_type {};
