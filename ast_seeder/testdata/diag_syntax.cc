// Seeder test input: a source Clang cannot parse. Its errors are Clang's own; no domain is
// written.
#include "ast_seeder/testdata/kt_testing.h"

namespace diag {

int Broken(int v {
  return v
}
KT_KERNEL("diag.broken", Broken);

}  // namespace diag
