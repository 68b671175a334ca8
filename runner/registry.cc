// The kernel registry. The standard library and runner/ only.
#include "runner/registry.h"

#include <map>

namespace kt {

const char* ToString(RegistryError e) noexcept {
  switch (e) {
    case RegistryError::kNotFound: return "not_found";
    case RegistryError::kDuplicate: return "duplicate";
  }
  return "unknown";
}

const std::error_category& RegistryCategory() noexcept {
  static const internal::EnumCategory<RegistryError> category("kt.registry");
  return category;
}

std::error_code make_error_code(RegistryError e) noexcept {
  return {static_cast<int>(e), RegistryCategory()};
}

Registry& Registry::Global() {
  // Never destroyed: registrations in other translation units may outlive any order.
  static Registry* const global = new Registry();
  return *global;
}

void Registry::Add(KernelInfo kernel) { kernels_.push_back(std::move(kernel)); }

Expected<const KernelInfo*> Registry::Find(std::string_view name) const {
  const KernelInfo* found = nullptr;
  for (const KernelInfo& k : kernels_) {
    if (k.name != name) continue;
    if (found != nullptr) {
      return MakeError(RegistryError::kDuplicate,
                       "kernel \"" + k.name + "\" is registered twice: " + found->Location() +
                           " and " + k.Location());
    }
    found = &k;
  }
  if (found == nullptr) {
    return MakeError(RegistryError::kNotFound, "no kernel \"" + std::string(name) + "\"");
  }
  return found;
}

Expected<void> Registry::Validate() const {
  std::map<std::string, std::vector<const KernelInfo*>> by_name;
  for (const KernelInfo& k : kernels_) by_name[k.name].push_back(&k);
  std::string message;
  for (const auto& [name, ks] : by_name) {
    if (ks.size() < 2) continue;
    if (!message.empty()) message += "; ";
    message += "kernel \"" + name + "\" is registered " + std::to_string(ks.size()) + " times:";
    for (const KernelInfo* k : ks) message += " " + k->Location();
  }
  if (!message.empty()) return MakeError(RegistryError::kDuplicate, message);
  return outcome::success();
}

}  // namespace kt
