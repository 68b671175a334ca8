// The greeting. The standard library only.
#include "examples/hello/greeter.h"

namespace hello {

std::string Greet(Mood mood, int guests, std::uint32_t door_code) {
  if (guests <= 0) return {};
  if (door_code == kSecretDoorCode) return "psst, the coffee is ready";
  std::string word;
  switch (mood) {
    case Mood::kHappy: word = "Hello"; break;
    case Mood::kGrumpy: word = "Hmph"; break;
    case Mood::kSleepy: word = "Zzz"; break;
  }
  if (guests == 1) return word + ", friend";
  if (guests > 10) return word + ", everyone";
  return word + ", " + std::to_string(guests) + " friends";
}

}  // namespace hello
