#include "helenus/storage/catalog.h"

#include <filesystem>

#include <gtest/gtest.h>

namespace helenus::storage {
namespace {

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("catalog_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override {
    if (!getenv("KEEP")) std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<Store> OpenStore() {
    auto s = Store::Open(dir_.string(), StoreOptions{});
    EXPECT_TRUE(s.ok()) << s.status().message();
    return std::move(s.value());
  }

  static TableSchema Wines() {
    TableSchema t;
    t.keyspace = "accelerate";
    t.name = "wines";
    t.columns.push_back({"wineid", DataType::Of(TypeKind::kInt), ColumnKind::kPartitionKey, 0});
    t.columns.push_back({"quality", DataType::Of(TypeKind::kFloat), ColumnKind::kRegular, -1, false,
                         t.next_column_id++});
    t.columns.push_back({"alcohol", DataType::Of(TypeKind::kFloat), ColumnKind::kRegular, -1, false,
                         t.next_column_id++});
    return t;
  }

  std::filesystem::path dir_;
};

TEST_F(CatalogTest, SchemaSurvivesReopen) {
  Bytes first_version;
  uint32_t table_id = 0;
  {
    auto store = OpenStore();
    auto catalog = Catalog::Load(store.get());
    ASSERT_TRUE(catalog.ok());
    KeyspaceSchema ks;
    ks.name = "accelerate";
    ks.replication = {{"class", "org.apache.cassandra.locator.SimpleStrategy"},
                      {"replication_factor", "1"}};
    ASSERT_TRUE((*catalog)->PutKeyspace(ks).ok());
    first_version = (*catalog)->Snapshot()->version;
    ASSERT_TRUE((*catalog)->PutTable(Wines()).ok());
    EXPECT_NE((*catalog)->Snapshot()->version, first_version);
    table_id = (*catalog)->Snapshot()->FindTable("accelerate", "wines")->table_id;
  }
  auto store = OpenStore();
  auto catalog = Catalog::Load(store.get());
  ASSERT_TRUE(catalog.ok());
  auto t = (*catalog)->Snapshot()->FindTable("accelerate", "wines");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->table_id, table_id);
  EXPECT_EQ(t->uuid.size(), 16u);
  // Key columns first, then the others by name, as system_schema lists them.
  ASSERT_EQ(t->columns.size(), 3u);
  EXPECT_EQ(t->columns[0].name, "wineid");
  EXPECT_EQ(t->columns[1].name, "alcohol");
  EXPECT_EQ(t->columns[2].name, "quality");
  EXPECT_EQ(t->layout.columns.size(), 2u);
  EXPECT_EQ(
      (*catalog)->Snapshot()->FindKeyspace("accelerate")->replication.at("replication_factor"),
      "1");
}

TEST_F(CatalogTest, TableIdsAreNeverReused) {
  auto store = OpenStore();
  auto catalog = Catalog::Load(store.get());
  ASSERT_TRUE(catalog.ok());
  KeyspaceSchema ks;
  ks.name = "accelerate";
  ASSERT_TRUE((*catalog)->PutKeyspace(ks).ok());
  ASSERT_TRUE((*catalog)->PutTable(Wines()).ok());
  uint32_t first = (*catalog)->Snapshot()->FindTable("accelerate", "wines")->table_id;
  ASSERT_TRUE((*catalog)->DropTable("accelerate", "wines").ok());
  EXPECT_FALSE((*catalog)->Snapshot()->FindTable("accelerate", "wines"));
  ASSERT_TRUE((*catalog)->PutTable(Wines()).ok());
  EXPECT_GT((*catalog)->Snapshot()->FindTable("accelerate", "wines")->table_id, first);
}

TEST_F(CatalogTest, DropKeyspaceRemovesTables) {
  auto store = OpenStore();
  auto catalog = Catalog::Load(store.get());
  ASSERT_TRUE(catalog.ok());
  KeyspaceSchema ks;
  ks.name = "accelerate";
  ASSERT_TRUE((*catalog)->PutKeyspace(ks).ok());
  ASSERT_TRUE((*catalog)->PutTable(Wines()).ok());
  ASSERT_TRUE((*catalog)->DropKeyspace("accelerate").ok());
  EXPECT_FALSE((*catalog)->Snapshot()->FindKeyspace("accelerate"));
  EXPECT_FALSE((*catalog)->DropKeyspace("accelerate").ok());
}

}  // namespace
}  // namespace helenus::storage
