// Stable names for errno values, signals and types. The standard library, <cxxabi.h> and
// the C runtime only.
#include "runner/internal/names.h"

#include <cxxabi.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <memory>

namespace kt::internal {
namespace {

struct Name {
  int value;
  const char* name;
};

#define KT_NAME(x) Name{x, #x}

// POSIX errno values first, then Linux's own; aliases come after their primary spelling so
// the first match wins.
constexpr Name kErrnoNames[] = {
    KT_NAME(EPERM), KT_NAME(ENOENT), KT_NAME(ESRCH), KT_NAME(EINTR), KT_NAME(EIO),
    KT_NAME(ENXIO), KT_NAME(E2BIG), KT_NAME(ENOEXEC), KT_NAME(EBADF), KT_NAME(ECHILD),
    KT_NAME(EAGAIN), KT_NAME(ENOMEM), KT_NAME(EACCES), KT_NAME(EFAULT), KT_NAME(EBUSY),
    KT_NAME(EEXIST), KT_NAME(EXDEV), KT_NAME(ENODEV), KT_NAME(ENOTDIR), KT_NAME(EISDIR),
    KT_NAME(EINVAL), KT_NAME(ENFILE), KT_NAME(EMFILE), KT_NAME(ENOTTY), KT_NAME(ETXTBSY),
    KT_NAME(EFBIG), KT_NAME(ENOSPC), KT_NAME(ESPIPE), KT_NAME(EROFS), KT_NAME(EMLINK),
    KT_NAME(EPIPE), KT_NAME(EDOM), KT_NAME(ERANGE), KT_NAME(EDEADLK), KT_NAME(ENAMETOOLONG),
    KT_NAME(ENOLCK), KT_NAME(ENOSYS), KT_NAME(ENOTEMPTY), KT_NAME(ELOOP), KT_NAME(ENOMSG),
    KT_NAME(EIDRM), KT_NAME(ENOSTR), KT_NAME(ENODATA), KT_NAME(ETIME), KT_NAME(ENOSR),
    KT_NAME(ENOLINK), KT_NAME(EPROTO), KT_NAME(EMULTIHOP), KT_NAME(EBADMSG),
    KT_NAME(EOVERFLOW), KT_NAME(EILSEQ), KT_NAME(ENOTSOCK), KT_NAME(EDESTADDRREQ),
    KT_NAME(EMSGSIZE), KT_NAME(EPROTOTYPE), KT_NAME(ENOPROTOOPT), KT_NAME(EPROTONOSUPPORT),
    KT_NAME(EOPNOTSUPP), KT_NAME(EAFNOSUPPORT), KT_NAME(EADDRINUSE), KT_NAME(EADDRNOTAVAIL),
    KT_NAME(ENETDOWN), KT_NAME(ENETUNREACH), KT_NAME(ENETRESET), KT_NAME(ECONNABORTED),
    KT_NAME(ECONNRESET), KT_NAME(ENOBUFS), KT_NAME(EISCONN), KT_NAME(ENOTCONN),
    KT_NAME(ETIMEDOUT), KT_NAME(ECONNREFUSED), KT_NAME(EHOSTUNREACH), KT_NAME(EALREADY),
    KT_NAME(EINPROGRESS), KT_NAME(ESTALE), KT_NAME(EDQUOT), KT_NAME(ECANCELED),
    KT_NAME(EOWNERDEAD), KT_NAME(ENOTRECOVERABLE), KT_NAME(EWOULDBLOCK), KT_NAME(ENOTSUP),
#if defined(__linux__)
    KT_NAME(ENOTBLK), KT_NAME(ECHRNG), KT_NAME(EL2NSYNC), KT_NAME(EL3HLT), KT_NAME(EL3RST),
    KT_NAME(ELNRNG), KT_NAME(EUNATCH), KT_NAME(ENOCSI), KT_NAME(EL2HLT), KT_NAME(EBADE),
    KT_NAME(EBADR), KT_NAME(EXFULL), KT_NAME(ENOANO), KT_NAME(EBADRQC), KT_NAME(EBADSLT),
    KT_NAME(EBFONT), KT_NAME(ENONET), KT_NAME(ENOPKG), KT_NAME(EREMOTE), KT_NAME(EADV),
    KT_NAME(ESRMNT), KT_NAME(ECOMM), KT_NAME(EDOTDOT), KT_NAME(ENOTUNIQ), KT_NAME(EBADFD),
    KT_NAME(EREMCHG), KT_NAME(ELIBACC), KT_NAME(ELIBBAD), KT_NAME(ELIBSCN), KT_NAME(ELIBMAX),
    KT_NAME(ELIBEXEC), KT_NAME(ERESTART), KT_NAME(ESTRPIPE), KT_NAME(EUSERS),
    KT_NAME(ESOCKTNOSUPPORT), KT_NAME(EPFNOSUPPORT), KT_NAME(ESHUTDOWN),
    KT_NAME(ETOOMANYREFS), KT_NAME(EHOSTDOWN), KT_NAME(EUCLEAN), KT_NAME(ENOTNAM),
    KT_NAME(ENAVAIL), KT_NAME(EISNAM), KT_NAME(EREMOTEIO), KT_NAME(ENOMEDIUM),
    KT_NAME(EMEDIUMTYPE), KT_NAME(ENOKEY), KT_NAME(EKEYEXPIRED), KT_NAME(EKEYREVOKED),
    KT_NAME(EKEYREJECTED), KT_NAME(ERFKILL), KT_NAME(EHWPOISON), KT_NAME(EDEADLOCK),
#endif
};

constexpr Name kSignalNames[] = {
    KT_NAME(SIGHUP),  KT_NAME(SIGINT),  KT_NAME(SIGQUIT), KT_NAME(SIGILL),  KT_NAME(SIGTRAP),
    KT_NAME(SIGABRT), KT_NAME(SIGBUS),  KT_NAME(SIGFPE),  KT_NAME(SIGKILL), KT_NAME(SIGUSR1),
    KT_NAME(SIGSEGV), KT_NAME(SIGUSR2), KT_NAME(SIGPIPE), KT_NAME(SIGALRM), KT_NAME(SIGTERM),
    KT_NAME(SIGCHLD), KT_NAME(SIGCONT), KT_NAME(SIGSTOP), KT_NAME(SIGTSTP), KT_NAME(SIGTTIN),
    KT_NAME(SIGTTOU), KT_NAME(SIGURG),  KT_NAME(SIGXCPU), KT_NAME(SIGXFSZ), KT_NAME(SIGVTALRM),
    KT_NAME(SIGPROF), KT_NAME(SIGSYS),
};

#undef KT_NAME

}  // namespace

std::string ErrnoName(int value) {
  for (const Name& n : kErrnoNames) {
    if (n.value == value) return n.name;
  }
  return "errno_" + std::to_string(value);
}

std::string SignalName(int signal) {
  for (const Name& n : kSignalNames) {
    if (n.value == signal) return n.name;
  }
  return "SIG" + std::to_string(signal);
}

int SignalFromName(std::string_view name) noexcept {
  for (const Name& n : kSignalNames) {
    if (name == n.name) return n.value;
  }
  return 0;
}

std::string DemangledName(const std::type_info& type) {
  int status = 0;
  const std::unique_ptr<char, void (*)(void*)> demangled(
      abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), std::free);
  return status == 0 && demangled ? std::string(demangled.get()) : std::string(type.name());
}

std::string ShortTypeName(const std::type_info& type) {
  const std::string full = DemangledName(type);
  // The last "::" outside template arguments and parentheses ("(anonymous namespace)::E").
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < full.size(); ++i) {
    const char c = full[i];
    if (c == '<' || c == '(') ++depth;
    if (c == '>' || c == ')') --depth;
    if (depth == 0 && c == ':' && i + 1 < full.size() && full[i + 1] == ':') start = i + 2;
  }
  return full.substr(start);
}

}  // namespace kt::internal
