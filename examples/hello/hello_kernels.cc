// The hello-world kernel: copy this file to start a suite. A kernel is an ordinary function
// whose parameters are what the permuter varies; KT_KERNEL registers it. Depends on the
// runner's kernel API and the code under test only.
#include <string>
#include <system_error>

#include "examples/hello/greeter.h"
#include "runner/kernel.h"

namespace hello {

// Every Mood is tried by name; `guests` only within KT_RANGE; `door_code` over all of
// uint32_t, where the permuter finds kSecretDoorCode from the comparison in Greet().
kt::result<std::string> GreetKernel(Mood mood, KT_RANGE(0, 100) int guests,
                                    std::uint32_t door_code) {
  std::string greeting = Greet(mood, guests, door_code);
  // An expected outcome, recorded in the table like any value: error(generic:EINVAL).
  if (greeting.empty()) return std::make_error_code(std::errc::invalid_argument);
  // A postcondition column that replay compares.
  KT_OBSERVE("length", greeting.size());
  // An invariant: if it ever fails, generation stops with a finding and a reproducer.
  KT_CHECK(greeting.size() < 40);
  return greeting;
}
// Registers the kernel under a suite-unique name, which also names its table:
// tables/hello.greet.ktable.
KT_KERNEL("hello.greet", GreetKernel);

}  // namespace hello
