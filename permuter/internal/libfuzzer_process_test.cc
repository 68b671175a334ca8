// Tests of permuter/internal/libfuzzer_process.h: libFuzzer in a forked child, fed and
// stopped by the controller, and the ways it can fail to start.
#include "permuter/internal/libfuzzer_process.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "permuter/fuzz_search.h"

namespace kt::permuter::internal {
namespace {

std::vector<std::string> QuietFlags(std::vector<std::string> more) {
  std::vector<std::string> flags = {"-seed=1", "-timeout=0", "-rss_limit_mb=0",
                                    "-detect_leaks=0", "-verbosity=0"};
  flags.insert(flags.end(), more.begin(), more.end());
  return flags;
}

// A temporary file removed when the test ends.
class TempFile {
 public:
  explicit TempFile(const std::string& text)
      : path_(std::filesystem::temp_directory_path() /
              ("kt-libfuzzer-process-test-" + std::to_string(::getpid()))) {
    std::ofstream(path_) << text;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

TEST(LibFuzzerProcessTest, RunsExactlyItsRunsAndEndsCleanly) {
  LibFuzzerProcess fuzzer;
  ASSERT_TRUE(fuzzer.Start(QuietFlags({"-runs=200", "-max_len=8"})).has_value());
  std::set<std::string> inputs;
  std::uint32_t feature = 0;
  while (true) {
    Expected<std::optional<std::string>> input = fuzzer.Next();
    ASSERT_TRUE(input.has_value()) << input.error().message;
    if (!input.value()) break;
    EXPECT_LE(input.value()->size(), 8u);
    // Every new input is new coverage, so libFuzzer keeps mutating.
    if (inputs.insert(*input.value()).second) ++feature;
    const std::vector<std::uint32_t> features = {feature};
    ASSERT_TRUE(fuzzer.Answer(features, {}).has_value());
  }
  // The empty input first, then 199 of its own: -runs counts them all.
  EXPECT_EQ(fuzzer.callbacks(), 200u);
}

TEST(LibFuzzerProcessTest, StopEndsTheChildInTheMiddleOfItsRuns) {
  LibFuzzerProcess fuzzer;
  ASSERT_TRUE(fuzzer.Start(QuietFlags({"-runs=1000000"})).has_value());
  for (int i = 0; i < 10; ++i) {
    Expected<std::optional<std::string>> input = fuzzer.Next();
    ASSERT_TRUE(input.has_value() && input.value().has_value());
    ASSERT_TRUE(fuzzer.Answer({}, {}).has_value());
  }
  fuzzer.Stop();
  EXPECT_EQ(fuzzer.callbacks(), 10u);
  EXPECT_FALSE(fuzzer.Answer({}, {}).has_value());
}

TEST(LibFuzzerProcessTest, ARefusedDictionaryIsAnErrorWithLibFuzzersOwnWords) {
  const TempFile dict("this is not a dictionary line\n");
  LibFuzzerProcess fuzzer;
  ASSERT_TRUE(fuzzer.Start(QuietFlags({"-runs=10", "-dict=" + dict.path()})).has_value());
  Expected<std::optional<std::string>> input = fuzzer.Next();
  ASSERT_FALSE(input.has_value());
  EXPECT_EQ(input.error().code, make_error_code(FuzzError::kLibFuzzer));
  EXPECT_NE(input.error().message.find("refused its flags"), std::string::npos)
      << input.error().message;
  EXPECT_NE(input.error().message.find("ParseDictionaryFile"), std::string::npos)
      << input.error().message;
}

TEST(LibFuzzerProcessTest, AnExitBeforeAnyInputEndsTheStreamWithNoCallbacks) {
  LibFuzzerProcess fuzzer;
  // libFuzzer exit(1)s on a seed list it cannot read; the child ends as if its runs were done,
  // so FuzzSearch tells the two apart by the callbacks it got.
  ASSERT_TRUE(fuzzer.Start(QuietFlags({"-runs=10", "-seed_inputs=@/nonexistent/list"})).has_value());
  Expected<std::optional<std::string>> input = fuzzer.Next();
  ASSERT_TRUE(input.has_value()) << input.error().message;
  EXPECT_FALSE(input.value().has_value());
  EXPECT_EQ(fuzzer.callbacks(), 0u);
  EXPECT_NE(fuzzer.OutputTail().find("seed_inputs"), std::string::npos) << fuzzer.OutputTail();
}

}  // namespace
}  // namespace kt::permuter::internal
