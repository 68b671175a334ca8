// Seeder test input: depth 1 and 2 of harvest.cc's call chain, in a second translation unit.
#include "ast_seeder/testdata/harvest_helper.h"

namespace harvest {

int Deep1(int v) {
  if (v == 1001) return 1;
  return Deep2(v);
}

int Deep2(int v) {
  if (v == 1002) return 2;
  return Deep3(v);
}

}  // namespace harvest
