// The shared-library fixture (instrumentation/test_dso_fixture.h). No dependencies.
#include "instrumentation/test_dso_fixture.h"

namespace kt::coverage::dso_fixture {

int DsoDiamond(bool take_then) {
  int result;
  if (take_then) {
    result = 10;
  } else {
    result = 20;
  }
  return result;
}

}  // namespace kt::coverage::dso_fixture
