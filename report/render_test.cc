// Tests of the HTML and JSON renderers (report/html.h, report/json.h) on a hand-built report.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "report/html.h"
#include "report/internal/text.h"
#include "report/json.h"
#include "report/text.h"
#include "report/report.h"

namespace kt::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Two kernels: "b.full" reaches everything, "a.half" misses one edge on line 12.
SuiteReport TwoKernels() {
  SuiteReport r;
  r.suite = "demo";
  r.max_paths_shown = 1;
  r.total = {5, 6};
  KernelReport full;
  full.name = "b.full";
  full.figures = {2, 2};
  full.rows = {"row_0"};
  full.entry_instrumented = true;
  KernelReport half;
  half.name = "a.half";
  half.source = "kernels/a.cc:3";
  half.figures = {3, 4};
  half.recorded = TableStats{3, 4, 100, 1000, false};
  half.rows = {"row_0", "row_1"};
  half.entry_instrumented = true;
  SourceSite site{"src/a.cc", 12, 5, "Check(int)", "  if (x < 0 && y > \"<b>\") {"};
  half.unreached.push_back({7, {"/bin/t", 0x1234}, site, false, true});
  SourceSite header{"/usr/include/c++/12/bits/stl_tree.h", 300, 1, "std::_Rb_tree::find", "{"};
  half.unreached.push_back({9, {"/bin/t", 0x2000}, header, false, false});
  FunctionReport f;
  f.site = {"src/a.cc", 10, 0, "Check(int)", "int Check(int x) {"};
  f.figures = {3, 4};
  f.has_control_flow = true;
  f.paths.total = {2, 1, 0, 0};
  f.paths.exercised = {1, 1, 0, 0};
  f.cut_by_loop_bound = 1;
  f.path_list = {{PathKind::kNormal, {10, 11}, 2, 0},
                 {PathKind::kError, {10, 12}, 1, 1},
                 {PathKind::kNormal, {10, 13}, 0, std::nullopt}};
  half.functions.push_back(f);
  half.listings.push_back({"src/a.cc", {{10, "int Check(int x) {", 1, 0},
                                        {11, "  return 1;", 1, 0},
                                        {12, "  if (x < 0) {", 1, 1},
                                        {20, "  abort();", 0, 1}}});
  r.kernels = {full, half};
  return r;
}

TEST(RenderTest, HtmlIsSelfContained) {
  const std::string html = RenderHtml(TwoKernels());
  EXPECT_THAT(html, HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(html, HasSubstr("Content-Security-Policy"));
  EXPECT_THAT(html, Not(HasSubstr("http://")));
  EXPECT_THAT(html, Not(HasSubstr("https://")));
  EXPECT_THAT(html, Not(HasSubstr(" src=")));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
}

TEST(RenderTest, HtmlShowsEveryKernelsFiguresInTheSortableTable) {
  const std::string html = RenderHtml(TwoKernels());
  EXPECT_THAT(html, HasSubstr("<span id=\"total-edges\">5/6</span>"));
  EXPECT_THAT(html, HasSubstr("<tr data-kernel=\"a.half\" data-coverage=\"0.750000\" "
                              "data-reached=\"3\" data-reachable=\"4\""));
  EXPECT_THAT(html, HasSubstr("<tr data-kernel=\"b.full\" data-coverage=\"1.000000\""));
  EXPECT_THAT(html, HasSubstr("<th data-key=\"coverage\" class=\"num\">Coverage</th>"));
  EXPECT_THAT(html, HasSubstr("75.0%"));
  EXPECT_THAT(html, HasSubstr("<td class=\"num recorded\">3/4</td>"));
}

TEST(RenderTest, HtmlListsUnreachedEdgesWithEscapedSourceLines) {
  const std::string html = RenderHtml(TwoKernels());
  EXPECT_THAT(html, HasSubstr("<code class=\"loc\">src/a.cc:12:5</code>"));
  EXPECT_THAT(html, HasSubstr("if (x &lt; 0 &amp;&amp; y &gt; &quot;&lt;b&gt;&quot;) {"));
  EXPECT_THAT(html, Not(HasSubstr("\"<b>\"")));
}

TEST(RenderTest, HtmlFoldsUnreachedEdgesOutsideTheSourceRoot) {
  const std::string html = RenderHtml(TwoKernels());
  EXPECT_THAT(html, HasSubstr("<details><summary>1 outside the source root</summary>"
                              "<ul class=\"unreached outside\">\n<li class=\"unreached-edge\" "
                              "data-edge=\"9\">"));
}

TEST(RenderTest, HtmlColoursListingLinesByWhatTheRowsReach) {
  const std::string html = RenderHtml(TwoKernels());
  EXPECT_THAT(html, HasSubstr("<span class=\"line hit\" data-line=\"11\">"));
  EXPECT_THAT(html, HasSubstr("<span class=\"line part\" data-line=\"12\">"));
  EXPECT_THAT(html, HasSubstr("<span class=\"line miss\" data-line=\"20\">"));
  EXPECT_THAT(html, HasSubstr("<span class=\"gap\">...</span><span class=\"line miss\""));
}

TEST(RenderTest, HtmlShowsPathsUpToTheLimitAndWhichRowExercisesThem) {
  const std::string html = RenderHtml(TwoKernels());
  EXPECT_THAT(html, HasSubstr("normal: lines 10 &#8594; 11 &mdash; exercised by row_0 and 1 more"));
  EXPECT_THAT(html, HasSubstr("2 more not shown"));
  EXPECT_THAT(html, Not(HasSubstr("error: lines 10")));
  EXPECT_THAT(html, HasSubstr("1 loop turns bounded;"));
}

TEST(RenderTest, JsonCarriesTheSameFigures) {
  const std::string json = RenderJson(TwoKernels());
  EXPECT_THAT(json, HasSubstr("\"suite\": \"demo\""));
  EXPECT_THAT(json, HasSubstr("\"edges\": {\n    \"reached\": 5,\n    \"reachable\": 6,\n"
                              "    \"coverage\": 0.8333\n  }"));
  EXPECT_THAT(json, HasSubstr("\"recorded\": {\n        \"reached\": 3,\n"
                              "        \"reachable\": 4\n      }"));
  EXPECT_THAT(json, HasSubstr("\"recorded\": null"));
  EXPECT_THAT(json, HasSubstr("\"file\": \"src/a.cc\",\n          \"line\": 12,"));
  EXPECT_THAT(json, HasSubstr("\"text\": \"  if (x < 0 && y > \\\"<b>\\\") {\""));
  EXPECT_THAT(json, HasSubstr("\"error\": {\n              \"total\": 1,\n"
                              "              \"exercised\": 1\n            }"));
  EXPECT_THAT(json, HasSubstr("\"cut_by_loop_bound\": 1"));
  EXPECT_EQ(json.back(), '\n');
}

TEST(RenderTest, JsonStringsStayValidUtf8) {
  struct Case {
    std::string in;
    std::string out;
  };
  const Case kCases[] = {
      {"plain", "\"plain\""},
      {"tab\there", "\"tab\\there\""},
      {std::string("nul\0x", 5), "\"nul\\u0000x\""},
      {"caf\xc3\xa9", "\"caf\xc3\xa9\""},
      {"latin1 \xe9!", "\"latin1 \xef\xbf\xbd!\""},
      {"cut \xe2\x82", "\"cut \xef\xbf\xbd\xef\xbf\xbd\""},
  };
  for (const Case& c : kCases) EXPECT_EQ(internal::JsonQuote(c.in), c.out) << c.in;
}

TEST(RenderTest, TextOpensWithOneAlignedRowPerKernelAndTheTotal) {
  EXPECT_EQ(RenderText(TwoKernels()),
            "kernel  edges   cover  table  rows  paths  unreached\n"
            "b.full    2/2  100.0%      -     1    0/0          0  no table\n"
            "a.half    3/4   75.0%    3/4     2    2/3          1\n"
            "total     5/6   83.3%\n"
            "INFO: report total edges 5/6 (83.3%) in 2 kernels, 0 below their table's "
            "figures\n");
}

TEST(RenderTest, TextDetailsListUnreachedEdgesAndEachFunctionsPathsWithTheirRows) {
  const std::string text = RenderText(TwoKernels(), {.details = true});
  EXPECT_THAT(text, HasSubstr("in 2 kernels, 0 below their table's figures\n\n"
                              "INFO: kernel b.full edges 2/2 (100.0%) by 1 rows\n\n"));
  EXPECT_THAT(text,
              HasSubstr("INFO: kernel a.half edges 3/4 (75.0%) by 2 rows; table records 3/4 "
                        "(75.0%); kernels/a.cc:3\n"
                        "INFO: unreached a.half src/a.cc:12:5 in Check(int): "
                        "if (x < 0 && y > \"<b>\") {\n"
                        "INFO: unreached a.half 1 more outside the source root\n"
                        "INFO: function a.half Check(int) at src/a.cc:10 edges 3/4, paths "
                        "normal 1/2, error 1/1, degenerate 0/0, unreachable 0/0\n"
                        "  normal: lines 10 -> 11; exercised by row_0 and 1 more\n"
                        "  2 more paths not shown\n"));
  EXPECT_THAT(text, Not(HasSubstr("stl_tree.h")));
}

TEST(RenderTest, TextMarksAKernelWhoseRowsReachLessThanItsTableRecords) {
  SuiteReport report = TwoKernels();
  report.kernels[1].recorded->edges_reached = 4;  // the header says 4/4, the rows reach 3/4
  report.kernels[1].recorded->edges_reachable = 4;
  const std::string text = RenderText(report);
  EXPECT_THAT(text, HasSubstr("a.half    3/4   75.0%    4/4     2    2/3          1  dropped "
                              "below the table's figures\n"));
  EXPECT_THAT(text, HasSubstr("in 2 kernels, 1 below their table's figures\n"));
}

TEST(RenderTest, RenderingIsDeterministic) {
  EXPECT_EQ(RenderHtml(TwoKernels()), RenderHtml(TwoKernels()));
  EXPECT_EQ(RenderJson(TwoKernels()), RenderJson(TwoKernels()));
  EXPECT_EQ(RenderText(TwoKernels()), RenderText(TwoKernels()));
}

}  // namespace
}  // namespace kt::report
