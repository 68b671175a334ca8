// The code under test of the hello-world suite: a greeting that depends on a mood, a guest
// count and a door code. Plain C++; it knows nothing of kerneltest.
#pragma once

#include <cstdint>
#include <string>

namespace hello {

enum class Mood : std::uint8_t { kHappy = 0, kGrumpy = 1, kSleepy = 2 };

// The door code that opens the secret greeting: a magic constant no random input finds,
// which compare feedback reads straight out of the `==`.
inline constexpr std::uint32_t kSecretDoorCode = 0xC0FFEE;

// The greeting for `guests` people in `mood`; empty when there is nobody to greet.
std::string Greet(Mood mood, int guests, std::uint32_t door_code);

}  // namespace hello
