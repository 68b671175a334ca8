// The built-in hook: a per-row temporary directory, empty or populated from a template,
// handed to the kernel and described afterwards as a manifest that replay compares. Never
// changes the process's working directory, so executions on different threads cannot race
// on it. The standard library, POSIX and runner/error.h only.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "runner/error.h"

namespace kt {

enum class WorkspaceError {
  kBadTemplate = 1,  // a path that is absolute, empty, or has "." or ".." components
  kCreate,           // the temporary directory could not be made
  kPopulate,         // a template entry could not be written
  kSnapshot,         // the directory could not be read back
};
const char* ToString(WorkspaceError e) noexcept;
const std::error_category& WorkspaceCategory() noexcept;
std::error_code make_error_code(WorkspaceError e) noexcept;

struct WorkspaceEntry {
  enum class Type { kFile = 1, kDir, kSymlink, kOther };
  Type type = Type::kFile;
  std::string path;     // relative, '/'-separated: sub/testfile.txt
  std::string content;  // a file's bytes or a symlink's target
  friend bool operator==(const WorkspaceEntry&, const WorkspaceEntry&) = default;
};
WorkspaceEntry File(std::string path, std::string content = {});
WorkspaceEntry Dir(std::string path);
WorkspaceEntry Symlink(std::string path, std::string target);

// A named starting state, KernelTest's "existing1": the entries a fresh workspace holds.
// Example usage:
//   const kt::WorkspaceTemplate kExisting1{"existing1", {kt::File("testfile.txt", "hello")}};
struct WorkspaceTemplate {
  std::string name;  // a table cell: letters, digits, '_', '-', '.'
  std::vector<WorkspaceEntry> entries;
  friend bool operator==(const WorkspaceTemplate&, const WorkspaceTemplate&) = default;
};

// The canonical text of a set of entries, sorted by path, with every parent directory
// listed: {} or {sub/,sub/a.txt="hi",link=link("sub/a.txt"),fifo=other}. Files compare by
// content (printed in full, so keep workspace files small); modes and times are ignored.
std::string FormatManifest(std::vector<WorkspaceEntry> entries);
// The inverse of FormatManifest; any entry order is accepted.
std::optional<std::vector<WorkspaceEntry>> ParseManifest(std::string_view text, std::string* error);
// Why `name` cannot name a template in a table, or nullopt.
std::optional<std::string> CheckTemplateName(std::string_view name);

// A live workspace: a fresh directory under the temporary directory ($TMPDIR), removed with
// everything in it on destruction. Move-only; thread-compatible.
class Workspace {
 public:
  static Expected<Workspace> Create(const WorkspaceTemplate& from);

  Workspace(Workspace&& other) noexcept;
  Workspace& operator=(Workspace&& other) noexcept;
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;
  ~Workspace();

  // The absolute directory, for path-based calls: open(ws.Path("testfile.txt").c_str(), ...).
  const std::filesystem::path& path() const noexcept { return path_; }
  std::string Path(std::string_view relative) const;
  // An O_DIRECTORY descriptor of the directory, for openat-style calls.
  int fd() const noexcept { return fd_; }

  // The directory's current contents.
  Expected<std::vector<WorkspaceEntry>> Snapshot() const;

 private:
  Workspace(std::filesystem::path path, int fd) noexcept : path_(std::move(path)), fd_(fd) {}
  void Remove() noexcept;

  std::filesystem::path path_;
  int fd_ = -1;
};

// The workspace of the execution running on this thread, or nullptr when the kernel's row
// has none (or no execution runs). Kernels call this:
//   const kt::Workspace* ws = kt::CurrentWorkspace();
//   KT_CHECK(ws != nullptr);
//   int fd = ::openat(ws->fd(), "testfile.txt", O_RDONLY);
const Workspace* CurrentWorkspace() noexcept;

}  // namespace kt

template <>
struct std::is_error_code_enum<kt::WorkspaceError> : std::true_type {};
