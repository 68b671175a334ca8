// Myers' O(ND) difference algorithm over lines, after trimming the common head and tail,
// printed as diff -u prints it. The standard library only.
#include "permuter/driver/unified_diff.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace kt::driver {
namespace {

using Lines = std::vector<std::string_view>;

// Lines with their '\n', so a last line without one differs from the same line with one.
Lines Split(std::string_view text) {
  Lines lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::size_t n = end == std::string_view::npos ? text.size() : end + 1;
    lines.push_back(text.substr(0, n));
    text.remove_prefix(n);
  }
  return lines;
}

enum class Op : std::uint8_t { kKeep, kRemove, kAdd };

// The shortest edit script from a to b, or nullopt past kMaxDiffEdits edits. The trace keeps
// only the diagonals [-d, d] of each step: O(D^2) memory, not O(D(N+M)).
std::optional<std::vector<Op>> Myers(std::span<const std::string_view> a,
                                     std::span<const std::string_view> b) {
  const auto n = static_cast<std::int64_t>(a.size());
  const auto m = static_cast<std::int64_t>(b.size());
  const std::int64_t max = std::min<std::int64_t>(n + m, kMaxDiffEdits);
  std::vector<std::vector<std::int64_t>> trace;  // trace[d][k + d]: furthest x on diagonal k
  std::vector<std::int64_t> v(2 * max + 3, 0);
  const auto at = [&](std::int64_t k) -> std::int64_t& { return v[k + max + 1]; };
  std::int64_t found = -1;
  for (std::int64_t d = 0; d <= max && found < 0; ++d) {
    for (std::int64_t k = -d; k <= d; k += 2) {
      std::int64_t x = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? at(k + 1) : at(k - 1) + 1;
      std::int64_t y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      at(k) = x;
      if (x >= n && y >= m) found = d;
    }
    trace.emplace_back(v.begin() + (max + 1 - d), v.begin() + (max + 2 + d));
  }
  if (found < 0) return std::nullopt;
  std::vector<Op> ops;
  std::int64_t x = n, y = m;
  for (std::int64_t d = found; d > 0; --d) {
    const std::vector<std::int64_t>& prev = trace[d - 1];
    const auto prev_at = [&](std::int64_t k) { return prev[k + d - 1]; };
    const std::int64_t k = x - y;
    const bool down = k == -d || (k != d && prev_at(k - 1) < prev_at(k + 1));
    const std::int64_t prev_k = down ? k + 1 : k - 1;
    const std::int64_t prev_x = prev_at(prev_k);
    const std::int64_t prev_y = prev_x - prev_k;
    while (x > prev_x && y > prev_y) ops.push_back(Op::kKeep), --x, --y;
    ops.push_back(down ? Op::kAdd : Op::kRemove);
    x = prev_x;
    y = prev_y;
  }
  while (x > 0 && y > 0) ops.push_back(Op::kKeep), --x, --y;
  std::reverse(ops.begin(), ops.end());
  return ops;
}

// The edit script of the whole texts: common head, the middle's script (or, past the edit
// limit, all of it removed then added), common tail.
std::vector<Op> Script(const Lines& a, const Lines& b) {
  std::size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  std::size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head &&
         a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) {
    ++tail;
  }
  const std::span<const std::string_view> mid_a(a.data() + head, a.size() - head - tail);
  const std::span<const std::string_view> mid_b(b.data() + head, b.size() - head - tail);
  std::vector<Op> ops(head, Op::kKeep);
  if (std::optional<std::vector<Op>> mid = Myers(mid_a, mid_b)) {
    ops.insert(ops.end(), mid->begin(), mid->end());
  } else {
    ops.insert(ops.end(), mid_a.size(), Op::kRemove);
    ops.insert(ops.end(), mid_b.size(), Op::kAdd);
  }
  ops.insert(ops.end(), tail, Op::kKeep);
  return ops;
}

// "-3,2" in diff's conventions: a one-line range drops its length, an empty one names the
// line before it.
std::string Range(char sign, std::size_t start, std::size_t length) {
  std::string s(1, sign);
  s += std::to_string(length == 0 ? start : start + 1);
  if (length != 1) s += "," + std::to_string(length);
  return s;
}

void AppendLine(char sign, std::string_view line, std::string* out) {
  out->push_back(sign);
  out->append(line);
  if (line.empty() || line.back() != '\n') out->append("\n\\ No newline at end of file\n");
}

}  // namespace

std::string UnifiedDiff(std::string_view before, std::string_view after,
                        std::string_view before_label, std::string_view after_label,
                        std::size_t context) {
  if (before == after) return {};
  const Lines a = Split(before);
  const Lines b = Split(after);
  const std::vector<Op> ops = Script(a, b);
  std::string out = "--- " + std::string(before_label) + "\n+++ " + std::string(after_label) + "\n";
  // Walk the script hunk by hunk; ia and ib count lines of a and b before position i.
  std::size_t i = 0, ia = 0, ib = 0;
  while (i < ops.size()) {
    if (ops[i] == Op::kKeep) {
      ++i, ++ia, ++ib;
      continue;
    }
    // A change at i: the hunk starts `context` keeps earlier and ends once more than
    // 2 * context keeps follow its last change.
    const std::size_t lead = std::min({context, ia, ib});
    std::size_t end = i;
    std::size_t last_change = i;
    while (end < ops.size()) {
      if (ops[end] != Op::kKeep) last_change = end;
      if (end - last_change > 2 * context) break;
      ++end;
    }
    end = std::min(ops.size(), last_change + 1 + context);
    std::size_t len_a = lead, len_b = lead;
    for (std::size_t j = i; j < end; ++j) {
      len_a += ops[j] != Op::kAdd;
      len_b += ops[j] != Op::kRemove;
    }
    out += "@@ " + Range('-', ia - lead, len_a) + " " + Range('+', ib - lead, len_b) + " @@\n";
    for (std::size_t j = 0; j < lead; ++j) AppendLine(' ', a[ia - lead + j], &out);
    for (; i < end; ++i) {
      switch (ops[i]) {
        case Op::kKeep: AppendLine(' ', a[ia], &out), ++ia, ++ib; break;
        case Op::kRemove: AppendLine('-', a[ia], &out), ++ia; break;
        case Op::kAdd: AppendLine('+', b[ib], &out), ++ib; break;
      }
    }
  }
  return out;
}

}  // namespace kt::driver
