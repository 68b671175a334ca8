// Small functions of known shape that coverage_test.cc runs under instrumentation. Built with
// kt_instrument() at -O0 (see CMakeLists.txt), so each if/else, loop and switch stays as
// written; no dependency beyond <cstdint>.
#pragma once

#include <cstdint>

namespace kt::coverage::fixtures {

// if/else: entry block, then-block, else-block, and a join block (pruned from guards).
int Diamond(bool take_then);

// One block each; CallsCallee's table row lists Callee, CallThrough's an indirect call.
int Callee(int x);
int CallsCallee(int x);
int CallThrough(int (*fn)(int), int x);

// One block: its entry edge is hit once per call.
void Tick();
// Calls Tick() `n` times.
void TickTimes(std::uint32_t n);

// The compare-log cases: one instrumented instruction each.
bool IsMagic(std::uint32_t x);                    // x == 0xdeadbeef
bool Equal64(std::uint64_t a, std::uint64_t b);   // a == b, both variables
int Classify(std::uint32_t v);                    // switch: cases 7, 2, 40 and a default
std::uint32_t Divide32(std::uint32_t a, std::uint32_t b);
std::int64_t Divide64(std::int64_t a, std::int64_t b);
int ElementAt(const int* base, int index);        // base[index]

}  // namespace kt::coverage::fixtures
