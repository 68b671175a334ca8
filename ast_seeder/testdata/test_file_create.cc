// Seeder test input: the KernelTest README's test_file_create kernel, ported from Win32 to
// POSIX. Its three enums (mode, creation, caching) and the flag bitfield (a KT_FLAGS enum here)
// are the whole permutation domain: the seeder derives every row's values without a
// hand-written one. Standard C++, POSIX and Boost.Outcome only.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include <boost/outcome/std_result.hpp>
#include <boost/outcome/try.hpp>

#include "ast_seeder/testdata/kt_testing.h"

namespace minimal_afio {

template <class T>
using result = boost::outcome_v2::std_result<T>;

struct file_handle {
  enum class mode : unsigned char {
    unchanged = 0,
    none = 2,
    attr_read = 4,
    attr_write = 5,
    read = 6,
    write = 7,
    append = 9
  };
  enum class creation : unsigned char { open_existing = 0, only_if_not_exist, if_needed, truncate };
  enum class caching : unsigned char {
    unchanged = 0,
    none = 1,
    only_metadata = 2,
    reads = 3,
    reads_and_metadata = 5,
    all = 4,
    safety_fsyncs = 7,
    temporary = 6
  };
  // QUICKCPPLIB_BITFIELD(flag) in the original: an enum with bitwise operators.
  enum class KT_FLAGS flag : unsigned {
    none = 0,
    unlink_on_close = 1 << 0,
    disable_safety_fsyncs = 1 << 2,
    disable_safety_unlinks = 1 << 3,
    win_disable_unlink_emulation = 1 << 24,
    overlapped = 1 << 28,
    byte_lock_insanity = 1 << 29
  };

  int fd = -1;
};

constexpr bool operator&(file_handle::flag a, file_handle::flag b) {
  return (static_cast<unsigned>(a) & static_cast<unsigned>(b)) != 0;
}

using handle = file_handle;

// Win32 access masks become open(2) access modes.
static inline result<int> access_mask_from_handle_mode(handle::mode _mode) {
  int access = 0;
  switch (_mode) {
    case handle::mode::unchanged:
      return std::make_error_code(std::errc::invalid_argument);
    case handle::mode::none:
      break;
    case handle::mode::attr_read:
    case handle::mode::read:
      access = O_RDONLY;
      break;
    case handle::mode::attr_write:
    case handle::mode::write:
      access = O_RDWR;
      break;
    case handle::mode::append:
      access = O_WRONLY | O_APPEND;
      break;
  }
  return access;
}

// Win32 file attributes become open(2) flags.
static inline result<int> attributes_from_handle_caching_and_flags(handle::caching _caching,
                                                                   handle::flag flags) {
  int attribs = 0;
  if (flags & handle::flag::overlapped) attribs |= O_NONBLOCK;
  switch (_caching) {
    case handle::caching::unchanged:
      return std::make_error_code(std::errc::invalid_argument);
    case handle::caching::none:
      attribs |= O_DIRECT | O_SYNC;
      break;
    case handle::caching::only_metadata:
      attribs |= O_DIRECT;
      break;
    case handle::caching::reads:
    case handle::caching::reads_and_metadata:
      attribs |= O_SYNC;
      break;
    case handle::caching::all:
    case handle::caching::safety_fsyncs:
      break;
    case handle::caching::temporary:
      attribs |= O_TMPFILE;
      break;
  }
  return attribs;
}

}  // namespace minimal_afio

namespace file_create {

// A using-declaration, not the README's using-directive: <fcntl.h> has a ::file_handle too.
using minimal_afio::file_handle;
using minimal_afio::result;

// The README kernel without its path parameter: the runner's per-row workspace is the
// working directory, so the file name is fixed.
result<file_handle> test_file_create(file_handle::mode _mode, file_handle::creation _creation,
                                     file_handle::caching _caching, file_handle::flag flags) {
  file_handle ret;
  BOOST_OUTCOME_TRY(access, minimal_afio::access_mask_from_handle_mode(_mode));
  int creation = 0;
  switch (_creation) {
    case file_handle::creation::open_existing:
      break;
    case file_handle::creation::only_if_not_exist:
      creation = O_CREAT | O_EXCL;
      break;
    case file_handle::creation::if_needed:
      creation = O_CREAT;
      break;
    case file_handle::creation::truncate:
      creation = O_TRUNC;
      break;
  }
  BOOST_OUTCOME_TRY(attribs,
                    minimal_afio::attributes_from_handle_caching_and_flags(_caching, flags));
  ret.fd = ::open("testfile.txt", access | creation | attribs, 0600);
  if (ret.fd == -1) return std::error_code(errno, std::generic_category());
  if (flags & file_handle::flag::unlink_on_close) ::unlink("testfile.txt");
  return ret;
}
KT_KERNEL("file_create.test_file_create", test_file_create);

}  // namespace file_create
