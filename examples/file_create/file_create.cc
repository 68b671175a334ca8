// CreateFile's arguments mapped onto openat(2). POSIX, the standard library and
// Boost.Outcome only.
#include "examples/file_create/file_create.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace file_create {
namespace {

std::error_code Errno(int err) { return {err, std::generic_category()}; }
std::error_code Errc(std::errc e) { return std::make_error_code(e); }

Result<int> AccessFor(Mode mode) {
  switch (mode) {
    case Mode::kUnchanged: return Errc(std::errc::invalid_argument);
    case Mode::kNone:
    case Mode::kAttrRead:
    case Mode::kRead: return O_RDONLY;
    case Mode::kAttrWrite:
    case Mode::kWrite: return O_RDWR;
    case Mode::kAppend: return O_WRONLY | O_APPEND;
  }
  return Errc(std::errc::invalid_argument);
}

int DispositionFor(Creation creation) {
  switch (creation) {
    case Creation::kOpenExisting: return 0;
    case Creation::kCreateNew: return O_CREAT | O_EXCL;
    case Creation::kCreateAlways: return O_CREAT | O_TRUNC;
    case Creation::kOpenAlways: return O_CREAT;
    case Creation::kTruncateExisting: return O_TRUNC;
  }
  return 0;
}

Result<int> CachingFor(Caching caching) {
  switch (caching) {
    case Caching::kUnchanged: return Errc(std::errc::invalid_argument);
    case Caching::kNone:
    case Caching::kOnlyMetadata: return Errc(std::errc::operation_not_supported);
    case Caching::kReads: return O_SYNC;
    case Caching::kReadsAndMetadata: return O_DSYNC;
    case Caching::kAll:
    case Caching::kSafetyFsyncs:
    case Caching::kTemporary: return 0;
  }
  return Errc(std::errc::invalid_argument);
}

int OpenAt(int dir_fd, const std::string& name, int flags) {
  int fd;
  do {
    fd = ::openat(dir_fd, name.c_str(), flags | O_CLOEXEC, 0644);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

// Opens with `flags`, saying whether the file was created. O_CREAT alone cannot tell, and
// CreateFile does (ERROR_ALREADY_EXISTS), so that open first tries O_EXCL and, when the file
// exists, opens it without O_CREAT (a file removed in between then gives ENOENT).
Result<std::pair<int, bool>> OpenReportingCreation(int dir_fd, const std::string& name,
                                                   int flags) {
  if ((flags & O_CREAT) != 0 && (flags & O_EXCL) == 0) {
    const int fd = OpenAt(dir_fd, name, flags | O_EXCL);
    if (fd >= 0) return std::pair(fd, true);
    if (errno != EEXIST) return Errno(errno);
    flags &= ~O_CREAT;
  }
  const int fd = OpenAt(dir_fd, name, flags);
  if (fd < 0) return Errno(errno);
  // Of the opens that reach here, only O_CREAT|O_EXCL created the file.
  return std::pair(fd, (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL));
}

struct FlagName {
  int bits;
  const char* name;
};
// O_SYNC before O_DSYNC: on Linux O_SYNC includes O_DSYNC's bit.
constexpr FlagName kFlagNames[] = {
    {O_CREAT, "O_CREAT"},   {O_EXCL, "O_EXCL"},         {O_TRUNC, "O_TRUNC"},
    {O_APPEND, "O_APPEND"}, {O_NONBLOCK, "O_NONBLOCK"}, {O_SYNC, "O_SYNC"},
    {O_DSYNC, "O_DSYNC"},
};

}  // namespace

std::ostream& operator<<(std::ostream& os, OpenFlags flags) {
  switch (flags.value & O_ACCMODE) {
    case O_RDONLY: os << "O_RDONLY"; break;
    case O_WRONLY: os << "O_WRONLY"; break;
    default: os << "O_RDWR"; break;
  }
  int shown = O_ACCMODE;
  for (const FlagName& f : kFlagNames) {
    if ((flags.value & f.bits) == f.bits && (shown & f.bits) != f.bits) {
      os << '|' << f.name;
      shown |= f.bits;
    }
  }
  return os;
}

// Boost.Outcome's TRY with a variable changed meaning between Boost versions, so results are
// unpacked by hand.
Result<OpenFlags> OpenFlagsFor(Mode mode, Creation creation, Caching caching, Flag flags) {
  const Result<int> access = AccessFor(mode);
  if (!access) return access.error();
  const int disposition = DispositionFor(creation);
  if ((disposition & O_TRUNC) != 0 && (access.value() & O_ACCMODE) == O_RDONLY) {
    return Errc(std::errc::invalid_argument);
  }
  const Result<int> cache = CachingFor(caching);
  if (!cache) return cache.error();
  const int nonblock = HasFlag(flags, Flag::kOverlapped) ? O_NONBLOCK : 0;
  return OpenFlags{access.value() | disposition | cache.value() | nonblock};
}

Result<FileHandle> FileCreate(int dir_fd, const std::string& name, Mode mode, Creation creation,
                              Caching caching, Flag flags) {
  const Result<OpenFlags> open_flags = OpenFlagsFor(mode, creation, caching, flags);
  if (!open_flags) return open_flags.error();
  const auto opened = OpenReportingCreation(dir_fd, name, open_flags.value().value);
  if (!opened) return opened.error();
  const auto [fd, created] = opened.value();
  FileHandle handle(dir_fd, name, fd, open_flags.value(), created, flags);
  // A new name survives a crash only once its directory does, which is what safety fsyncs
  // are for.
  if (created && caching == Caching::kSafetyFsyncs &&
      !HasFlag(flags, Flag::kDisableSafetyFsyncs) && ::fsync(dir_fd) != 0) {
    return Errno(errno);
  }
  return handle;
}

FileHandle::FileHandle(int dir_fd, std::string name, int fd, OpenFlags flags, bool created,
                       Flag options) noexcept
    : dir_fd_(dir_fd),
      name_(std::move(name)),
      fd_(fd),
      flags_(flags),
      created_(created),
      options_(options) {}

FileHandle::FileHandle(FileHandle&& other) noexcept
    : dir_fd_(other.dir_fd_),
      name_(std::move(other.name_)),
      fd_(std::exchange(other.fd_, -1)),
      flags_(other.flags_),
      created_(other.created_),
      options_(other.options_) {}

FileHandle& FileHandle::operator=(FileHandle&& other) noexcept {
  if (this != &other) {
    (void)Close();
    dir_fd_ = other.dir_fd_;
    name_ = std::move(other.name_);
    fd_ = std::exchange(other.fd_, -1);
    flags_ = other.flags_;
    created_ = other.created_;
    options_ = other.options_;
  }
  return *this;
}

FileHandle::~FileHandle() { (void)Close(); }

Result<std::uint64_t> FileHandle::Size() const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return Errno(errno);
  return static_cast<std::uint64_t>(st.st_size);
}

Result<void> FileHandle::Close() {
  if (fd_ < 0) return BOOST_OUTCOME_V2_NAMESPACE::success();
  std::error_code failed;
  if (HasFlag(options_, Flag::kUnlinkOnClose)) {
    // Someone may have renamed another file over the name since the open: unlinking it
    // would delete the wrong file, so check the name still leads to this one.
    struct stat mine {}, named {};
    const bool same = HasFlag(options_, Flag::kDisableSafetyUnlinks) ||
                      (::fstat(fd_, &mine) == 0 &&
                       ::fstatat(dir_fd_, name_.c_str(), &named, AT_SYMLINK_NOFOLLOW) == 0 &&
                       mine.st_dev == named.st_dev && mine.st_ino == named.st_ino);
    if (same && ::unlinkat(dir_fd_, name_.c_str(), 0) != 0) failed = Errno(errno);
  }
  // close(2) is not retried on EINTR: on Linux the descriptor is gone either way.
  if (::close(std::exchange(fd_, -1)) != 0 && !failed) failed = Errno(errno);
  if (failed) return failed;
  return BOOST_OUTCOME_V2_NAMESPACE::success();
}

}  // namespace file_create
