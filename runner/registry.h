// The registry of kernels: what KT_KERNEL records (name, location, a type-erased invoker,
// the signature, workspace templates) and lookup by name. The standard library and runner/
// only; never GoogleTest or the table format.
#pragma once

#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "runner/error.h"
#include "runner/invoker.h"
#include "runner/schema.h"
#include "runner/workspace.h"

namespace kt {

enum class RegistryError {
  kNotFound = 1,  // no kernel of that name
  kDuplicate,     // two KT_KERNELs with one name; the message has both locations
};
const char* ToString(RegistryError e) noexcept;
const std::error_category& RegistryCategory() noexcept;
std::error_code make_error_code(RegistryError e) noexcept;

// A kernel's workspace templates, the third argument of KT_KERNEL. Rows of its table then
// start from one of them and record the workspace after the call.
// Example usage:
//   KT_KERNEL("fs.create", FileCreate,
//             kt::Workspaces{{{"non-existing", {}},
//                             {"existing0", {kt::File("testfile.txt")}},
//                             {"existing1", {kt::File("testfile.txt", "hello")}}}});
struct Workspaces {
  std::vector<WorkspaceTemplate> templates;
};

struct KernelInfo {
  std::string name;  // suite-unique: dma.map_two
  std::string file;  // __FILE__ of KT_KERNEL
  int line = 0;
  void (*fn)() = nullptr;  // the kernel, type-erased; only invoke/validate know its type
  InvokeFn invoke = nullptr;
  ValidateFn validate = nullptr;
  std::vector<ColumnSchema> signature;  // SignatureOf the kernel's type
  std::vector<WorkspaceTemplate> workspaces;

  // "dma_kernels.cc:57" style location for messages: file:line.
  std::string Location() const { return file + ":" + std::to_string(line); }
};

// Kernels by name. KT_KERNEL adds to Global() during static initialisation; tests may build
// their own. Thread-compatible: Add only before any concurrent reader (static init).
class Registry {
 public:
  static Registry& Global();

  void Add(KernelInfo kernel);
  // In registration order.
  const std::vector<KernelInfo>& kernels() const noexcept { return kernels_; }
  std::size_t size() const noexcept { return kernels_.size(); }

  // kNotFound, or kDuplicate naming both locations when two kernels share the name.
  Expected<const KernelInfo*> Find(std::string_view name) const;
  // kDuplicate listing every shared name with its locations, or success.
  Expected<void> Validate() const;

 private:
  std::vector<KernelInfo> kernels_;
};

namespace internal {

// A KernelInfo for kernel `fn` without registering it, for tests and tools that keep their
// own Registry.
template <class F>
requires std::is_pointer_v<F> && std::is_function_v<std::remove_pointer_t<F>> KernelInfo
MakeKernelInfo(std::string name, F fn, std::string file, int line, Workspaces workspaces = {}) {
  KernelInfo k;
  k.name = std::move(name);
  k.file = std::move(file);
  k.line = line;
  k.fn = reinterpret_cast<void (*)()>(fn);
  k.invoke = &Invoke<F>;
  k.validate = &Validate<F>;
  k.signature = ::kt::SignatureOf<F>();
  k.workspaces = std::move(workspaces.templates);
  return k;
}

// The object KT_KERNEL defines; its constructor registers the kernel in Registry::Global().
class KernelRegistration {
 public:
  template <class F>
  KernelRegistration(const char* name, F fn, const char* file, int line,
                     Workspaces workspaces = {}) {
    Registry::Global().Add(MakeKernelInfo(name, fn, file, line, std::move(workspaces)));
  }
};

}  // namespace internal
}  // namespace kt

template <>
struct std::is_error_code_enum<kt::RegistryError> : std::true_type {};
