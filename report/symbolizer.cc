// The llvm-symbolizer client and the source-line cache (report/symbolizer.h). POSIX
// (posix_spawn, a socketpair, poll) and the standard library only.
#include "report/symbolizer.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <thread>
#include <utility>

extern char** environ;

namespace kt::report {
namespace {

Error SymError(SymbolizerError e, std::string message) {
  return MakeError(e, "llvm-symbolizer: " + std::move(message));
}

std::string FindSymbolizer(const SymbolizerOptions& options) {
  if (!options.path.empty()) return access(options.path.c_str(), X_OK) == 0 ? options.path : "";
  for (const char* candidate : kSymbolizerCandidates) {
    if (access(candidate, X_OK) == 0) return candidate;
  }
  return "";
}

// "file:line:column", split from the right: a path may hold ':' itself.
Frame ParseLocation(std::string function, const std::string& text) {
  Frame frame;
  if (function != "??") frame.function = std::move(function);
  const std::size_t column_colon = text.rfind(':');
  const std::size_t line_colon =
      column_colon == std::string::npos || column_colon == 0 ? std::string::npos
                                                             : text.rfind(':', column_colon - 1);
  if (line_colon == std::string::npos) return frame;
  frame.file = text.substr(0, line_colon);
  if (frame.file == "??") frame.file.clear();
  frame.line = static_cast<std::uint32_t>(
      std::strtoul(text.substr(line_colon + 1, column_colon - line_colon - 1).c_str(), nullptr, 10));
  frame.column =
      static_cast<std::uint32_t>(std::strtoul(text.substr(column_colon + 1).c_str(), nullptr, 10));
  return frame;
}

// Turns the reply stream into Symbols: per frame a function line and a location line, and
// an empty line after each address.
class ReplyParser {
 public:
  void Feed(std::string_view bytes, std::vector<Symbol>* out) {
    pending_.append(bytes);
    std::size_t start = 0;
    for (std::size_t nl; (nl = pending_.find('\n', start)) != std::string::npos; start = nl + 1) {
      Line(pending_.substr(start, nl - start), out);
    }
    pending_.erase(0, start);
  }

 private:
  void Line(std::string line, std::vector<Symbol>* out) {
    if (line.empty()) {
      if (current_.frames.empty()) current_.frames.emplace_back();
      out->push_back(std::move(current_));
      current_ = Symbol();
      function_.reset();
    } else if (!function_) {
      function_ = std::move(line);
    } else {
      current_.frames.push_back(ParseLocation(std::move(*function_), line));
      function_.reset();
    }
  }

  std::string pending_;
  Symbol current_;
  std::optional<std::string> function_;
};

// The query of one address, or "" for a path the syntax cannot carry.
std::string Query(const ModuleAddress& address) {
  if (address.module.empty() || address.module.find_first_of("\"\n") != std::string::npos) {
    return "";
  }
  char offset[32];
  std::snprintf(offset, sizeof offset, " 0x%llx\n",
                static_cast<unsigned long long>(address.offset));
  return "\"" + address.module + "\"" + offset;
}

}  // namespace

const char* ToString(SymbolizerError e) noexcept {
  switch (e) {
    case SymbolizerError::kNotFound: return "not_found";
    case SymbolizerError::kSpawn: return "spawn";
    case SymbolizerError::kIo: return "io";
    case SymbolizerError::kTimeout: return "timeout";
  }
  return "unknown";
}

const std::error_category& SymbolizerCategory() noexcept {
  static const kt::internal::EnumCategory<SymbolizerError> category("kt.symbolizer");
  return category;
}

std::error_code make_error_code(SymbolizerError e) noexcept {
  return {static_cast<int>(e), SymbolizerCategory()};
}

Expected<Symbolizer> Symbolizer::Start(const SymbolizerOptions& options) {
  const std::string path = FindSymbolizer(options);
  if (path.empty()) {
    return SymError(SymbolizerError::kNotFound,
                    options.path.empty() ? std::string("none of /usr/bin/llvm-symbolizer-19, "
                                                       "/usr/lib/llvm-19/bin/llvm-symbolizer "
                                                       "(install llvm-19)")
                                         : options.path + " is not executable");
  }
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    return SymError(SymbolizerError::kSpawn, std::string("socketpair: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  // Warnings about files without debug information would interleave with the caller's output.
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::string arg0 = path;
  std::string inlines = "--inlines";
  char* argv[] = {arg0.data(), inlines.data(), nullptr};
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, path.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (spawned != 0) {
    close(fds[0]);
    return SymError(SymbolizerError::kSpawn, path + ": " + std::strerror(spawned));
  }
  return Symbolizer(pid, fds[0], options.timeout);
}

Symbolizer::Symbolizer(Symbolizer&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      socket_(std::exchange(other.socket_, -1)),
      timeout_(other.timeout_) {}

Symbolizer& Symbolizer::operator=(Symbolizer&& other) noexcept {
  if (this != &other) {
    Stop();
    pid_ = std::exchange(other.pid_, -1);
    socket_ = std::exchange(other.socket_, -1);
    timeout_ = other.timeout_;
  }
  return *this;
}

Symbolizer::~Symbolizer() { Stop(); }

void Symbolizer::Stop() noexcept {
  if (socket_ >= 0) close(socket_);  // end of input: llvm-symbolizer exits
  socket_ = -1;
  if (pid_ <= 0) return;
  // A second is plenty for a process at end of input; a wedged one is killed, never waited
  // for forever.
  for (int i = 0; i < 100; ++i) {
    if (waitpid(pid_, nullptr, WNOHANG) != 0) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

Expected<std::vector<Symbol>> Symbolizer::Symbolize(std::span<const ModuleAddress> addresses) {
  std::vector<Symbol> answers(addresses.size());
  std::vector<std::size_t> asked;  // indexes of the addresses queried, in order
  std::string request;
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    const std::string query = Query(addresses[i]);
    answers[i].frames.emplace_back();
    if (query.empty()) continue;
    asked.push_back(i);
    request += query;
  }
  if (asked.empty()) return answers;
  if (socket_ < 0) return SymError(SymbolizerError::kIo, "the process has ended");
  // Written and read together: a large batch would fill both socket buffers and deadlock
  // if written first.
  std::vector<Symbol> replies;
  ReplyParser parser;
  std::size_t written = 0;
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  char buffer[1 << 16];
  while (replies.size() < asked.size()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      Stop();
      return SymError(SymbolizerError::kTimeout, "no answer within the timeout");
    }
    pollfd fd{socket_, static_cast<short>(POLLIN | (written < request.size() ? POLLOUT : 0)), 0};
    if (poll(&fd, 1, static_cast<int>(std::min<long long>(left.count(), 1'000))) < 0) {
      if (errno == EINTR) continue;
      Stop();
      return SymError(SymbolizerError::kIo, std::string("poll: ") + std::strerror(errno));
    }
    if ((fd.revents & POLLOUT) != 0 && written < request.size()) {
      const ssize_t n = send(socket_, request.data() + written, request.size() - written,
                             MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) written += static_cast<std::size_t>(n);
    }
    if ((fd.revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      const ssize_t n = recv(socket_, buffer, sizeof buffer, MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        Stop();
        return SymError(SymbolizerError::kIo, "the process ended before answering");
      }
      if (n > 0) parser.Feed({buffer, static_cast<std::size_t>(n)}, &replies);
    }
  }
  for (std::size_t k = 0; k < asked.size(); ++k) answers[asked[k]] = std::move(replies[k]);
  return answers;
}

const std::vector<std::string>* SourceFiles::Lines(const std::string& file) {
  auto [it, inserted] = files_.try_emplace(file);
  if (inserted) {
    std::ifstream in(file, std::ios::binary);
    if (in) {
      std::vector<std::string> lines;
      for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(std::move(line));
      }
      it->second = std::move(lines);
    }
  }
  return it->second ? &*it->second : nullptr;
}

const std::string* SourceFiles::Line(const std::string& file, std::uint32_t line) {
  const std::vector<std::string>* lines = Lines(file);
  if (lines == nullptr || line == 0 || line > lines->size()) return nullptr;
  return &(*lines)[line - 1];
}

std::size_t SourceFiles::NumLines(const std::string& file) {
  const std::vector<std::string>* lines = Lines(file);
  return lines == nullptr ? 0 : lines->size();
}

}  // namespace kt::report
