// Output files of the seeder. LLVM Support only.
#include "ast_seeder/output_writer.h"

#include <set>

#include "ast_seeder/json_writer.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace ast_seeder {
namespace {

llvm::Error WriteAtomically(const std::string& path, const std::string& text) {
  if (auto existing = llvm::MemoryBuffer::getFile(path)) {
    if ((*existing)->getBuffer() == text) return llvm::Error::success();
  }
  const std::string temp = path + ".tmp";
  std::error_code ec;
  {
    llvm::raw_fd_ostream os(temp, ec);
    if (!ec) {
      os << text;
      os.close();
      ec = os.error();
    }
  }
  if (!ec) ec = llvm::sys::fs::rename(temp, path);
  if (ec)
    return llvm::createStringError(ec, "cannot write %s: %s", path.c_str(), ec.message().c_str());
  return llvm::Error::success();
}

std::set<std::string> ReadManifest(const std::string& path) {
  std::set<std::string> names;
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) return names;
  llvm::SmallVector<llvm::StringRef, 16> lines;
  (*buffer)->getBuffer().split(lines, '\n', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef line : lines) names.insert(line.str());
  return names;
}

std::string EscapeForDepfile(llvm::StringRef path) {
  std::string out;
  for (const char c : path) {
    if (c == ' ' || c == '#' || c == '\\') out += '\\';
    if (c == '$') out += '$';
    out += c;
  }
  return out;
}

}  // namespace

std::string DepfileText(const std::string& target, const std::vector<std::string>& deps) {
  std::string out = EscapeForDepfile(target) + ":";
  for (const std::string& dep : deps) out += " \\\n  " + EscapeForDepfile(dep);
  return out + "\n";
}

llvm::Error WriteOutputs(const SeederOutput& output, const OutputPaths& paths) {
  if (std::error_code ec = llvm::sys::fs::create_directories(paths.out_dir)) {
    return llvm::createStringError(ec, "cannot create %s: %s", paths.out_dir.c_str(),
                                   ec.message().c_str());
  }
  std::string manifest;
  std::set<std::string> written;
  for (const KernelDomain& kernel : output.kernels) {
    const std::string file = kernel.name + ".json";
    llvm::SmallString<256> path(paths.out_dir);
    llvm::sys::path::append(path, file);
    if (llvm::Error e = WriteAtomically(std::string(path), KernelDomainToJson(kernel))) return e;
    manifest += file + "\n";
    written.insert(file);
  }
  if (!paths.manifest.empty()) {
    for (const std::string& stale : ReadManifest(paths.manifest)) {
      // Only plain "<kernel>.json" names: a damaged manifest must not delete anything else.
      if (written.count(stale) != 0 || !llvm::StringRef(stale).ends_with(".json") ||
          stale.find('/') != std::string::npos || stale.front() == '.') {
        continue;
      }
      llvm::SmallString<256> path(paths.out_dir);
      llvm::sys::path::append(path, stale);
      llvm::sys::fs::remove(path);
    }
    // Rewritten even when unchanged: the build compares its time with the inputs'.
    llvm::sys::fs::remove(paths.manifest);
    if (llvm::Error e = WriteAtomically(paths.manifest, manifest)) return e;
  }
  if (!paths.depfile.empty()) {
    const std::string target = paths.manifest.empty() ? paths.out_dir : paths.manifest;
    if (llvm::Error e = WriteAtomically(paths.depfile, DepfileText(target, output.dependencies))) {
      return e;
    }
  }
  return llvm::Error::success();
}

}  // namespace ast_seeder
