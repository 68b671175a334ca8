// ProgramMap (report/program_map.h): functions and edges from the pc-table and the
// control-flow table. The coverage runtime's read side, libc and the standard library only.
#include "report/program_map.h"

#include <link.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <map>
#include <utility>

#include "instrumentation/coverage.h"

namespace kt::report {
namespace {

struct LocateQuery {
  std::uintptr_t pc = 0;
  std::optional<ModuleAddress> found;
};

int LocateCallback(dl_phdr_info* info, std::size_t, void* data) {
  auto* query = static_cast<LocateQuery*>(data);
  for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& phdr = info->dlpi_phdr[i];
    if (phdr.p_type != PT_LOAD) continue;
    const std::uintptr_t start = info->dlpi_addr + phdr.p_vaddr;
    if (query->pc - start >= phdr.p_memsz) continue;  // unsigned: also rejects pc < start
    ModuleAddress address;
    address.offset = query->pc - info->dlpi_addr;
    if (info->dlpi_name != nullptr) address.module = info->dlpi_name;
    query->found = std::move(address);
    return 1;
  }
  return 0;
}

std::string SelfExecutable() {
  std::array<char, 4096> buffer{};
  const ssize_t n = readlink("/proc/self/exe", buffer.data(), buffer.size() - 1);
  return n > 0 ? std::string(buffer.data(), static_cast<std::size_t>(n)) : std::string();
}

}  // namespace

std::optional<ModuleAddress> LocateInProcess(std::uintptr_t pc) {
  LocateQuery query{pc, std::nullopt};
  dl_iterate_phdr(&LocateCallback, &query);
  if (query.found && query.found->module.empty()) query.found->module = SelfExecutable();
  return query.found;
}

ProgramMap::ProgramMap(std::vector<EdgeSite> edges, std::vector<coverage::ControlFlowGraph> graphs)
    : edges_(std::move(edges)), graphs_(std::move(graphs)) {
  // std::sort, not stable_sort: libstdc++ 12's stable_sort uses the deprecated
  // get_temporary_buffer, which clang 19 warns about.
  std::sort(edges_.begin(), edges_.end(), [](const EdgeSite& a, const EdgeSite& b) {
    return a.edge != b.edge ? a.edge < b.edge : a.pc < b.pc;
  });
  edges_.erase(std::unique(edges_.begin(), edges_.end(),
                           [](const EdgeSite& a, const EdgeSite& b) { return a.edge == b.edge; }),
               edges_.end());
  edges_by_pc_.resize(edges_.size());
  for (std::size_t i = 0; i < edges_.size(); ++i) edges_by_pc_[i] = i;
  std::sort(edges_by_pc_.begin(), edges_by_pc_.end(), [&](std::size_t a, std::size_t b) {
    return edges_[a].pc != edges_[b].pc ? edges_[a].pc < edges_[b].pc : a < b;
  });
  SplitIntoFunctions();
}

ProgramMap ProgramMap::FromRuntime() {
  std::vector<EdgeSite> edges;
  const auto num_edges = static_cast<std::uint32_t>(coverage::NumEdges());
  edges.reserve(num_edges);
  for (std::uint32_t e = 0; e < num_edges; ++e) {
    if (const std::optional<coverage::EdgeInfo> info = coverage::DescribeEdge(e)) {
      edges.push_back({e, info->pc, info->function_entry});
    }
  }
  std::vector<coverage::ControlFlowGraph> graphs;
  for (std::size_t m = 0; m < coverage::NumModules(); ++m) {
    graphs.push_back(coverage::ModuleControlFlow(m));
  }
  return ProgramMap(std::move(edges), std::move(graphs));
}

void ProgramMap::SplitIntoFunctions() {
  std::map<std::uintptr_t, FunctionInfo> by_entry;
  for (const EdgeSite& site : edges_) {
    FunctionInfo& function = by_entry[site.function];
    function.entry = site.function;
    function.edges.push_back(site.edge);  // edges_ is by ascending id
  }
  for (std::size_t g = 0; g < graphs_.size(); ++g) {
    const std::span<const coverage::ControlFlowBlock> blocks = graphs_[g].blocks();
    FunctionInfo* current = nullptr;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      if (const auto it = by_entry.find(blocks[i].pc); it != by_entry.end()) {
        // A function seen in an earlier row or graph keeps its first rows.
        current = it->second.num_blocks == 0 ? &it->second : nullptr;
        if (current != nullptr) {
          current->graph = g;
          current->first_block = i;
        }
      }
      if (current == nullptr) continue;
      ++current->num_blocks;
      for (const std::uintptr_t callee : blocks[i].callees) {
        if (callee == coverage::kIndirectCallee) {
          current->calls_indirect = true;
        } else if (std::find(current->callees.begin(), current->callees.end(), callee) ==
                   current->callees.end()) {
          current->callees.push_back(callee);
        }
      }
    }
  }
  functions_.reserve(by_entry.size());
  for (auto& [entry, function] : by_entry) functions_.push_back(std::move(function));
}

const FunctionInfo* ProgramMap::FindFunction(std::uintptr_t entry) const noexcept {
  const auto it = std::lower_bound(
      functions_.begin(), functions_.end(), entry,
      [](const FunctionInfo& f, std::uintptr_t value) { return f.entry < value; });
  return it != functions_.end() && it->entry == entry ? &*it : nullptr;
}

const EdgeSite* ProgramMap::FindEdge(std::uint32_t edge) const noexcept {
  const auto it = std::lower_bound(
      edges_.begin(), edges_.end(), edge,
      [](const EdgeSite& site, std::uint32_t value) { return site.edge < value; });
  return it != edges_.end() && it->edge == edge ? &*it : nullptr;
}

const FunctionInfo* ProgramMap::FunctionOfEdge(std::uint32_t edge) const noexcept {
  const EdgeSite* site = FindEdge(edge);
  return site == nullptr ? nullptr : FindFunction(site->function);
}

std::optional<std::uint32_t> ProgramMap::EdgeAtPc(std::uintptr_t pc) const noexcept {
  const auto it = std::lower_bound(
      edges_by_pc_.begin(), edges_by_pc_.end(), pc,
      [&](std::size_t i, std::uintptr_t value) { return edges_[i].pc < value; });
  if (it == edges_by_pc_.end() || edges_[*it].pc != pc) return std::nullopt;
  return edges_[*it].edge;
}

std::span<const coverage::ControlFlowBlock> ProgramMap::BlocksOf(
    const FunctionInfo& function) const {
  if (function.num_blocks == 0 || function.graph >= graphs_.size()) return {};
  return graphs_[function.graph].blocks().subspan(function.first_block, function.num_blocks);
}

}  // namespace kt::report
