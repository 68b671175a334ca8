// The main of every <suite>_replay binary: GoogleTest's flags, then --tables DIR and the
// replay options (runner/replay.h), one test per table row. Exit codes: GoogleTest's (0 all
// passed, 1 a failure), 2 for a usage or setup error.
#include <cstdio>

#include <gtest/gtest.h>

#include "runner/registry.h"
#include "runner/replay.h"

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  const kt::Expected<kt::ReplayOptions> options = kt::ParseReplayFlags(argc, argv);
  if (!options) {
    std::fprintf(stderr,
                 "ERROR: %s\nusage: %s --tables DIR [--timeout_ms N] [--fork] "
                 "[--allow_orphan_tables] [gtest flags]\n",
                 options.error().message.c_str(), argc > 0 ? argv[0] : "replay");
    return 2;
  }
  if (const kt::Expected<void> unique = kt::Registry::Global().Validate(); !unique) {
    std::fprintf(stderr, "ERROR: %s\n", unique.error().message.c_str());
    return 2;
  }
  kt::RegisterReplayTests(kt::Registry::Global(), options.value());
  return RUN_ALL_TESTS();
}
