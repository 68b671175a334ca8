// The HTML renderer (report/html.h). report/ and the standard library only.
#include "report/html.h"

#include <algorithm>
#include <cstdio>
#include <string_view>

#include "report/internal/text.h"

namespace kt::report {
namespace {

using internal::HtmlEscape;

constexpr std::string_view kStyle = R"css(
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #1d1d1f; }
h1 { font-size: 1.5em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.05em; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { padding: .2em .6em; border-bottom: 1px solid #e4e4e4; text-align: left; vertical-align: top; }
th[data-key] { cursor: pointer; user-select: none; }
th[aria-sort=ascending]::after { content: " \25b2"; } th[aria-sort=descending]::after { content: " \25bc"; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.bar { display: inline-block; width: 6em; height: .7em; background: #f3c0c0; margin-right: .4em; }
.bar span { display: block; height: 100%; background: #4caf50; }
code, pre { font: 12px/1.35 ui-monospace, monospace; }
pre.listing { background: #fafafa; border: 1px solid #ddd; padding: .4em 0; overflow-x: auto; }
pre.listing span.line { display: block; padding: 0 .6em; white-space: pre; }
pre.listing span.gap { display: block; color: #999; padding: 0 .6em; }
span.no { display: inline-block; width: 4em; color: #888; text-align: right; margin-right: 1em; }
span.hit { background: #d7f5dc; } span.miss { background: #fbd3d3; } span.part { background: #fbf0c0; }
li.path.exercised { color: #1b5e20; } li.path.missed { color: #8a1c1c; }
.legend span { padding: 0 .5em; margin-right: .5em; }
.warn { color: #8a5a00; }
)css";

constexpr std::string_view kScript = R"js(
(function () {
  var table = document.getElementById('kernels');
  if (!table) return;
  var body = table.tBodies[0];
  var key = 'coverage', ascending = true;
  function value(row, k) {
    return k === 'kernel' ? row.getAttribute('data-kernel') : parseFloat(row.getAttribute('data-' + k));
  }
  function sort() {
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a, key), y = value(b, key);
      var c = x < y ? -1 : x > y ? 1 : 0;
      if (c === 0) c = a.getAttribute('data-kernel') < b.getAttribute('data-kernel') ? -1 : 1;
      return ascending ? c : -c;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.querySelectorAll('th[data-key]'), function (th) {
      if (th.getAttribute('data-key') === key) {
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      } else {
        th.removeAttribute('aria-sort');
      }
    });
    document.body.setAttribute('data-sorted', key + '-' + (ascending ? 'asc' : 'desc'));
  }
  table.tHead.addEventListener('click', function (event) {
    var th = event.target.closest('th[data-key]');
    if (!th) return;
    var k = th.getAttribute('data-key');
    ascending = k === key ? !ascending : true;
    key = k;
    sort();
  });
  sort();
})();
)js";

std::string Figures(const EdgeFigures& f) {
  return std::to_string(f.reached) + "/" + std::to_string(f.reachable);
}

std::string Ratio(const EdgeFigures& f) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6f", Coverage(f));
  return text;
}

std::string Bar(const EdgeFigures& f) {
  char width[32];
  std::snprintf(width, sizeof width, "%.1f", Coverage(f) * 100);
  return "<span class=\"bar\"><span style=\"width:" + std::string(width) + "%\"></span></span>";
}

std::string Location(const SourceSite& site) {
  if (site.file.empty()) return "(unknown)";
  return site.file + ":" + std::to_string(site.line) +
         (site.column != 0 ? ":" + std::to_string(site.column) : "");
}

void KernelTable(const SuiteReport& report, std::string* out) {
  *out += "<table id=\"kernels\"><thead><tr><th data-key=\"kernel\">Kernel</th>"
          "<th data-key=\"coverage\" class=\"num\">Coverage</th>"
          "<th data-key=\"reached\" class=\"num\">Edges reached</th>"
          "<th class=\"num\">Table header</th><th data-key=\"rows\" class=\"num\">Rows</th>"
          "<th class=\"num\">Paths exercised</th></tr></thead><tbody>\n";
  for (std::size_t i = 0; i < report.kernels.size(); ++i) {
    const KernelReport& k = report.kernels[i];
    const PathCounts paths = KernelPathCounts(k);
    *out += "<tr data-kernel=\"" + HtmlEscape(k.name) + "\" data-coverage=\"" +
            Ratio(k.figures) + "\" data-reached=\"" + std::to_string(k.figures.reached) +
            "\" data-reachable=\"" + std::to_string(k.figures.reachable) + "\" data-rows=\"" +
            std::to_string(k.rows.size()) + "\"><td><a href=\"#kernel-" + std::to_string(i) +
            "\">" + HtmlEscape(k.name) + "</a></td><td class=\"num cov\">" + Bar(k.figures) +
            FormatPercent(k.figures) + "</td><td class=\"num edges\">" + Figures(k.figures) +
            "</td><td class=\"num recorded\">" +
            (k.recorded ? Figures({k.recorded->edges_reached, k.recorded->edges_reachable})
                        : std::string("-")) +
            "</td><td class=\"num\">" + std::to_string(k.rows.size()) +
            "</td><td class=\"num paths\">" + std::to_string(paths.Exercised()) + "/" +
            std::to_string(paths.Total()) + "</td></tr>\n";
  }
  *out += "</tbody></table>\n";
}

std::string EdgeItem(const EdgeReport& e) {
  std::string item = "<li class=\"unreached-edge\" data-edge=\"" + std::to_string(e.edge) +
                     "\"><code class=\"loc\">" + HtmlEscape(Location(e.site)) +
                     "</code> in <code>" +
                     HtmlEscape(e.site.function.empty() ? "?" : e.site.function) + "</code>";
  if (e.site.text) item += "<pre>" + HtmlEscape(*e.site.text) + "</pre>";
  return item + "</li>\n";
}

void UnreachedEdges(const KernelReport& k, std::string* out) {
  *out += "<h3>Unreached edges (" + std::to_string(k.unreached.size()) + ")</h3>\n";
  if (k.unreached.empty()) {
    *out += "<p>The rows reach every reachable edge.</p>\n";
    return;
  }
  // Edges under test stay in view; those in other files (library headers) fold away.
  const auto outside = std::find_if(k.unreached.begin(), k.unreached.end(),
                                    [](const EdgeReport& e) { return !e.under_test; });
  *out += "<ul class=\"unreached\">\n";
  for (auto e = k.unreached.begin(); e != outside; ++e) *out += EdgeItem(*e);
  *out += "</ul>\n";
  if (outside == k.unreached.end()) return;
  *out += "<details><summary>" + std::to_string(k.unreached.end() - outside) +
          " outside the source root</summary><ul class=\"unreached outside\">\n";
  for (auto e = outside; e != k.unreached.end(); ++e) *out += EdgeItem(*e);
  *out += "</ul></details>\n";
}

std::string PathCells(const PathCounts& paths) {
  std::string cells;
  for (std::size_t i = 0; i < kNumPathKinds; ++i) {
    cells += "<td class=\"num\">" + std::to_string(paths.exercised[i]) + "/" +
             std::to_string(paths.total[i]) + "</td>";
  }
  return cells;
}

std::string PathItem(const PathReport& p, const KernelReport& k) {
  std::string lines;
  for (const std::uint32_t line : p.lines) {
    lines += (lines.empty() ? "" : " &#8594; ") + std::to_string(line);
  }
  const bool hit = p.rows_exercising != 0;
  std::string item = "<li class=\"path " + std::string(ToString(p.kind)) +
                     (hit ? " exercised" : " missed") + "\">" + ToString(p.kind) +
                     ": lines " + (lines.empty() ? "?" : lines);
  if (hit) {
    item += " &mdash; exercised by " + HtmlEscape(k.rows[*p.first_row]) +
            (p.rows_exercising > 1 ? " and " + std::to_string(p.rows_exercising - 1) + " more"
                                   : "");
  } else {
    item += " &mdash; no row";
  }
  return item + "</li>\n";
}

std::string Limits(const FunctionReport& f) {
  std::string limits;
  if (!f.has_control_flow) limits += " no control-flow table;";
  if (f.hit_max_paths) limits += " path limit hit;";
  if (f.hit_max_steps) limits += " work limit hit;";
  if (f.cut_by_length != 0) limits += " " + std::to_string(f.cut_by_length) + " cut by length;";
  if (f.cut_by_loop_bound != 0) {
    limits += " " + std::to_string(f.cut_by_loop_bound) + " loop turns bounded;";
  }
  return limits;
}

void Functions(const SuiteReport& report, const KernelReport& k, std::string* out) {
  *out += "<h3>Functions and paths (exercised/enumerated)</h3>\n<table class=\"functions\">"
          "<thead><tr><th>Function</th><th>Opens at</th><th class=\"num\">Edges</th>"
          "<th class=\"num\">Normal</th><th class=\"num\">Error</th>"
          "<th class=\"num\">Degenerate</th><th class=\"num\">Unreachable</th><th>Limits</th>"
          "</tr></thead><tbody>\n";
  for (const FunctionReport& f : k.functions) {
    *out += "<tr class=\"function\"><td><code>" + HtmlEscape(f.site.function) +
            (f.observed_only ? "</code> <small>(indirect)</small>" : "</code>") +
            "</td><td><code>" + HtmlEscape(Location(f.site)) + "</code></td><td class=\"num\">" +
            Figures(f.figures) + "</td>" + PathCells(f.paths) + "<td class=\"warn\">" +
            HtmlEscape(Limits(f)) + "</td></tr>\n";
    if (f.path_list.empty()) continue;
    *out += "<tr><td colspan=\"8\"><details><summary>paths: " +
            std::to_string(f.path_list.size()) + "</summary><ol>\n";
    for (std::size_t p = 0; p < f.path_list.size() && p < report.max_paths_shown; ++p) {
      *out += PathItem(f.path_list[p], k);
    }
    if (f.path_list.size() > report.max_paths_shown) {
      *out += "<li>" + std::to_string(f.path_list.size() - report.max_paths_shown) +
              " more not shown</li>\n";
    }
    *out += "</ol></details></td></tr>\n";
  }
  *out += "</tbody></table>\n";
}

void Listings(const KernelReport& k, std::string* out) {
  *out += "<h3>Source</h3>\n<p class=\"legend\"><span class=\"hit\">reached</span>"
          "<span class=\"part\">partly reached</span><span class=\"miss\">unreached</span></p>\n";
  for (const Listing& listing : k.listings) {
    *out += "<details open><summary><code>" + HtmlEscape(listing.file) +
            "</code></summary><pre class=\"listing\">";
    std::uint32_t previous = 0;
    for (const ListingLine& line : listing.lines) {
      if (previous != 0 && line.number != previous + 1) *out += "<span class=\"gap\">...</span>";
      previous = line.number;
      const char* mark = line.unreached == 0 ? (line.reached == 0 ? "" : " hit")
                                             : (line.reached == 0 ? " miss" : " part");
      *out += "<span class=\"line" + std::string(mark) + "\" data-line=\"" +
              std::to_string(line.number) + "\"><span class=\"no\">" +
              std::to_string(line.number) + "</span>" + HtmlEscape(line.text) + "</span>";
    }
    *out += "</pre></details>\n";
  }
}

void Kernel(const SuiteReport& report, std::size_t index, std::string* out) {
  const KernelReport& k = report.kernels[index];
  *out += "<section class=\"kernel\" id=\"kernel-" + std::to_string(index) + "\" data-kernel=\"" +
          HtmlEscape(k.name) + "\">\n<h2>" + HtmlEscape(k.name) + "</h2>\n<p>";
  if (!k.source.empty()) *out += "Registered at <code>" + HtmlEscape(k.source) + "</code>. ";
  *out += "Edges reached <span class=\"kernel-edges\">" + Figures(k.figures) + "</span> (" +
          FormatPercent(k.figures) + ") by " + std::to_string(k.rows.size()) + " rows";
  if (k.recorded) {
    *out += "; the table header records " +
            Figures({k.recorded->edges_reached, k.recorded->edges_reachable});
  }
  *out += ".</p>\n";
  if (!k.entry_instrumented) *out += "<p class=\"warn\">The kernel itself is not instrumented.</p>\n";
  if (k.calls_indirect) {
    *out += "<p>Indirect calls: " + std::to_string(k.observed_functions) +
            " functions reached through them were resolved from the rows' executions; targets "
            "no row took are not counted.</p>\n";
  }
  if (k.outside_functions != 0) {
    *out += "<p class=\"outside\">Outside the source root (standard library and other "
            "headers): " + std::to_string(k.outside_functions) + " functions, edges " +
            Figures(k.outside_figures) + ", counted above; not listed below.</p>\n";
  }
  if (k.without_control_flow != 0) {
    *out += "<p class=\"warn\">" + std::to_string(k.without_control_flow) +
            " reachable functions have no control-flow table: what they call is unknown.</p>\n";
  }
  UnreachedEdges(k, out);
  Functions(report, k, out);
  Listings(k, out);
  *out += "</section>\n";
}

}  // namespace

std::string RenderHtml(const SuiteReport& report) {
  const std::string title = "kerneltest coverage" +
                            (report.suite.empty() ? std::string() : ": " + report.suite);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n<title>" +
      HtmlEscape(title) + "</title>\n<style>" + std::string(kStyle) +
      "</style></head>\n<body data-sorted=\"none\">\n<h1>" + HtmlEscape(title) + "</h1>\n";
  out += "<p class=\"summary\">Edges reached over the suite: <span id=\"total-edges\">" +
         Figures(report.total) + "</span> (<span id=\"total-percent\">" +
         FormatPercent(report.total) + "</span>) in " + std::to_string(report.kernels.size()) +
         " kernels. Paths: loop bound " + std::to_string(report.limits.loop_bound) +
         ", at most " + std::to_string(report.limits.max_length) + " blocks and " +
         std::to_string(report.limits.max_paths) + " paths per function.</p>\n";
  KernelTable(report, &out);
  for (std::size_t i = 0; i < report.kernels.size(); ++i) Kernel(report, i, &out);
  out += "<script>" + std::string(kScript) + "</script>\n</body></html>\n";
  return out;
}

}  // namespace kt::report
