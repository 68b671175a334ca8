// Registration of the string and bytes test kernels for the end-to-end tests.
#include "permuter/internal/string_kernel_registry.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "permuter/internal/string_kernels.h"

namespace kt::permuter::internal {
namespace {

template <class F>
TextKernel Make(std::string name, F fn, std::vector<std::string> names, std::size_t max_len,
                std::vector<std::string> strings) {
  TextKernel k{{kt::internal::MakeKernelInfo(std::move(name), fn, __FILE__, __LINE__), {}},
               std::move(strings)};
  k.kernel.columns = k.kernel.info.signature;
  for (std::size_t i = 0; i < names.size() && i < k.kernel.columns.size(); ++i) {
    ColumnSchema& c = k.kernel.columns[i];
    c.name = names[i];
    if (c.kind == ParamKind::kString || c.kind == ParamKind::kBytes) c.max_len = max_len;
  }
  return k;
}

std::vector<TextKernel> MakeAll() {
  std::vector<TextKernel> all;
  all.push_back(Make("text.driver_name", &text::DriverName, {"name"}, 32, {"vfio", "vfio-pci"}));
  all.push_back(Make("text.length", &text::Length, {"data"}, 64, {}));
  TextKernel op = Make("text.enum_bytes", &text::EnumBytes, {"op", "data"}, 16, {});
  op.kernel.columns[0].enum_name = "Op";
  op.kernel.columns[0].enumerators = {
      {"kRead", Integer(0)}, {"kWrite", Integer(1)}, {"kReset", Integer(2)}};
  all.push_back(std::move(op));
  all.push_back(Make("text.crash_on_prefix", &text::CrashOnPrefix, {"name"}, 64, {"boom"}));
  return all;
}

}  // namespace

const TextKernel& Text(std::string_view name) {
  static const std::vector<TextKernel> all = MakeAll();
  for (const TextKernel& k : all) {
    if (k.kernel.info.name == name) return k;
  }
  std::fprintf(stderr, "ERROR: no text kernel named %.*s\n", static_cast<int>(name.size()),
               name.data());
  std::abort();
}

}  // namespace kt::permuter::internal
