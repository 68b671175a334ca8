// Tests of permuter/table_builder.h: a search result as the table FormatTable writes.
#include "permuter/table_builder.h"

#include <gtest/gtest.h>

#include <string>

#include "permuter/internal/fake_kernels.h"

namespace kt::permuter {
namespace {

KernelSchema Schema(const internal::FakeKernel& kernel) {
  return {kernel.name, "permuter/internal/fake_kernels.cc", 1, kernel.columns};
}

TEST(TableBuilderTest, RowsStatsAndOutcomesComeFromTheSearch) {
  const internal::FakeKernel& kernel = internal::ArrayIndexKernel();
  internal::FakeExecutor executor(kernel);
  const Expected<SearchResult> r = Search(kernel.columns, {}, {}, executor);
  ASSERT_TRUE(r.has_value());
  const Table table = BuildTable(Schema(kernel), {}, r.value());
  EXPECT_EQ(table.stats.edges_reached, kernel.all_edges.size());
  EXPECT_EQ(table.stats.executions, r.value().stats.executions);
  EXPECT_EQ(table.stats.budget, kDefaultBudget);
  EXPECT_TRUE(table.stats.exhaustive);
  ASSERT_EQ(table.rows.size(), r.value().rows.size());
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    EXPECT_EQ(table.rows[i].values, r.value().rows[i].values);
    EXPECT_EQ(table.rows[i].expected.text, r.value().rows[i].outcome.text);
    EXPECT_FALSE(table.rows[i].workspace.has_value());
  }
  const Expected<std::string> text = FormatTable(table);
  ASSERT_TRUE(text.has_value()) << text.error().message;
  EXPECT_NE(text.value().find("error(fake:too_big)"), std::string::npos);
}

TEST(TableBuilderTest, TheTrailingWorkspaceIndexBecomesTheRowsWorkspace) {
  SearchResult r;
  GeneratedRow row;
  row.values = {Value::Int(Integer(3)), Value::Enum(Integer(1))};
  row.outcome.kind = OutcomeKind::kValue;
  row.outcome.text = "ok(1)";
  row.outcome.detail = "noise";
  r.rows.push_back(row);
  const std::vector<WorkspaceTemplate> workspaces = {{"empty", {}}, {"existing", {}}};
  const Table table = BuildTable(Schema(internal::Magic32Kernel()), workspaces, r);
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_EQ(table.rows[0].values, (std::vector<Value>{Value::Int(Integer(3))}));
  EXPECT_EQ(table.rows[0].workspace, "existing");
  EXPECT_TRUE(table.rows[0].expected.detail.empty());
  EXPECT_EQ(table.workspaces, workspaces);
}

}  // namespace
}  // namespace kt::permuter
