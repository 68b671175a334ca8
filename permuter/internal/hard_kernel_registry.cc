// Registration of the hard-branch kernels for the end-to-end tests.
#include "permuter/internal/hard_kernel_registry.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "instrumentation/coverage.h"
#include "permuter/internal/hard_kernels.h"

namespace kt::permuter::internal {
namespace {

template <class F>
HardKernel Make(std::string name, F fn, std::vector<std::string> names) {
  HardKernel k{kt::internal::MakeKernelInfo(std::move(name), fn, __FILE__, __LINE__), {}};
  k.columns = k.info.signature;
  for (std::size_t i = 0; i < names.size() && i < k.columns.size(); ++i) {
    k.columns[i].name = names[i];
  }
  return k;
}

std::vector<HardKernel> MakeAll() {
  std::vector<HardKernel> all;
  all.push_back(Make("hard.magic32", &hard::Magic32, {"x"}));
  all.push_back(Make("hard.magic64", &hard::Magic64, {"x"}));
  all.push_back(Make("hard.linear", &hard::Linear, {"x"}));
  all.push_back(Make("hard.narrow_range", &hard::NarrowRange, {"x"}));
  HardKernel flags = Make("hard.enum_flags", &hard::EnumFlags, {"mode", "flags"});
  flags.columns[0].enum_name = "Mode";
  flags.columns[0].enumerators = {
      {"kRead", Integer(0)}, {"kWrite", Integer(1)}, {"kAppend", Integer(2)}};
  flags.columns[1].kind = ParamKind::kFlags;
  flags.columns[1].enum_name = "Flags";
  flags.columns[1].enumerators = {{"kSync", Integer(1)},
                                  {"kDirect", Integer(2)},
                                  {"kAtomic", Integer(4)},
                                  {"kTemp", Integer(8)},
                                  {"kLarge", Integer(16)}};
  all.push_back(std::move(flags));
  all.push_back(Make("hard.switch", &hard::Switch, {"x"}));
  all.push_back(Make("hard.divide", &hard::Divide, {"d"}));
  all.push_back(Make("hard.array_index", &hard::ArrayIndex, {"i"}));
  all.push_back(Make("hard.check_above_1000", &hard::CheckAbove1000, {"x"}));
  all.push_back(Make("hard.crash_on_magic", &hard::CrashOnMagic, {"x"}));
  all.push_back(Make("hard.hang_on_magic", &hard::HangOnMagic, {"x"}));
  return all;
}

}  // namespace

const HardKernel& Hard(std::string_view name) {
  static const std::vector<HardKernel> all = MakeAll();
  for (const HardKernel& k : all) {
    if (k.info.name == name) return k;
  }
  std::fprintf(stderr, "ERROR: no hard kernel named %.*s\n", static_cast<int>(name.size()),
               name.data());
  std::abort();
}

std::vector<std::uint32_t> EdgesOfFunction(void (*fn)()) {
  const auto entry = reinterpret_cast<std::uintptr_t>(fn);
  std::vector<std::uint32_t> edges;
  for (std::uint32_t e = 0; e < coverage::NumEdges(); ++e) {
    const std::optional<coverage::EdgeInfo> info = coverage::DescribeEdge(e);
    if (info && info->function_entry == entry) edges.push_back(e);
  }
  return edges;
}

}  // namespace kt::permuter::internal
