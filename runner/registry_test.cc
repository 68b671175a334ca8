// Tests of KT_KERNEL registration and lookup. Depends on runner/registry.h, runner/execute.h,
// runner/kernel.h and GoogleTest only.
#include "runner/registry.h"

#include <gtest/gtest.h>

#include "runner/execute.h"
#include "runner/kernel.h"

namespace registry_test {

kt::result<int> Add(std::int32_t a, std::int32_t b) { return a + b; }
KT_KERNEL("registry_test.add", Add);
constexpr int kAddLine = __LINE__ - 1;

void Noop() {}
int Other(bool) { return 0; }

}  // namespace registry_test

namespace kt {
namespace {

TEST(RegistryTest, KtKernelRegistersInTheGlobalRegistry) {
  const Expected<const KernelInfo*> k = Registry::Global().Find("registry_test.add");
  ASSERT_TRUE(k.has_value()) << k.error().message;
  EXPECT_EQ(k.value()->line, registry_test::kAddLine);
  EXPECT_NE(k.value()->file.find("registry_test.cc"), std::string::npos);
  const Expected<Outcome> o = Execute(*k.value(), std::vector{Value::Int(2), Value::Int(-5)});
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o.value().text, "ok(-3)");
}

TEST(RegistryTest, FindOfAnUnknownNameIsNotFound) {
  const Expected<const KernelInfo*> k = Registry::Global().Find("registry_test.nope");
  ASSERT_FALSE(k.has_value());
  EXPECT_EQ(k.error().code, make_error_code(RegistryError::kNotFound));
  EXPECT_EQ(k.error().message, "no kernel \"registry_test.nope\"");
}

TEST(RegistryTest, DuplicateNamesAreAnErrorWithBothLocations) {
  Registry r;
  r.Add(internal::MakeKernelInfo("dup", &registry_test::Noop, "a.cc", 3));
  r.Add(internal::MakeKernelInfo("unique", &registry_test::Noop, "a.cc", 9));
  r.Add(internal::MakeKernelInfo("dup", &registry_test::Other, "b.cc", 7));
  const Expected<const KernelInfo*> k = r.Find("dup");
  ASSERT_FALSE(k.has_value());
  EXPECT_EQ(k.error().code, make_error_code(RegistryError::kDuplicate));
  EXPECT_EQ(k.error().message, "kernel \"dup\" is registered twice: a.cc:3 and b.cc:7");
  EXPECT_TRUE(r.Find("unique").has_value());
  const Expected<void> v = r.Validate();
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error().message, "kernel \"dup\" is registered 2 times: a.cc:3 b.cc:7");
}

TEST(RegistryTest, ValidateAcceptsDistinctNames) {
  Registry r;
  r.Add(internal::MakeKernelInfo("a", &registry_test::Noop, "a.cc", 1));
  r.Add(internal::MakeKernelInfo("b", &registry_test::Noop, "a.cc", 2));
  EXPECT_TRUE(r.Validate().has_value());
  EXPECT_EQ(r.size(), 2u);
}

TEST(RegistryTest, ErrorsPrintWithTheirCategory) {
  EXPECT_EQ(PrintToString(make_error_code(RegistryError::kDuplicate)), "kt.registry:duplicate");
}

}  // namespace
}  // namespace kt
