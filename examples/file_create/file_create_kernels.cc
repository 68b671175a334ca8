// The KernelTest README's test_file_create kernel on POSIX: CreateFile's four parameters,
// each row run in a fresh workspace that starts without testfile.txt, with it empty, or with
// it holding five bytes (KernelTest's non-existing, existing0 and existing1). Depends on the
// runner's kernel API, POSIX and the code under test only.
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>

#include "examples/file_create/file_create.h"
#include "runner/kernel.h"

namespace file_create {

constexpr char kFileName[] = "testfile.txt";

// As in the README: open the file with the call set's arguments, close it if that worked,
// return what the open did. The table's `after` column is the workspace afterwards, so a row
// shows whether the file was created, truncated or unlinked.
kt::result<OpenFlags> CreateFileKernel(Mode mode, Creation creation, Caching caching,
                                       Flag flags) {
  // The kernel registers templates, so every row has a workspace; the process's working
  // directory is never used.
  const kt::Workspace* ws = kt::CurrentWorkspace();
  KT_CHECK(ws != nullptr);
  const bool existed = ::faccessat(ws->fd(), kFileName, F_OK, 0) == 0;
  Result<FileHandle> h = FileCreate(ws->fd(), kFileName, mode, creation, caching, flags);
  if (!h) return h.error();
  const Result<std::uint64_t> size = h.value().Size();
  if (!size) return size.error();
  KT_OBSERVE("created", h.value().created());
  KT_OBSERVE("size", size.value());
  // CreateFile's promises. A failure is a bug in FileCreate: generation stops with a
  // reproducer instead of writing it into the table as expected behaviour.
  const OpenFlags opened = h.value().flags();
  KT_CHECK(h.value().created() == !existed);
  KT_CHECK((opened.value & O_TRUNC) == 0 || size.value() == 0);
  if (Result<void> closed = h.value().Close(); !closed) return closed.error();
  return opened;
}
KT_KERNEL("file_create.create", CreateFileKernel,
          kt::Workspaces{{{"non-existing", {}},
                          {"existing0", {kt::File(kFileName)}},
                          {"existing1", {kt::File(kFileName, "hello")}}}});

}  // namespace file_create
