// Attribute macros of the SanitizerCoverage runtime, defined once; every __attribute__ the
// runtime needs is spelled here and nowhere else. Clang only, no includes.
#pragma once

#if !defined(__clang__)
#error "instrumentation/ uses SanitizerCoverage and builds with Clang only"
#endif

// A C entry point that instrumented code calls. Default visibility so that an instrumented
// shared library binds to the executable's hooks instead of carrying its own.
#define KT_INTERFACE __attribute__((visibility("default")))

// Never instrumented, whatever flags the file is built with: a coverage callback inside a
// hook would call the hook again, and a sanitizer check on the hot path would be measured as
// kernel cost (and may run before the sanitizer runtime is initialised, from a module ctor).
#define KT_NO_SANITIZE                                                                     \
  __attribute__((no_sanitize("address", "hwaddress", "memory", "thread", "undefined",      \
                             "coverage"),                                                   \
                 disable_sanitizer_instrumentation))

// The return address of the current hook: the instrumented call site clang emitted. Valid
// only in the hook's own body, so a hook reads it and passes it down.
#define KT_CALLER_PC() (reinterpret_cast<std::uintptr_t>(__builtin_return_address(0)))

// Fast-path helpers are forced inline: a real call per hook would double its cost.
#define KT_ALWAYS_INLINE __attribute__((always_inline)) inline

// A definition that any other definition of the same symbol replaces at link time.
#define KT_WEAK __attribute__((weak))
