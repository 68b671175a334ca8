// Atomic file replacement. POSIX only.
#include "runner/internal/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "runner/table.h"

namespace kt::internal {
namespace {

Error IoError(const std::string& what, int err) {
  return MakeError(TableError::kIo, what + ": " + std::strerror(err));
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Writes and syncs the temporary file; the caller unlinks it on failure.
Expected<void> FillTemp(int fd, const std::string& temp, const std::filesystem::path& path,
                        std::string_view content) {
  struct stat old {};
  const mode_t mode = ::stat(path.c_str(), &old) == 0 ? (old.st_mode & 07777) : 0644;
  if (::fchmod(fd, mode) != 0) return IoError("chmod " + temp, errno);
  if (!WriteAll(fd, content)) return IoError("write " + temp, errno);
  if (::fsync(fd) != 0) return IoError("fsync " + temp, errno);
  return outcome::success();
}

}  // namespace

Expected<void> WriteFileAtomically(const std::filesystem::path& path, std::string_view content,
                                   const std::function<void()>& before_rename) {
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  std::string temp = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) return IoError("create a temporary file in " + dir.string(), errno);
  Expected<void> filled = FillTemp(fd, temp, path, content);
  if (::close(fd) != 0 && filled) filled = IoError("close " + temp, errno);
  if (!filled) {
    ::unlink(temp.c_str());
    return filled;
  }
  if (before_rename) before_rename();
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    return IoError("rename " + temp + " to " + path.string(), err);
  }
  // The rename is durable only once the directory entry is.
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return outcome::success();
}

}  // namespace kt::internal
