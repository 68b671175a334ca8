// The checked-in table of pci.bdf_round_trip has a row for every BdfError: generation must
// find each way a BDF string can be wrong, and a regeneration that loses one fails here.
// runner/table.h and vfio/pci_address.h only.
#include <gtest/gtest.h>

#include <string>

#include "runner/table.h"
#include "vfio/pci_address.h"

namespace vfio_kernels {
namespace {

TEST(BdfTableTest, EveryBdfErrorKindIsTheOutcomeOfARow) {
  const kt::Expected<kt::Table> table = kt::ReadTable(KT_BDF_TABLE);
  ASSERT_TRUE(table.has_value()) << table.error().message;
  // BdfError starts at 1 and kTrailingCharacters is its last enumerator.
  for (int e = 1; e <= static_cast<int>(vfio::BdfError::kTrailingCharacters); ++e) {
    const std::string want =
        std::string("error(vfio.bdf:") + vfio::ToString(static_cast<vfio::BdfError>(e)) + ")";
    int rows = 0;
    for (const kt::Row& row : table.value().rows) rows += row.expected.text == want ? 1 : 0;
    EXPECT_GE(rows, 1) << want << " is no row's outcome in " << KT_BDF_TABLE;
  }
}

}  // namespace
}  // namespace vfio_kernels
