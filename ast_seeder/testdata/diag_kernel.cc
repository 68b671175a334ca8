// Seeder test input: registrations that do not name a usable kernel function. Each is one
// error.
#include "ast_seeder/testdata/kt_testing.h"

namespace diag {

int not_a_function = 3;
KT_KERNEL("diag.variable", not_a_function);

KT_INTERNAL_KERNEL_ANNOTATION("diag.no_address") [[maybe_unused]] static const int no_address = 0;

void Variadic(int first, ...) {}
KT_KERNEL("diag.variadic", Variadic);

void Fine(int v) {}
KT_KERNEL("diag/slash", Fine);
KT_KERNEL("diag.fine", Fine);
void Other(int v) {}
KT_KERNEL("diag.fine", Other);

}  // namespace diag
