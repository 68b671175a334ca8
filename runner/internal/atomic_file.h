// Replacing a file atomically: temporary file in the same directory, fsync, rename. POSIX;
// the standard library and runner/error.h only.
#pragma once

#include <filesystem>
#include <functional>
#include <string_view>

#include "runner/error.h"

namespace kt::internal {

// Writes `content` to `path` so that readers see either the old file or the new one. The
// temporary file is ".<name>.tmp-XXXXXX" beside `path` and takes the old file's mode (0644
// for a new file). `before_rename` runs after the data is synced and before the rename: a
// test seam for killing the writer there. Errors are kt.table:io.
Expected<void> WriteFileAtomically(const std::filesystem::path& path, std::string_view content,
                                   const std::function<void()>& before_rename = {});

}  // namespace kt::internal
