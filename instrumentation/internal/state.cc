// The runtime's state and module registration: what the module-constructor hooks do. Never
// instrumented; compiler builtins only, so it is safe to run before any dynamic initialiser.
#include "instrumentation/internal/state.h"

namespace kt::coverage::internal {

constinit State g_state{};

namespace {

// The module whose constructor ran last, or null. Clang's constructor for one module calls the
// guard, pc-table and control-flow init hooks in that order, so tables belong to this module.
KT_NO_SANITIZE ModuleRecord* LastModule() noexcept {
  return g_state.num_modules == 0 ? nullptr : &g_state.modules[g_state.num_modules - 1];
}

}  // namespace

// Guards get consecutive ids in constructor order (shared libraries before the executable,
// then dlopen order), so an edge id is stable for a given binary and its libraries.
KT_NO_SANITIZE void RegisterGuards(std::uint32_t* start, std::uint32_t* stop) noexcept {
  // The docs allow repeated calls with the same range: a guard with an id, or a module that
  // got none because kMaxEdges had run out, is already registered.
  if (start == nullptr || start >= stop || *start != 0) return;
  for (std::uint32_t i = 0; i < g_state.num_modules; ++i) {
    if (g_state.modules[i].guards == start) return;
  }
  if (g_state.num_modules == kMaxModules) {
    // Its guards stay 0 and count into the sink slot. A repeated call counts again: there is
    // no room left to remember it.
    ++g_state.dropped_modules;
    return;
  }
  const auto num_guards = static_cast<std::uint32_t>(stop - start);
  ModuleRecord& module = g_state.modules[g_state.num_modules++];
  module.guards = start;
  module.num_guards = num_guards;
  module.first_edge = g_state.num_edges;
  const std::uint32_t room = static_cast<std::uint32_t>(kMaxEdges) - g_state.num_edges;
  module.num_edges = num_guards < room ? num_guards : room;
  for (std::uint32_t i = 0; i < module.num_edges; ++i) start[i] = module.first_edge + i + 1;
  g_state.num_edges += module.num_edges;
  g_state.dropped_edges += num_guards - module.num_edges;
}

KT_NO_SANITIZE void RegisterPcTable(const std::uintptr_t* begin,
                                    const std::uintptr_t* end) noexcept {
  if (begin == nullptr || begin >= end) return;
  for (std::uint32_t i = 0; i < g_state.num_modules; ++i) {
    if (g_state.modules[i].pcs == begin) return;  // a repeated constructor call
  }
  ModuleRecord* module = LastModule();
  // The table must have exactly one {PC, PCFlags} pair per guard, or indexes would be off.
  if (module == nullptr || module->pcs != nullptr ||
      static_cast<std::size_t>(end - begin) != std::size_t{2} * module->num_guards) {
    ++g_state.unmatched_tables;
    return;
  }
  module->pcs = begin;
}

KT_NO_SANITIZE void RegisterControlFlow(const std::uintptr_t* begin,
                                        const std::uintptr_t* end) noexcept {
  if (begin == nullptr || begin >= end) return;
  for (std::uint32_t i = 0; i < g_state.num_modules; ++i) {
    if (g_state.modules[i].cfs_begin == begin) return;  // a repeated constructor call
  }
  ModuleRecord* module = LastModule();
  if (module == nullptr || module->cfs_begin != nullptr) {
    ++g_state.unmatched_tables;
    return;
  }
  module->cfs_begin = begin;
  module->cfs_end = end;
}

KT_NO_SANITIZE void NoteUnsupportedInstrumentation() noexcept {
  g_state.saw_unsupported_instrumentation = true;
}

}  // namespace kt::coverage::internal
