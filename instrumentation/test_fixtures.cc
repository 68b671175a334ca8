// Instrumented fixtures of known shape (instrumentation/test_fixtures.h). No dependencies.
#include "instrumentation/test_fixtures.h"

namespace kt::coverage::fixtures {

int Diamond(bool take_then) {
  int result;
  if (take_then) {
    result = 1;
  } else {
    result = 2;
  }
  return result;
}

int Callee(int x) { return x + 1; }

int CallsCallee(int x) { return Callee(x) * 2; }

int CallThrough(int (*fn)(int), int x) { return fn(x); }

void Tick() {}

void TickTimes(std::uint32_t n) {
  for (std::uint32_t i = 0; i < n; ++i) Tick();
}

bool IsMagic(std::uint32_t x) { return x == 0xdeadbeef; }

bool Equal64(std::uint64_t a, std::uint64_t b) { return a == b; }

int Classify(std::uint32_t v) {
  switch (v) {
    case 7: return 1;
    case 2: return 2;
    case 40: return 3;
    default: return 0;
  }
}

std::uint32_t Divide32(std::uint32_t a, std::uint32_t b) { return a / b; }

std::int64_t Divide64(std::int64_t a, std::int64_t b) { return a / b; }

int ElementAt(const int* base, int index) { return base[index]; }

}  // namespace kt::coverage::fixtures
