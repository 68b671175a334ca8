// The uninstrumented half of the fixtures (report/test_fixtures.h): make_error_code, a callee
// the report must name but not reach into. No dependencies.
#include "report/test_fixtures.h"

namespace kt::report::fixtures {

FixtureStatus make_error_code(FixtureError e) { return {static_cast<int>(e)}; }

}  // namespace kt::report::fixtures
