// Seeder test input: a kernel that compares its texts with constants in each way the seeder
// harvests (operators, members, C functions, constant variables and byte arrays), directly
// and through a helper, plus comparisons that seed nothing.
#include <array>
#include <cstddef>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "ast_seeder/testdata/kt_testing.h"

namespace strings {

constexpr std::string_view kDriver = "vfio-pci";
constexpr unsigned char kElfMagic[] = {0x7f, 'E', 'L', 'F'};
constexpr std::array<std::byte, 2> kMarker = {std::byte{0xca}, std::byte{0xfe}};

static bool IsElf(std::span<const std::byte> data) {
  return data.size() >= sizeof kElfMagic &&
         std::memcmp(data.data(), kElfMagic, sizeof kElfMagic) == 0;
}

int Compare(std::string_view name, const std::string& path,
            KT_BYTES(64) std::span<const std::byte> data) {
  if (name == kDriver) return 1;
  if (name != "pci-stub") return 2;
  if (name.starts_with("0000:")) return 3;
  if (path.compare("/dev/vfio/vfio") == 0) return 4;
  if (std::strncmp(path.c_str(), "/sys/", 5) == 0) return 5;
  if (IsElf(data)) return 6;
  if (data.size() == kMarker.size() && std::memcmp(data.data(), kMarker.data(), 2) == 0) return 7;
  if (name.ends_with(std::string_view("\0\xff", 2))) return 8;
  if (path == "") return 9;
  return 0;
}
KT_KERNEL("strings.compare", Compare);

}  // namespace strings
