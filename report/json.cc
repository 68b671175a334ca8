// The JSON renderer (report/json.h). report/ and the standard library only.
#include "report/json.h"

#include <cstdio>
#include <string_view>

#include "report/internal/text.h"

namespace kt::report {
namespace {

// Appends members and elements with two-space indentation; the caller keeps the nesting
// balanced. Thread-compatible.
class Writer {
 public:
  void Open(char bracket) {
    Separate();
    out_ += bracket;
    first_ = true;
    ++depth_;
  }
  void Close(char bracket) {
    --depth_;
    if (!first_) Newline();
    out_ += bracket;
    first_ = false;
  }
  void Key(std::string_view key) {
    Separate();
    out_ += internal::JsonQuote(key) + ": ";
    pending_value_ = true;
  }
  void Raw(std::string_view value) {
    Separate();
    out_ += value;
  }
  void String(std::string_view value) { Raw(internal::JsonQuote(value)); }
  void Number(std::uint64_t value) { Raw(std::to_string(value)); }
  void Bool(bool value) { Raw(value ? "true" : "false"); }
  std::string Take() { return std::move(out_) + "\n"; }

 private:
  void Separate() {
    if (pending_value_) {
      pending_value_ = false;
      return;
    }
    if (!first_) out_ += ',';
    if (depth_ > 0) Newline();
    first_ = false;
  }
  void Newline() { out_ += "\n" + std::string(2 * depth_, ' '); }

  std::string out_;
  int depth_ = 0;
  bool first_ = true;
  bool pending_value_ = false;
};

void Edges(Writer& w, std::string_view key, const EdgeFigures& f) {
  w.Key(key);
  w.Open('{');
  w.Key("reached");
  w.Number(f.reached);
  w.Key("reachable");
  w.Number(f.reachable);
  char ratio[32];
  std::snprintf(ratio, sizeof ratio, "%.4f", Coverage(f));
  w.Key("coverage");
  w.Raw(ratio);
  w.Close('}');
}

void Paths(Writer& w, const PathCounts& paths) {
  w.Key("paths");
  w.Open('{');
  for (std::size_t i = 0; i < kNumPathKinds; ++i) {
    w.Key(ToString(static_cast<PathKind>(i + 1)));
    w.Open('{');
    w.Key("total");
    w.Number(paths.total[i]);
    w.Key("exercised");
    w.Number(paths.exercised[i]);
    w.Close('}');
  }
  w.Close('}');
}

void Site(Writer& w, const SourceSite& site) {
  w.Key("file");
  w.String(site.file);
  w.Key("line");
  w.Number(site.line);
  w.Key("column");
  w.Number(site.column);
  w.Key("function");
  w.String(site.function);
}

void Unreached(Writer& w, const EdgeReport& e) {
  w.Open('{');
  w.Key("edge");
  w.Number(e.edge);
  w.Key("module");
  w.String(e.address.module);
  w.Key("offset");
  w.Number(e.address.offset);
  Site(w, e.site);
  w.Key("under_test");
  w.Bool(e.under_test);
  w.Key("text");
  if (e.site.text) {
    w.String(*e.site.text);
  } else {
    w.Raw("null");
  }
  w.Close('}');
}

void Function(Writer& w, const FunctionReport& f) {
  w.Open('{');
  w.Key("name");
  w.String(f.site.function);
  w.Key("file");
  w.String(f.site.file);
  w.Key("line");
  w.Number(f.site.line);
  Edges(w, "edges", f.figures);
  w.Key("has_control_flow");
  w.Bool(f.has_control_flow);
  w.Key("observed_only");
  w.Bool(f.observed_only);
  Paths(w, f.paths);
  w.Key("limits");
  w.Open('{');
  w.Key("max_paths");
  w.Bool(f.hit_max_paths);
  w.Key("max_steps");
  w.Bool(f.hit_max_steps);
  w.Key("cut_by_length");
  w.Number(f.cut_by_length);
  w.Key("cut_by_loop_bound");
  w.Number(f.cut_by_loop_bound);
  w.Close('}');
  w.Close('}');
}

void Kernel(Writer& w, const KernelReport& k) {
  w.Open('{');
  w.Key("name");
  w.String(k.name);
  w.Key("source");
  w.String(k.source);
  Edges(w, "edges", k.figures);
  w.Key("recorded");
  if (k.recorded) {
    w.Open('{');
    w.Key("reached");
    w.Number(k.recorded->edges_reached);
    w.Key("reachable");
    w.Number(k.recorded->edges_reachable);
    w.Close('}');
  } else {
    w.Raw("null");
  }
  w.Key("rows");
  w.Number(k.rows.size());
  w.Key("entry_instrumented");
  w.Bool(k.entry_instrumented);
  w.Key("calls_indirect");
  w.Bool(k.calls_indirect);
  w.Key("observed_functions");
  w.Number(k.observed_functions);
  w.Key("without_control_flow");
  w.Number(k.without_control_flow);
  w.Key("outside_root");
  w.Open('{');
  w.Key("functions");
  w.Number(k.outside_functions);
  Edges(w, "edges", k.outside_figures);
  w.Close('}');
  Paths(w, KernelPathCounts(k));
  w.Key("unreached");
  w.Open('[');
  for (const EdgeReport& e : k.unreached) Unreached(w, e);
  w.Close(']');
  w.Key("functions");
  w.Open('[');
  for (const FunctionReport& f : k.functions) Function(w, f);
  w.Close(']');
  w.Close('}');
}

}  // namespace

std::string RenderJson(const SuiteReport& report) {
  Writer w;
  w.Open('{');
  w.Key("suite");
  w.String(report.suite);
  w.Key("limits");
  w.Open('{');
  w.Key("loop_bound");
  w.Number(report.limits.loop_bound);
  w.Key("max_length");
  w.Number(report.limits.max_length);
  w.Key("max_paths");
  w.Number(report.limits.max_paths);
  w.Key("max_steps");
  w.Number(report.limits.max_steps);
  w.Close('}');
  Edges(w, "edges", report.total);
  w.Key("kernels");
  w.Open('[');
  for (const KernelReport& k : report.kernels) Kernel(w, k);
  w.Close(']');
  w.Close('}');
  return w.Take();
}

}  // namespace kt::report
