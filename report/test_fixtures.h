// Functions of known control flow for the report's tests, built with kt_instrument() at -O0
// and without sanitizers (see CMakeLists.txt), so that every if, loop and call stays as
// written. <cstdint> only. The "// marker:" comments let tests find their lines.
#pragma once

#include <cstdint>

namespace kt::report::fixtures {

// One block.
int Leaf(int x);
// if/else: entry, then, else and a join block pruned from guards: 3 edges, 4 blocks.
int Diamond(bool take_then);
// Calls Diamond(a), then Leaf(1) when b: 3 edges of its own (entry, then, the split else).
int DiamondKernel(bool a, bool b);

void Tick();
// A counted loop calling Tick(): n + 1 paths under a loop bound of n.
void TickTimes(std::uint32_t n);

// abort() when x < 0: one error path, one normal path.
int Checked(int x);
// An error return through make_error_code when x < 0: one error path, one normal path.
int Validate(int x);
// Spins forever calling Tick() when `spin`: one degenerate path, one normal path. Never
// called by the tests.
void SpinWhen(bool spin);
// Holds a labelled block nothing jumps to: two normal paths and one unreachable path.
int Dead(int x);

// Called only through a pointer.
int Twice(int x);
// Calls `fn` through the pointer: its control-flow row records an indirect call.
int Dispatch(int (*fn)(int), int x);
// Dispatch(twice ? Twice : Leaf, 3).
int IndirectKernel(bool twice);

// The error code behind Validate, built in an uninstrumented file so that only the name
// make_error_code (the report's error-return rule) marks the call.
enum class FixtureError { kNegative = 1 };
struct FixtureStatus {
  int code;
};
FixtureStatus make_error_code(FixtureError e);

}  // namespace kt::report::fixtures
