// An instrumented function in its own shared library, so coverage_test.cc sees a second
// module. No dependencies.
#pragma once

namespace kt::coverage::dso_fixture {

// if/else, like fixtures::Diamond, in the shared library's module.
int DsoDiamond(bool take_then);

}  // namespace kt::coverage::dso_fixture
