// libFuzzer's status line, as FuzzerLoop.cpp's PrintStats prints it, and the fuzz target's.
#include "permuter/bench/libfuzzer_log.h"

#include <charconv>

namespace kt::permuter::bench {
namespace {

// Consumes a decimal number at the front of `s`.
std::optional<std::uint64_t> TakeNumber(std::string_view& s) noexcept {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end == s.data()) return std::nullopt;
  s.remove_prefix(static_cast<std::size_t>(end - s.data()));
  return value;
}

void SkipBlanks(std::string_view& s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
}

bool TakePrefix(std::string_view& s, std::string_view prefix) noexcept {
  if (!s.starts_with(prefix)) return false;
  s.remove_prefix(prefix.size());
  return true;
}

}  // namespace

std::optional<StatusLine> ParseStatusLine(std::string_view line) noexcept {
  if (!TakePrefix(line, "#")) return std::nullopt;
  StatusLine status;
  const std::optional<std::uint64_t> executions = TakeNumber(line);
  if (!executions || line.empty() || (line.front() != '\t' && line.front() != ' ')) {
    return std::nullopt;
  }
  status.executions = *executions;
  SkipBlanks(line);
  const std::size_t event_end = line.find_first_of(" \t");
  status.event = line.substr(0, event_end);
  if (status.event.empty() || event_end == std::string_view::npos) return std::nullopt;
  line.remove_prefix(event_end);
  SkipBlanks(line);
  // "cov:" (like "ft:" and "corp:") is left out while it is zero; "exec/s:" never is.
  if (TakePrefix(line, "cov: ")) {
    const std::optional<std::uint64_t> cov = TakeNumber(line);
    if (!cov) return std::nullopt;
    status.cov = *cov;
  }
  if (line.find("exec/s: ") == std::string_view::npos) return std::nullopt;
  return status;
}

std::optional<std::uint64_t> ParseKernelEdges(std::string_view line) noexcept {
  if (!TakePrefix(line, kKernelEdgesTag)) return std::nullopt;
  const std::optional<std::uint64_t> edges = TakeNumber(line);
  if (!edges || (!line.empty() && line.front() != ' ')) return std::nullopt;
  return edges;
}

}  // namespace kt::permuter::bench
