// Weak, empty definitions of the SanitizerCoverage event callbacks this runtime has no use
// for, so that code built with extra -fsanitize-coverage modes (a library built with
// indirect-calls or trace-loads, say) still links against the runtime. Any other definition,
// such as the ASan runtime's, replaces them. Never instrumented; <cstdint> only.
#include <cstdint>

#include "instrumentation/platform.h"

extern "C" {

// trace-pc and indirect-calls: kt_instrument() uses trace-pc-guard, which carries the same
// edges with stable ids, and the control-flow table already marks indirect calls.
KT_INTERFACE KT_WEAK KT_NO_SANITIZE void __sanitizer_cov_trace_pc() {}
KT_INTERFACE KT_WEAK KT_NO_SANITIZE void __sanitizer_cov_trace_pc_indir(std::uintptr_t) {}

// trace-loads and trace-stores: addresses carry nothing the permuter can feed back.
KT_INTERFACE KT_WEAK KT_NO_SANITIZE void __sanitizer_cov_load1(std::uint8_t*) {}
KT_INTERFACE KT_WEAK KT_NO_SANITIZE void __sanitizer_cov_load2(std::uint16_t*) {}
KT_INTERFACE KT_WEAK KT_NO_SANITIZE void __sanitizer_cov_load4(std::uint32_t*) {}
KT_INTERFACE KT_WEAK KT_NO_SANITIZE void __sanitizer_cov_load8(std::uint64_t*) {}
KT_INTERFACE KT_WEAK KT_NO_SANITIZE void __sanitizer_cov_load16(__int128*) {}
KT_INTERFACE KT_WEAK KT_NO_SANITIZE void __sanitizer_cov_store1(std::uint8_t*) {}
KT_INTERFACE KT_WEAK KT_NO_SANITIZE void __sanitizer_cov_store2(std::uint16_t*) {}
KT_INTERFACE KT_WEAK KT_NO_SANITIZE void __sanitizer_cov_store4(std::uint32_t*) {}
KT_INTERFACE KT_WEAK KT_NO_SANITIZE void __sanitizer_cov_store8(std::uint64_t*) {}
KT_INTERFACE KT_WEAK KT_NO_SANITIZE void __sanitizer_cov_store16(__int128*) {}

}  // extern "C"
