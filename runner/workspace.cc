// The per-row workspace: templates, manifests and live directories. The standard library
// and POSIX only.
#include "runner/workspace.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>
#include <tuple>

#include "runner/internal/text.h"
#include "runner/outcome.h"

namespace kt {
namespace fs = std::filesystem;
namespace {

bool IsBareChar(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::strchr("._+@%-/", c) != nullptr;
}

bool IsBarePath(std::string_view p) noexcept {
  return !p.empty() && p.front() != '/' && std::all_of(p.begin(), p.end(), IsBareChar);
}

void AppendPath(std::string& out, std::string_view p) {
  out += IsBarePath(p) ? std::string(p) : internal::Quote(p);
}

std::optional<std::string> CheckPath(std::string_view path) {
  if (path.empty()) return "empty path";
  if (path.front() == '/') return "absolute path '" + std::string(path) + "'";
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = std::min(path.find('/', start), path.size());
    const std::string_view part = path.substr(start, slash - start);
    if (part.empty() || part == "." || part == "..") {
      return "path '" + std::string(path) + "' has an empty, '.' or '..' component";
    }
    start = slash + 1;
  }
  return std::nullopt;
}

// The entries plus every parent directory they imply, sorted by path, duplicates dropped.
std::vector<WorkspaceEntry> Canonical(std::vector<WorkspaceEntry> entries) {
  std::set<std::string> dirs;
  for (const WorkspaceEntry& e : entries) {
    if (e.type == WorkspaceEntry::Type::kDir) dirs.insert(e.path);
  }
  const std::size_t n = entries.size();
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t slash = entries[i].path.find('/'); slash != std::string::npos;
         slash = entries[i].path.find('/', slash + 1)) {
      std::string parent = entries[i].path.substr(0, slash);
      if (dirs.insert(parent).second) entries.push_back(Dir(std::move(parent)));
    }
  }
  std::sort(entries.begin(), entries.end(), [](const WorkspaceEntry& a, const WorkspaceEntry& b) {
    return std::tie(a.path, a.type, a.content) < std::tie(b.path, b.type, b.content);
  });
  entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
  return entries;
}

// One entry of a manifest at the start of `in`; advances `in` past it.
std::optional<WorkspaceEntry> ParseEntry(std::string_view& in, std::string* error) {
  WorkspaceEntry e;
  if (!in.empty() && in.front() == '"') {
    std::optional<std::string> p = internal::ParseQuoted(in, error);
    if (!p) return std::nullopt;
    e.path = std::move(*p);
    if (!in.empty() && in.front() == '/') {
      in.remove_prefix(1);
      e.type = WorkspaceEntry::Type::kDir;
    }
  } else {
    std::size_t n = 0;
    while (n < in.size() && IsBareChar(in[n])) ++n;
    e.path = std::string(in.substr(0, n));
    in.remove_prefix(n);
    if (!e.path.empty() && e.path.back() == '/') {
      e.path.pop_back();
      e.type = WorkspaceEntry::Type::kDir;
    }
  }
  if (e.type != WorkspaceEntry::Type::kDir) {
    if (in.empty() || in.front() != '=') {
      *error = "expected '=' or '/' after '" + e.path + "'";
      return std::nullopt;
    }
    in.remove_prefix(1);
    if (in.substr(0, 5) == "link(") {
      in.remove_prefix(5);
      e.type = WorkspaceEntry::Type::kSymlink;
      std::optional<std::string> target = internal::ParseQuoted(in, error);
      if (!target) return std::nullopt;
      if (in.empty() || in.front() != ')') {
        *error = "expected ')' after a link target";
        return std::nullopt;
      }
      in.remove_prefix(1);
      e.content = std::move(*target);
    } else if (in.substr(0, 5) == "other") {
      in.remove_prefix(5);
      e.type = WorkspaceEntry::Type::kOther;
    } else {
      std::optional<std::string> content = internal::ParseQuoted(in, error);
      if (!content) return std::nullopt;
      e.content = std::move(*content);
    }
  }
  if (std::optional<std::string> bad = CheckPath(e.path)) {
    *error = *bad;
    return std::nullopt;
  }
  return e;
}

Error ErrnoError(WorkspaceError e, const std::string& what, int err) {
  return MakeError(e, what + ": " + std::strerror(err));
}

// Owner rwx on every directory below `dir`, so a kernel's chmod cannot keep it alive.
void MakeRemovable(const fs::path& dir) noexcept {
  std::error_code ec;
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::add, ec);
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) MakeRemovable(it->path());
  }
}

Expected<void> WriteEntry(const fs::path& root, const WorkspaceEntry& e) {
  const fs::path p = root / e.path;
  std::error_code ec;
  switch (e.type) {
    case WorkspaceEntry::Type::kDir: fs::create_directories(p, ec); break;
    case WorkspaceEntry::Type::kSymlink: fs::create_symlink(e.content, p, ec); break;
    case WorkspaceEntry::Type::kFile: {
      std::ofstream out(p, std::ios::binary);
      out.write(e.content.data(), static_cast<std::streamsize>(e.content.size()));
      if (!out.flush()) ec = std::make_error_code(std::errc::io_error);
      break;
    }
    case WorkspaceEntry::Type::kOther:
      return MakeError(WorkspaceError::kBadTemplate, e.path + ": a template cannot hold 'other'");
  }
  if (ec) return MakeError(WorkspaceError::kPopulate, e.path + ": " + ec.message());
  return outcome::success();
}

}  // namespace

const char* ToString(WorkspaceError e) noexcept {
  switch (e) {
    case WorkspaceError::kBadTemplate: return "bad_template";
    case WorkspaceError::kCreate: return "create";
    case WorkspaceError::kPopulate: return "populate";
    case WorkspaceError::kSnapshot: return "snapshot";
  }
  return "unknown";
}

const std::error_category& WorkspaceCategory() noexcept {
  static const internal::EnumCategory<WorkspaceError> category("kt.workspace");
  return category;
}

std::error_code make_error_code(WorkspaceError e) noexcept {
  return {static_cast<int>(e), WorkspaceCategory()};
}

WorkspaceEntry File(std::string path, std::string content) {
  return {WorkspaceEntry::Type::kFile, std::move(path), std::move(content)};
}
WorkspaceEntry Dir(std::string path) { return {WorkspaceEntry::Type::kDir, std::move(path), {}}; }
WorkspaceEntry Symlink(std::string path, std::string target) {
  return {WorkspaceEntry::Type::kSymlink, std::move(path), std::move(target)};
}

std::string FormatManifest(std::vector<WorkspaceEntry> entries) {
  std::string out = "{";
  for (const WorkspaceEntry& e : Canonical(std::move(entries))) {
    if (out.size() > 1) out += ',';
    AppendPath(out, e.path);
    switch (e.type) {
      case WorkspaceEntry::Type::kDir: out += '/'; break;
      case WorkspaceEntry::Type::kFile: out += "=" + internal::Quote(e.content); break;
      case WorkspaceEntry::Type::kSymlink:
        out += "=link(" + internal::Quote(e.content) + ")";
        break;
      case WorkspaceEntry::Type::kOther: out += "=other"; break;
    }
  }
  return out + "}";
}

std::optional<std::vector<WorkspaceEntry>> ParseManifest(std::string_view text,
                                                         std::string* error) {
  if (text.empty() || text.front() != '{') {
    *error = "a manifest starts with '{'";
    return std::nullopt;
  }
  text.remove_prefix(1);
  std::vector<WorkspaceEntry> entries;
  std::set<std::string> paths;
  while (text.empty() || text.front() != '}') {
    std::optional<WorkspaceEntry> e = ParseEntry(text, error);
    if (!e) return std::nullopt;
    if (!paths.insert(e->path).second) {
      *error = "duplicate path '" + e->path + "'";
      return std::nullopt;
    }
    entries.push_back(std::move(*e));
    if (!text.empty() && text.front() == ',') {
      text.remove_prefix(1);
    } else if (text.empty() || text.front() != '}') {
      *error = "expected ',' or '}' after '" + entries.back().path + "'";
      return std::nullopt;
    }
  }
  if (text.size() != 1) {
    *error = "text after the closing '}' of a manifest";
    return std::nullopt;
  }
  return entries;
}

std::optional<std::string> CheckTemplateName(std::string_view name) {
  const bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
  });
  if (ok && name != "-") return std::nullopt;
  return "bad workspace template name '" + std::string(name) + "' (letters, digits, _ - .)";
}

Expected<Workspace> Workspace::Create(const WorkspaceTemplate& from) {
  for (const WorkspaceEntry& e : from.entries) {
    if (std::optional<std::string> bad = CheckPath(e.path)) {
      return MakeError(WorkspaceError::kBadTemplate, from.name + ": " + *bad);
    }
  }
  std::error_code ec;
  std::string dir = (fs::temp_directory_path(ec) / "kt-ws-XXXXXX").string();
  if (ec) return MakeError(WorkspaceError::kCreate, "no temporary directory: " + ec.message());
  if (::mkdtemp(dir.data()) == nullptr) {
    return ErrnoError(WorkspaceError::kCreate, "mkdtemp " + dir, errno);
  }
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    ::rmdir(dir.c_str());
    return ErrnoError(WorkspaceError::kCreate, "open " + dir, err);
  }
  Workspace ws(fs::path(dir), fd);
  for (const WorkspaceEntry& e : Canonical(from.entries)) {
    KT_TRY(WriteEntry(ws.path_, e));
  }
  return ws;
}

Workspace::Workspace(Workspace&& other) noexcept
    : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {
  other.path_.clear();
}

Workspace& Workspace::operator=(Workspace&& other) noexcept {
  if (this != &other) {
    Remove();
    path_ = std::move(other.path_);
    other.path_.clear();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

Workspace::~Workspace() { Remove(); }

void Workspace::Remove() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (path_.empty()) return;
  MakeRemovable(path_);
  std::error_code ec;
  fs::remove_all(path_, ec);
  path_.clear();
}

std::string Workspace::Path(std::string_view relative) const { return (path_ / relative).string(); }

Expected<std::vector<WorkspaceEntry>> Workspace::Snapshot() const {
  std::vector<WorkspaceEntry> entries;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(path_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string rel = it->path().lexically_relative(path_).generic_string();
    const fs::file_status st = it->symlink_status(ec);
    if (ec) break;
    if (fs::is_symlink(st)) {
      const fs::path target = fs::read_symlink(it->path(), ec);
      entries.push_back(Symlink(rel, target.generic_string()));
    } else if (fs::is_directory(st)) {
      entries.push_back(Dir(rel));
    } else if (fs::is_regular_file(st)) {
      std::ifstream in(it->path(), std::ios::binary);
      std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (!in.is_open() || in.bad()) ec = std::make_error_code(std::errc::io_error);
      entries.push_back(File(rel, std::move(content)));
    } else {
      entries.push_back({WorkspaceEntry::Type::kOther, rel, {}});
    }
    if (ec) break;
  }
  if (ec) return MakeError(WorkspaceError::kSnapshot, path_.string() + ": " + ec.message());
  return entries;
}

const Workspace* CurrentWorkspace() noexcept {
  const internal::ExecutionContext* c = internal::ExecutionContext::Current();
  return c != nullptr ? c->workspace() : nullptr;
}

}  // namespace kt
