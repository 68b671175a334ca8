// The code under test of the file_create suite: the KernelTest README's CreateFile-style
// open (access mode, creation disposition, caching, flags) ported to POSIX openat(2). POSIX,
// the standard library and Boost.Outcome only; it knows nothing of kerneltest.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <system_error>

#include <boost/outcome/std_result.hpp>

namespace file_create {

template <class T>
using Result = BOOST_OUTCOME_V2_NAMESPACE::std_result<T>;

// What the handle may do with the file's data: the README's file_handle::mode, with its
// values. POSIX has no attribute-only access, so the attribute modes open like their data
// modes (as LLFIO does on POSIX).
enum class Mode : std::uint8_t {
  kUnchanged = 0,  // meaningful only when reopening a handle: EINVAL here
  kNone = 2,       // O_RDONLY
  kAttrRead = 4,   // O_RDONLY
  kAttrWrite = 5,  // O_RDWR
  kRead = 6,       // O_RDONLY
  kWrite = 7,      // O_RDWR
  kAppend = 9,     // O_WRONLY|O_APPEND
};

// CreateFile's creation dispositions and the open(2) flags each becomes.
enum class Creation : std::uint8_t {
  kOpenExisting = 0,  // OPEN_EXISTING:     none; ENOENT when the file is missing
  kCreateNew,         // CREATE_NEW:        O_CREAT|O_EXCL; EEXIST when it exists
  kCreateAlways,      // CREATE_ALWAYS:     O_CREAT|O_TRUNC; needs write access
  kOpenAlways,        // OPEN_ALWAYS:       O_CREAT
  kTruncateExisting,  // TRUNCATE_EXISTING: O_TRUNC; needs write access; ENOENT when missing
};

// The README's file_handle::caching, with its values.
enum class Caching : std::uint8_t {
  kUnchanged = 0,         // EINVAL, as in the README
  kNone = 1,              // O_DIRECT|O_SYNC in the README: EOPNOTSUPP here, see OpenFlagsFor
  kOnlyMetadata = 2,      // O_DIRECT in the README: EOPNOTSUPP here, see OpenFlagsFor
  kReads = 3,             // O_SYNC
  kReadsAndMetadata = 5,  // O_DSYNC
  kAll = 4,               // the page cache as usual
  kSafetyFsyncs = 7,      // as kAll, and a created file's directory entry is fsync'ed
  kTemporary = 6,         // as kAll: Windows' FILE_ATTRIBUTE_TEMPORARY has no POSIX flag
};

// The README's flag bitfield, the flags with a POSIX meaning. Power-of-two enumerators and
// operator| make it a flag set to the kerneltest seeder without any annotation.
enum class Flag : std::uint32_t {
  kNone = 0,
  kUnlinkOnClose = 1U << 0,         // Close() removes the name first (DELETE_ON_CLOSE)
  kDisableSafetyFsyncs = 1U << 2,   // no directory fsync under Caching::kSafetyFsyncs
  kDisableSafetyUnlinks = 1U << 3,  // unlink without checking the name is still this file
  kOverlapped = 1U << 28,           // O_NONBLOCK: POSIX's nearest to OVERLAPPED
};
constexpr Flag operator|(Flag a, Flag b) {
  return static_cast<Flag>(static_cast<std::uint32_t>(a) | static_cast<std::uint32_t>(b));
}
constexpr bool HasFlag(Flag set, Flag f) {
  return (static_cast<std::uint32_t>(set) & static_cast<std::uint32_t>(f)) != 0;
}

// The open(2) flags a call asked for, printed by name in a fixed order (O_RDWR|O_CREAT|O_EXCL)
// so that a value reads the same on every machine whatever the flags' numeric values.
// O_CLOEXEC, always set, is not printed.
struct OpenFlags {
  int value = 0;
  friend bool operator==(const OpenFlags&, const OpenFlags&) = default;
};
std::ostream& operator<<(std::ostream& os, OpenFlags flags);

// An open file, closed (and, with Flag::kUnlinkOnClose, unlinked) by Close() or the
// destructor. Move-only; thread-compatible. Borrows the directory descriptor FileCreate got,
// which must stay open until the handle is closed.
class FileHandle {
 public:
  FileHandle(FileHandle&& other) noexcept;
  FileHandle& operator=(FileHandle&& other) noexcept;
  FileHandle(const FileHandle&) = delete;
  FileHandle& operator=(const FileHandle&) = delete;
  ~FileHandle();

  int fd() const noexcept { return fd_; }
  OpenFlags flags() const noexcept { return flags_; }
  // Whether this open made the file, which CreateFile reports as ERROR_ALREADY_EXISTS.
  bool created() const noexcept { return created_; }
  // The file's size now, from fstat(2).
  Result<std::uint64_t> Size() const;

  // Unlinks the name first under Flag::kUnlinkOnClose: only while it still names this file,
  // unless Flag::kDisableSafetyUnlinks. Closing a closed handle does nothing.
  Result<void> Close();

 private:
  friend Result<FileHandle> FileCreate(int, const std::string&, Mode, Creation, Caching, Flag);
  FileHandle(int dir_fd, std::string name, int fd, OpenFlags flags, bool created,
             Flag options) noexcept;

  int dir_fd_ = -1;
  std::string name_;
  int fd_ = -1;
  OpenFlags flags_;
  bool created_ = false;
  Flag options_ = Flag::kNone;
};

// The open(2) flags CreateFile's arguments become, or an error:
//   EINVAL      an unchanged mode or caching, or a truncating disposition without write
//               access (O_TRUNC with O_RDONLY is unspecified in POSIX);
//   EOPNOTSUPP  caching that needs O_DIRECT: whether open(2) accepts O_DIRECT depends on the
//               filesystem and the kernel (older tmpfs refuses it), and a table must not
//               depend on the machine that generated it.
Result<OpenFlags> OpenFlagsFor(Mode mode, Creation creation, Caching caching, Flag flags);

// Opens `name` relative to the directory `dir_fd` (openat(2), so the process's working
// directory is never used) as CreateFile would: the errors of OpenFlagsFor, then open(2)'s
// own (generic:ENOENT, generic:EEXIST, ...).
Result<FileHandle> FileCreate(int dir_fd, const std::string& name, Mode mode, Creation creation,
                              Caching caching, Flag flags);

}  // namespace file_create
