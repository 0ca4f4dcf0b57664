#include "helenus/exec/jobs.h"

#include <gtest/gtest.h>

namespace helenus::exec {
namespace {

TEST(JobRegistryTest, ListsRunningJobsWithProgressUntilTheyFinish) {
  JobRegistry registry;
  EXPECT_TRUE(registry.List().empty());
  {
    auto scan = registry.Start("select", "SELECT a FROM t GROUP BY a ALLOW FILTERING");
    auto write = registry.Start("insert", "INSERT INTO u SELECT * FROM t");
    scan->progress()->rows_scanned += 1234;
    scan->progress()->splits_total = 64;
    scan->progress()->splits_done = 10;
    auto jobs = registry.List();
    ASSERT_EQ(jobs.size(), 2u);
    EXPECT_EQ(jobs[0].kind, "select");
    EXPECT_EQ(jobs[0].rows_scanned, 1234u);
    EXPECT_EQ(jobs[0].splits_done, 10u);
    EXPECT_EQ(jobs[0].splits_total, 64u);
    EXPECT_GT(jobs[0].started_at_ms, 0);
    EXPECT_EQ(jobs[1].statement, "INSERT INTO u SELECT * FROM t");
    EXPECT_NE(jobs[0].id, jobs[1].id);

    EXPECT_TRUE(registry.Cancel(scan->id()));
    EXPECT_TRUE(scan->progress()->cancelled);
    EXPECT_FALSE(write->progress()->cancelled);
    EXPECT_FALSE(registry.Cancel(999999));
  }
  EXPECT_TRUE(registry.List().empty());
}

}  // namespace
}  // namespace helenus::exec
