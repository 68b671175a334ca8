// SymbolTable (report/internal/symbol_table.h). report/ and the standard library only.
#include "report/internal/symbol_table.h"

#include <vector>

namespace kt::report::internal {

Expected<void> SymbolTable::Resolve(Symbolizer& symbolizer) {
  std::vector<ModuleAddress> addresses;
  addresses.reserve(entries_.size());
  for (auto& [pc, entry] : entries_) {
    if (std::optional<ModuleAddress> located = LocateInProcess(pc)) entry.address = *located;
    addresses.push_back(entry.address);
  }
  Expected<std::vector<Symbol>> symbols = symbolizer.Symbolize(addresses);
  if (!symbols) return std::move(symbols).assume_error();
  std::size_t i = 0;
  for (auto& [pc, entry] : entries_) entry.symbol = std::move(symbols.value()[i++]);
  return outcome::success();
}

const Symbol& SymbolTable::Get(std::uintptr_t pc) const {
  static const Symbol kUnknown{{Frame{}}};
  const auto it = entries_.find(pc);
  return it == entries_.end() || it->second.symbol.frames.empty() ? kUnknown : it->second.symbol;
}

const ModuleAddress& SymbolTable::AddressOf(std::uintptr_t pc) const {
  static const ModuleAddress kUnknown;
  const auto it = entries_.find(pc);
  return it == entries_.end() ? kUnknown : it->second.address;
}

}  // namespace kt::report::internal
