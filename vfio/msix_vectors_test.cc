// Tests of vfio/msix_vectors.h: the VMM-side MSI-X vector state machine. GoogleTest only.
#include "vfio/msix_vectors.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <random>
#include <vector>

namespace vfio {
namespace {

using S = MsixVectorState;

template <class T>
std::error_code ErrorOf(const Result<T>& r) {
  return r ? std::error_code{} : r.error();
}

MsixVectorConfig ConfigFor(std::uint32_t v, int eventfd = 10) {
  return {{0xfee0'0000 + 16ull * v, v}, eventfd + static_cast<int>(v), 100 + v};
}

MsixVectors Make(std::uint32_t n) { return MsixVectors::Create(n).value(); }

// Drives vector v of `vectors` from Masked to `state` with ConfigFor(v).
void Reach(MsixVectors& vectors, std::uint32_t v, S state) {
  if (state == S::kMasked) return;
  ASSERT_TRUE(vectors.Configure(v, ConfigFor(v)));
  if (state == S::kEnabled) {
    ASSERT_TRUE(vectors.Enable(v));
  }
}

TEST(MsixVectorErrorTest, NamesEveryEnumeratorInTheVfioMsixVectorCategory) {
  constexpr struct {
    MsixVectorError error;
    const char* name;
  } kCases[] = {
      {MsixVectorError::kInvalidVectorCount, "invalid_vector_count"},
      {MsixVectorError::kIndexOutOfRange, "index_out_of_range"},
      {MsixVectorError::kInvalidEventfd, "invalid_eventfd"},
      {MsixVectorError::kNotConfigured, "not_configured"},
      {MsixVectorError::kAlreadyEnabled, "already_enabled"},
      {MsixVectorError::kNotEnabled, "not_enabled"},
  };
  for (const auto& c : kCases) {
    const std::error_code ec = c.error;  // via std::is_error_code_enum
    EXPECT_STREQ(ec.category().name(), "vfio.msix_vector");
    EXPECT_EQ(ec.message(), c.name);
  }
  EXPECT_STREQ(ToString(S::kMasked), "masked");
  EXPECT_STREQ(ToString(S::kConfigured), "configured");
  EXPECT_STREQ(ToString(S::kEnabled), "enabled");
}

TEST(MsixVectorsTest, CreateAcceptsOneToMaxVectors) {
  constexpr struct {
    std::uint32_t vectors;
    bool ok;
  } kCases[] = {{0, false}, {1, true}, {2048, true}, {2049, false}, {UINT32_MAX, false}};
  for (const auto& c : kCases) {
    const auto created = MsixVectors::Create(c.vectors);
    if (c.ok) {
      ASSERT_TRUE(created) << c.vectors;
      EXPECT_EQ(created.value().size(), c.vectors);
      EXPECT_EQ(created.value().configured_count(), 0u);
      for (std::uint32_t v = 0; v < c.vectors; ++v)
        EXPECT_EQ(created.value().State(v).value(), S::kMasked);
    } else {
      EXPECT_EQ(ErrorOf(created), make_error_code(MsixVectorError::kInvalidVectorCount))
          << c.vectors;
    }
  }
}

enum class Op : std::uint8_t { kConfigure, kConfigureBadFd, kEnable, kDisable, kMask };

std::error_code Apply(MsixVectors& vectors, Op op, std::uint32_t index) {
  switch (op) {
    case Op::kConfigure: return ErrorOf(vectors.Configure(index, ConfigFor(9, 20)));
    case Op::kConfigureBadFd: return ErrorOf(vectors.Configure(index, ConfigFor(0, -1)));
    case Op::kEnable: return ErrorOf(vectors.Enable(index));
    case Op::kDisable: return ErrorOf(vectors.Disable(index));
    case Op::kMask: return ErrorOf(vectors.Mask(index));
  }
  return {};
}

TEST(MsixVectorsTest, RejectsInvalidTransitionsWithoutChangingState) {
  struct Case {
    const char* name;
    S from;
    Op op;
    std::uint32_t index;
    MsixVectorError error;
  };
  constexpr Case kCases[] = {
      {"enable_masked", S::kMasked, Op::kEnable, 1, MsixVectorError::kNotConfigured},
      {"enable_enabled", S::kEnabled, Op::kEnable, 1, MsixVectorError::kAlreadyEnabled},
      {"configure_enabled", S::kEnabled, Op::kConfigure, 1, MsixVectorError::kAlreadyEnabled},
      {"mask_masked", S::kMasked, Op::kMask, 1, MsixVectorError::kNotConfigured},
      {"mask_enabled", S::kEnabled, Op::kMask, 1, MsixVectorError::kAlreadyEnabled},
      {"disable_masked", S::kMasked, Op::kDisable, 1, MsixVectorError::kNotEnabled},
      {"disable_configured", S::kConfigured, Op::kDisable, 1, MsixVectorError::kNotEnabled},
      {"negative_eventfd", S::kConfigured, Op::kConfigureBadFd, 1,
       MsixVectorError::kInvalidEventfd},
      {"configure_index_n", S::kConfigured, Op::kConfigure, 4, MsixVectorError::kIndexOutOfRange},
      {"enable_index_n", S::kConfigured, Op::kEnable, 4, MsixVectorError::kIndexOutOfRange},
      {"disable_index_max", S::kEnabled, Op::kDisable, UINT32_MAX,
       MsixVectorError::kIndexOutOfRange},
      {"mask_index_n_plus_1", S::kConfigured, Op::kMask, 5, MsixVectorError::kIndexOutOfRange},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    MsixVectors vectors = Make(4);
    Reach(vectors, 1, c.from);
    const std::uint32_t configured = vectors.configured_count();
    const std::uint32_t enabled = vectors.enabled_count();
    EXPECT_EQ(Apply(vectors, c.op, c.index), make_error_code(c.error));
    EXPECT_EQ(vectors.State(1).value(), c.from);
    if (c.from != S::kMasked) {
      EXPECT_EQ(vectors.Config(1).value(), ConfigFor(1));
    }
    EXPECT_EQ(vectors.configured_count(), configured);
    EXPECT_EQ(vectors.enabled_count(), enabled);
  }
}

TEST(MsixVectorsTest, AccessorsRejectOutOfRangeAndMaskedVectors) {
  const MsixVectors vectors = Make(4);
  EXPECT_EQ(ErrorOf(vectors.State(4)), make_error_code(MsixVectorError::kIndexOutOfRange));
  EXPECT_EQ(ErrorOf(vectors.Config(4)), make_error_code(MsixVectorError::kIndexOutOfRange));
  EXPECT_EQ(ErrorOf(vectors.Config(0)), make_error_code(MsixVectorError::kNotConfigured));
}

TEST(MsixVectorsTest, RejectsReconfiguringAnEnabledVector) {
  MsixVectors vectors = Make(2);
  const MsixVectorConfig first = ConfigFor(0);
  const MsixVectorConfig second = ConfigFor(1, 50);
  ASSERT_TRUE(vectors.Configure(0, first));
  ASSERT_TRUE(vectors.Enable(0));
  EXPECT_EQ(ErrorOf(vectors.Configure(0, second)),
            make_error_code(MsixVectorError::kAlreadyEnabled));
  EXPECT_EQ(vectors.State(0).value(), S::kEnabled);
  EXPECT_EQ(vectors.Config(0).value(), first) << "the routed message must not change";

  ASSERT_TRUE(vectors.Disable(0));
  EXPECT_EQ(vectors.Configure(0, second).value(), first) << "disabled first: allowed";
  EXPECT_EQ(vectors.Config(0).value(), second);
}

TEST(MsixVectorsTest, WalksMaskedConfiguredEnabledConfiguredMasked) {
  MsixVectors vectors = Make(3);
  const MsixVectorConfig config = ConfigFor(2, 7);
  EXPECT_EQ(vectors.Configure(2, config).value(), std::nullopt);
  EXPECT_EQ(vectors.State(2).value(), S::kConfigured);
  EXPECT_EQ(vectors.configured_count(), 1u);
  ASSERT_TRUE(vectors.Enable(2));
  EXPECT_EQ(vectors.State(2).value(), S::kEnabled);
  EXPECT_EQ(vectors.enabled_count(), 1u);
  EXPECT_EQ(vectors.Disable(2).value(), (MsixVectorRelease{config.eventfd, config.gsi}));
  EXPECT_EQ(vectors.State(2).value(), S::kConfigured);
  EXPECT_EQ(vectors.enabled_count(), 0u);
  EXPECT_EQ(vectors.Mask(2).value(), config);
  EXPECT_EQ(vectors.State(2).value(), S::kMasked);
  EXPECT_EQ(vectors.configured_count(), 0u);
}

TEST(MsixVectorsTest, ReconfiguringAConfiguredVectorReturnsTheReplacedConfig) {
  MsixVectors vectors = Make(1);
  ASSERT_TRUE(vectors.Configure(0, ConfigFor(0, 3)));
  EXPECT_EQ(vectors.Configure(0, ConfigFor(0, 4)).value(), ConfigFor(0, 3));
  EXPECT_EQ(vectors.Config(0).value(), ConfigFor(0, 4));
  EXPECT_EQ(vectors.configured_count(), 1u) << "a reconfigure is not a second vector";
}

// A reference model: the state each vector should be in and the config it should hold.
struct Model {
  std::vector<S> states;
  std::vector<MsixVectorConfig> configs;

  std::error_code Expect(Op op, std::uint32_t index) const {
    if (index >= states.size()) return MsixVectorError::kIndexOutOfRange;
    const S s = states[index];
    switch (op) {
      case Op::kConfigureBadFd: return MsixVectorError::kInvalidEventfd;
      case Op::kConfigure:
        return s == S::kEnabled ? MsixVectorError::kAlreadyEnabled : std::error_code{};
      case Op::kEnable:
        if (s == S::kMasked) return MsixVectorError::kNotConfigured;
        return s == S::kEnabled ? MsixVectorError::kAlreadyEnabled : std::error_code{};
      case Op::kDisable:
        return s == S::kEnabled ? std::error_code{} : MsixVectorError::kNotEnabled;
      case Op::kMask:
        if (s == S::kMasked) return MsixVectorError::kNotConfigured;
        return s == S::kEnabled ? MsixVectorError::kAlreadyEnabled : std::error_code{};
    }
    return {};
  }
};

TEST(MsixVectorsTest, CountsStayOrderedAndMatchAModelUnderRandomOperations) {
  constexpr std::uint32_t kVectors = 8;
  MsixVectors vectors = Make(kVectors);
  Model model{std::vector<S>(kVectors, S::kMasked), std::vector<MsixVectorConfig>(kVectors)};
  std::mt19937 rng(0x5eed);  // fixed: a failure reproduces
  std::uniform_int_distribution<int> pick_op(0, 4);
  std::uniform_int_distribution<std::uint32_t> pick_index(0, kVectors);  // kVectors is invalid
  for (int step = 0; step < 20000; ++step) {
    const auto op = static_cast<Op>(pick_op(rng));
    const std::uint32_t index = pick_index(rng);
    SCOPED_TRACE(testing::Message() << "step " << step << " op " << static_cast<int>(op)
                                    << " index " << index);
    const std::error_code expected = model.Expect(op, index);
    if (op == Op::kDisable && !expected) {
      const MsixVectorConfig& c = model.configs[index];
      ASSERT_EQ(vectors.Disable(index).value(), (MsixVectorRelease{c.eventfd, c.gsi}));
    } else if (op == Op::kMask && !expected) {
      ASSERT_EQ(vectors.Mask(index).value(), model.configs[index]);
    } else {
      ASSERT_EQ(Apply(vectors, op, index), expected);
    }
    if (!expected) {
      S& s = model.states[index];
      if (op == Op::kConfigure) model.configs[index] = ConfigFor(9, 20);
      s = op == Op::kConfigure ? S::kConfigured
          : op == Op::kEnable  ? S::kEnabled
          : op == Op::kDisable ? S::kConfigured
                               : S::kMasked;
    }
    std::uint32_t configured = 0, enabled = 0;
    for (std::uint32_t v = 0; v < kVectors; ++v) {
      ASSERT_EQ(vectors.State(v).value(), model.states[v]);
      configured += model.states[v] != S::kMasked;
      enabled += model.states[v] == S::kEnabled;
    }
    ASSERT_LE(vectors.enabled_count(), vectors.configured_count());
    ASSERT_LE(vectors.configured_count(), vectors.size());
    ASSERT_EQ(vectors.configured_count(), configured);
    ASSERT_EQ(vectors.enabled_count(), enabled);
  }
}

TEST(MsixVectorsTest, WorksWithOneAndMaxVectors) {
  for (const std::uint32_t n : {1u, kMsixMaxVectors}) {
    SCOPED_TRACE(n);
    MsixVectors vectors = Make(n);
    for (std::uint32_t v = 0; v < n; ++v) Reach(vectors, v, S::kEnabled);
    EXPECT_EQ(vectors.configured_count(), n);
    EXPECT_EQ(vectors.enabled_count(), n);
    EXPECT_EQ(ErrorOf(vectors.Enable(n)), make_error_code(MsixVectorError::kIndexOutOfRange));
    for (std::uint32_t v = 0; v < n; ++v) {
      const MsixVectorConfig c = ConfigFor(v);
      ASSERT_EQ(vectors.Disable(v).value(), (MsixVectorRelease{c.eventfd, c.gsi}));
      ASSERT_EQ(vectors.Mask(v).value(), c);
    }
    EXPECT_EQ(vectors.configured_count(), 0u);
    EXPECT_EQ(vectors.enabled_count(), 0u);
  }
}

}  // namespace
}  // namespace vfio
