// Seeder test input: parameter types no permuter domain covers. Each is one error.
#include <array>
#include <string_view>

#include "ast_seeder/testdata/kt_testing.h"

namespace diag {

struct TwoInts {  // two integer constructors: which one is the value is unclear
  TwoInts(int v);
  TwoInts(long v);
};
enum class Opaque : int;  // declared, never defined: no enumerators
enum class Empty : int {};

void Unsupported(double ratio, int* pointer, int& out, TwoInts two, std::array<int, 2> pair,
                 __int128 wide, Opaque opaque, Empty empty, std::u16string_view text) {}
KT_KERNEL("diag.unsupported", Unsupported);

}  // namespace diag
