// Seeder test input: Deep3 and Deep4, after Deep1 and Deep2 of harvest.cc's call chain.
#include "ast_seeder/testdata/harvest_helper.h"

namespace harvest {

int Deep3(int v) {
  if (v == 1003) return 3;
  return Deep4(v);
}

int Deep4(int v) { return v == 1004 ? 4 : 0; }

}  // namespace harvest
