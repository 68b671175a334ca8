// The HTML rendering of a suite report: one self-contained file (inline CSS and script, no
// network, a Content-Security-Policy that forbids fetching anything), a table of kernels
// sortable by coverage, and per kernel its unreached edges, its functions' paths and source
// listings with reached / unreached lines coloured. report/report.h only.
#pragma once

#include <string>

#include "report/report.h"

namespace kt::report {

// The page. Deterministic: the same report gives the same bytes. The kernel table opens
// sorted by coverage, lowest first (the script sets body[data-sorted] to "coverage-asc");
// clicking a column header sorts by it, clicking again reverses.
//
// Stable hooks for tests and scripts: #total-edges, tr[data-kernel] with data-coverage,
// data-reached and data-reachable, section.kernel[data-kernel], li.unreached-edge,
// pre.listing span.hit / span.miss / span.part.
std::string RenderHtml(const SuiteReport& report);

}  // namespace kt::report
