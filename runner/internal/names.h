// Stable names for errno values, signals and C++ types, so printed outcomes read the same on
// every machine and compiler. The standard library and the C runtime only.
#pragma once

#include <string>
#include <string_view>
#include <typeinfo>

namespace kt::internal {

// "ENOENT" for every errno macro POSIX and Linux define; "errno_<n>" for anything else.
// Aliases print as their primary name (EWOULDBLOCK as EAGAIN, ENOTSUP as EOPNOTSUPP).
std::string ErrnoName(int value);

// "SIGSEGV"; "SIG<n>" for signals without a name.
std::string SignalName(int signal);
// The signal number for a name SignalName returns, or 0.
int SignalFromName(std::string_view name) noexcept;

// The demangled name of a type: "std::out_of_range", "vfio::Perm".
std::string DemangledName(const std::type_info& type);
// The name without its namespaces or enclosing classes: "Perm" for "vfio::Perm".
std::string ShortTypeName(const std::type_info& type);

}  // namespace kt::internal
