// Tests of the seeder's output files: JSON written only on change, the manifest with stale
// kernels removed, and the depfile.
#include "ast_seeder/output_writer.h"

#include <unistd.h>

#include <chrono>
#include <string>

#include "ast_seeder/json_writer.h"
#include "gtest/gtest.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

namespace ast_seeder {
namespace {

std::string Slurp(const std::string& path) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  return buffer ? (*buffer)->getBuffer().str() : "<missing>";
}

KernelDomain SmallKernel() {
  KernelDomain k;
  k.name = "t.small";
  k.function = "t::Small";
  k.source = "t/small.cc";
  k.line = 7;
  return k;
}

TEST(OutputWriterTest, DepfileEscapesSpacesAndListsOneDependencyPerLine) {
  EXPECT_EQ(DepfileText("out/a b.kernels", {"/src/x.cc", "/src/my dir/y.h"}),
            "out/a\\ b.kernels: \\\n  /src/x.cc \\\n  /src/my\\ dir/y.h\n");
}

TEST(OutputWriterTest, WritesJsonManifestAndDepfileAndRemovesStaleKernels) {
  const std::string dir = ::testing::TempDir() + "/kt_output_writer_test";
  llvm::sys::fs::remove_directories(dir);
  const OutputPaths paths{dir + "/seeds", dir + "/seeds.kernels", dir + "/seeds.d"};
  SeederOutput first;
  first.kernels = {SmallKernel()};
  first.kernels[0].name = "t.old";
  ASSERT_EQ(llvm::toString(WriteOutputs(first, paths)), "");
  ASSERT_TRUE(llvm::sys::fs::exists(dir + "/seeds/t.old.json"));

  SeederOutput second;
  second.kernels = {SmallKernel()};
  second.dependencies = {"/src/small.cc"};
  ASSERT_EQ(llvm::toString(WriteOutputs(second, paths)), "");
  EXPECT_FALSE(llvm::sys::fs::exists(dir + "/seeds/t.old.json"));  // renamed kernel: removed
  EXPECT_EQ(Slurp(dir + "/seeds/t.small.json"), KernelDomainToJson(SmallKernel()));
  EXPECT_EQ(Slurp(dir + "/seeds.kernels"), "t.small.json\n");
  EXPECT_EQ(Slurp(dir + "/seeds.d"), dir + "/seeds.kernels: \\\n  /src/small.cc\n");
  llvm::sys::fs::remove_directories(dir);
}

TEST(OutputWriterTest, LeavesAnUnchangedJsonFileUntouched) {
  const std::string dir = ::testing::TempDir() + "/kt_output_writer_unchanged";
  llvm::sys::fs::remove_directories(dir);
  SeederOutput output;
  output.kernels = {SmallKernel()};
  ASSERT_EQ(llvm::toString(WriteOutputs(output, {dir, "", ""})), "");
  const std::string json = dir + "/t.small.json";
  // Back-date the file: a rewrite would move its time to now.
  int fd = -1;
  ASSERT_FALSE(llvm::sys::fs::openFileForWrite(json, fd, llvm::sys::fs::CD_OpenExisting,
                                               llvm::sys::fs::OF_Append));
  const auto old_time = llvm::sys::TimePoint<>(std::chrono::seconds(1'000'000'000));
  ASSERT_FALSE(llvm::sys::fs::setLastAccessAndModificationTime(fd, old_time));
  ::close(fd);
  ASSERT_EQ(llvm::toString(WriteOutputs(output, {dir, "", ""})), "");
  llvm::sys::fs::file_status status;
  ASSERT_FALSE(llvm::sys::fs::status(json, status));
  EXPECT_EQ(status.getLastModificationTime(), old_time);
  llvm::sys::fs::remove_directories(dir);
}

}  // namespace
}  // namespace ast_seeder
