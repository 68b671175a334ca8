// The report's symbols by run-time address: gathered first, then located and symbolised in
// one batch, then read while the report is built. report/ only.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "report/program_map.h"
#include "report/symbolizer.h"
#include "runner/error.h"

namespace kt::report::internal {

// Thread-compatible.
class SymbolTable {
 public:
  void Want(std::uintptr_t pc) { entries_.try_emplace(pc); }
  // Locates every wanted address in this process and symbolises them in one batch.
  Expected<void> Resolve(Symbolizer& symbolizer);
  // The symbol of `pc`: one empty frame when it was not wanted or is unknown.
  const Symbol& Get(std::uintptr_t pc) const;
  // Where `pc` is on disk; an empty module when unknown.
  const ModuleAddress& AddressOf(std::uintptr_t pc) const;

 private:
  struct Entry {
    ModuleAddress address;
    Symbol symbol;
  };
  std::map<std::uintptr_t, Entry> entries_;
};

}  // namespace kt::report::internal
