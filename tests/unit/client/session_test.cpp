// The driver against a real `helenus serve`.
#include "helenus/client/session.h"

#include <atomic>
#include <set>

#include <gtest/gtest.h>

#include "helenus/common/murmur3.h"
#include "helenus/cql/value_codec.h"
#include "test_server.h"

namespace helenus::client {
namespace {

using testing::TestServer;

class SessionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer();
    server_->Start();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static ClusterOptions Options() {
    ClusterOptions o;
    o.contact_points = {server_->address()};
    o.request_timeout = std::chrono::seconds(30);
    return o;
  }

  static TestServer* server_;
};

TestServer* SessionTest::server_ = nullptr;

TEST_F(SessionTest, ConnectsAndDiscoversTheLocalHost) {
  auto session = Session::Connect(Options());
  EXPECT_EQ(session->protocol_version(), 4);
  auto hosts = session->Hosts();
  ASSERT_EQ(hosts.size(), 1u);
  EXPECT_EQ(hosts[0].address, "127.0.0.1");
  EXPECT_EQ(hosts[0].port, server_->port());
  EXPECT_EQ(hosts[0].host_id.size(), 36u);
  EXPECT_FALSE(hosts[0].data_center.empty());
  EXPECT_FALSE(hosts[0].tokens.empty());
  EXPECT_TRUE(hosts[0].up);

  Result r = session->Execute("SELECT release_version, host_id FROM system.local");
  ASSERT_EQ(r.kind(), ResultKind::kRows);
  ASSERT_TRUE(r.first());
  EXPECT_FALSE(r.first()->GetString("release_version").empty());
  EXPECT_EQ(r.first()->GetUuid("host_id"), hosts[0].host_id);
}

TEST_F(SessionTest, ProtocolV3AndLz4Work) {
  ClusterOptions o = Options();
  o.max_protocol_version = 3;
  o.compression = cql::Compression::kLz4;
  auto session = Session::Connect(o);
  EXPECT_EQ(session->protocol_version(), 3);
  session->Execute(
      "CREATE KEYSPACE IF NOT EXISTS lz WITH replication = {'class': 'SimpleStrategy', "
      "'replication_factor': 1}");
  session->Execute("CREATE TABLE IF NOT EXISTS lz.t (k int PRIMARY KEY, v text)");
  std::string big(100000, 'x');  // compresses well: exercises LZ4 both ways
  session->Execute("INSERT INTO lz.t (k, v) VALUES (?, ?)", {Int(1), Text(big)});
  Result r = session->Execute("SELECT v FROM lz.t WHERE k = ?", {Int(1)});
  ASSERT_TRUE(r.first());
  EXPECT_EQ(r.first()->GetString(0), big);
}

TEST_F(SessionTest, ServerErrorsAreTyped) {
  auto session = Session::Connect(Options());
  try {
    session->Execute("SELEKT 1");
    FAIL() << "no error";
  } catch (const CqlError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kSyntax) << e.what();
  }
  try {
    session->Execute("SELECT * FROM nosuchks.nosuchtable");
    FAIL() << "no error";
  } catch (const CqlError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalid) << e.what();
  }
  session->Execute(
      "CREATE KEYSPACE IF NOT EXISTS errs WITH replication = {'class': 'SimpleStrategy', "
      "'replication_factor': 1}");
  session->Execute("CREATE TABLE IF NOT EXISTS errs.t (k int PRIMARY KEY)");
  try {
    session->Execute("CREATE TABLE errs.t (k int PRIMARY KEY)");
    FAIL() << "no error";
  } catch (const CqlError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kAlreadyExists) << e.what();
    EXPECT_EQ(e.keyspace, "errs");
    EXPECT_EQ(e.table, "t");
  }
  try {
    session->Execute(
        "CREATE KEYSPACE errs WITH replication = {'class': 'SimpleStrategy', "
        "'replication_factor': 1}");
    FAIL() << "no error";
  } catch (const CqlError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kAlreadyExists);
    EXPECT_EQ(e.keyspace, "errs");
    EXPECT_EQ(e.table, "");
  }
  // Wrong number of values for a prepared statement: caught before sending.
  auto p = session->Prepare("INSERT INTO errs.t (k) VALUES (?)");
  try {
    session->Execute(p->Bind({}));
    FAIL() << "no error";
  } catch (const ClientError& e) {
    EXPECT_EQ(e.kind(), ClientErrorKind::kUsage);
  }
  // The session still works after errors.
  EXPECT_EQ(session->Execute("SELECT k FROM errs.t").kind(), ResultKind::kRows);
}

TEST_F(SessionTest, PreparedInsertsWithManyInFlight) {
  ClusterOptions o = Options();
  o.io_threads = 2;  // callbacks on two threads at once
  o.connections_per_host = 3;
  auto session = Session::Connect(o);
  session->Execute(
      "CREATE KEYSPACE IF NOT EXISTS many WITH replication = {'class': 'SimpleStrategy', "
      "'replication_factor': 1}");
  session->SetKeyspace("many");
  EXPECT_EQ(session->keyspace(), "many");
  session->Execute(
      "CREATE TABLE IF NOT EXISTS t (k int PRIMARY KEY, b bigint, d double, f float, s text, "
      "ok boolean, u uuid)");
  auto insert =
      session->Prepare("INSERT INTO t (k, b, d, f, s, ok, u) VALUES (?, ?, ?, ?, ?, ?, ?)");
  EXPECT_EQ(insert,
            session->Prepare("INSERT INTO t (k, b, d, f, s, ok, u) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  EXPECT_EQ(insert->bind_columns().size(), 7u);
  EXPECT_EQ(insert->pk_indexes(), std::vector<uint16_t>{0});

  constexpr int kRows = 1000;
  std::atomic<int> done{0}, failed{0};
  for (int i = 0; i < kRows; ++i) {
    session->ExecuteAsync(
        insert->Bind({Int(i), Bigint(int64_t{i} << 33), Double(i / 4.0), Float(1.5f),
                      Text("row " + std::to_string(i)), Boolean(i % 2 == 0),
                      i % 10 == 0 ? Null() : Uuid("123e4567-e89b-12d3-a456-426655440000")}),
        [&](Result, std::exception_ptr e) {
          if (e) ++failed;
          ++done;
        });
  }
  session->Drain();
  EXPECT_EQ(done.load(), kRows);
  EXPECT_EQ(failed.load(), 0);

  // Futures too.
  std::vector<std::future<Result>> futures;
  auto select = session->Prepare("SELECT k, b, d, f, s, ok, u FROM t WHERE k = ?");
  for (int i = 0; i < 100; ++i) futures.push_back(session->ExecuteAsync(select->Bind({Int(i)})));
  for (int i = 0; i < 100; ++i) {
    Result r = futures[i].get();
    ASSERT_EQ(r.page_size(), 1u);
    Row row = r.row(0);
    EXPECT_EQ(row.GetInt32("k"), i);
    EXPECT_EQ(row.GetInt64("b"), int64_t{i} << 33);
    EXPECT_EQ(row.GetDouble("d"), i / 4.0);
    EXPECT_EQ(row.GetFloat("f"), 1.5f);
    EXPECT_EQ(row.GetString("s"), "row " + std::to_string(i));
    EXPECT_EQ(row.GetBool("ok"), i % 2 == 0);
    EXPECT_EQ(row.IsNull("u"), i % 10 == 0);
    if (i % 10 != 0) {
      EXPECT_EQ(row.GetUuid("u"), "123e4567-e89b-12d3-a456-426655440000");
    }
    EXPECT_THROW(row.Get("nope"), ClientError);
    if (i % 10 == 0) {
      EXPECT_THROW(row.GetUuid("u"), ClientError);
    }
  }
  size_t count = 0;
  for (Row row : session->Execute("SELECT k FROM t")) {
    (void)row;
    ++count;
  }
  EXPECT_EQ(count, static_cast<size_t>(kRows));
}

TEST_F(SessionTest, BatchesMixPreparedAndSimpleStatements) {
  auto session = Session::Connect(Options());
  session->Execute(
      "CREATE KEYSPACE IF NOT EXISTS bat WITH replication = {'class': 'SimpleStrategy', "
      "'replication_factor': 1}");
  session->Execute("CREATE TABLE IF NOT EXISTS bat.t (k int, c int, v text, PRIMARY KEY (k, c))");
  auto insert = session->Prepare("INSERT INTO bat.t (k, c, v) VALUES (?, ?, ?)");
  for (BatchType type : {BatchType::kLogged, BatchType::kUnlogged}) {
    Batch batch(type);
    int k = static_cast<int>(type);
    batch.Add(insert->Bind({Int(k), Int(1), Text("p")}));
    batch.Add(
        Statement("INSERT INTO bat.t (k, c, v) VALUES (?, ?, ?)", {Int(k), Int(2), Text("s")}));
    batch.Add(
        Statement("INSERT INTO bat.t (k, c, v) VALUES (" + std::to_string(k) + ", 3, 'lit')"));
    EXPECT_EQ(session->Execute(batch).kind(), ResultKind::kVoid);
    auto rows = session->Execute("SELECT c, v FROM bat.t WHERE k = ?", {Int(k)}).All();
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].GetString("v"), "p");
    EXPECT_EQ(rows[1].GetString("v"), "s");
    EXPECT_EQ(rows[2].GetString("v"), "lit");
  }
}

TEST_F(SessionTest, PagesOverOneHundredThousandRows) {
  ClusterOptions o = Options();
  o.compression = cql::Compression::kLz4;
  auto session = Session::Connect(o);
  session->Execute(
      "CREATE KEYSPACE IF NOT EXISTS pg WITH replication = {'class': 'SimpleStrategy', "
      "'replication_factor': 1}");
  session->Execute("CREATE TABLE IF NOT EXISTS pg.t (k int, c int, v text, PRIMARY KEY (k, c))");
  auto insert = session->Prepare("INSERT INTO pg.t (k, c, v) VALUES (?, ?, ?)");
  constexpr int kPartitions = 100, kPerPartition = 1000, kPerBatch = 100;
  std::atomic<int> failed{0};
  for (int k = 0; k < kPartitions; ++k) {
    for (int c0 = 0; c0 < kPerPartition; c0 += kPerBatch) {
      Batch batch(BatchType::kUnlogged);
      for (int c = c0; c < c0 + kPerBatch; ++c) {
        batch.Add(insert->Bind({Int(k), Int(c), Text("v" + std::to_string(c))}));
      }
      session->ExecuteAsync(std::move(batch), [&](Result, std::exception_ptr e) {
        if (e) ++failed;
      });
    }
  }
  session->Drain();
  ASSERT_EQ(failed.load(), 0);

  for (int page_size : {5000, 100}) {
    Statement select("SELECT k, c FROM pg.t");
    select.page_size = page_size;
    Result first = session->Execute(select);
    EXPECT_EQ(first.page_size(), static_cast<size_t>(page_size));
    EXPECT_TRUE(first.has_more_pages());
    std::set<std::pair<int, int>> seen;
    size_t rows = 0;
    for (Row row : first) {
      seen.emplace(row.GetInt32(0), row.GetInt32(1));
      ++rows;
    }
    EXPECT_EQ(rows, static_cast<size_t>(kPartitions * kPerPartition)) << "page size " << page_size;
    EXPECT_EQ(seen.size(), rows) << "duplicates with page size " << page_size;
  }

  // Explicit paging state: resume a prepared query page by page.
  auto select = session->Prepare("SELECT c FROM pg.t WHERE k = ?");
  Statement s = select->Bind({Int(7)});
  s.page_size = 300;
  Result page = session->Execute(s);
  size_t total = page.page_size();
  EXPECT_EQ(page.columns().at(0).name, "c");  // from the prepared metadata (No_metadata)
  while (page.has_more_pages()) {
    Statement next = s;
    next.paging_state = page.paging_state();
    page = session->Execute(next);
    total += page.page_size();
  }
  EXPECT_EQ(total, static_cast<size_t>(kPerPartition));
}

TEST_F(SessionTest, RoutingTokensMatchTheServer) {
  auto session = Session::Connect(Options());
  session->Execute(
      "CREATE KEYSPACE IF NOT EXISTS tok WITH replication = {'class': 'SimpleStrategy', "
      "'replication_factor': 1}");
  session->Execute("CREATE TABLE IF NOT EXISTS tok.single (k text PRIMARY KEY, v int)");
  session->Execute(
      "CREATE TABLE IF NOT EXISTS tok.composite (a int, b text, c int, v int, "
      "PRIMARY KEY ((a, b), c))");
  auto single = session->Prepare("INSERT INTO tok.single (k, v) VALUES (?, ?)");
  auto composite = session->Prepare("INSERT INTO tok.composite (v, c, b, a) VALUES (?, ?, ?, ?)");
  EXPECT_EQ(composite->pk_indexes(), (std::vector<uint16_t>{3, 2}));
  for (int i = 0; i < 50; ++i) {
    std::string key = "key" + std::to_string(i);
    Statement s1 = single->Bind({Text(key), Int(i)});
    session->Execute(s1);
    Statement s2 = composite->Bind({Int(i), Int(0), Text(key), Int(i * 7)});
    session->Execute(s2);
    auto t1 = session->Execute("SELECT token(k) FROM tok.single WHERE k = ?", {Text(key)});
    auto t2 = session->Execute("SELECT token(a, b) FROM tok.composite WHERE a = ? AND b = ?",
                               {Int(i * 7), Text(key)});
    ASSERT_TRUE(t1.first() && t2.first());
    EXPECT_EQ(session->RoutingToken(s1), t1.first()->GetInt64(0));
    EXPECT_EQ(session->RoutingToken(s2), t2.first()->GetInt64(0));
    EXPECT_EQ(session->ReplicaFor(*session->RoutingToken(s1)), "127.0.0.1");
  }
  // A simple statement routes by an explicit key; without one there is no token.
  Statement simple("SELECT * FROM tok.single WHERE k = 'x'");
  EXPECT_FALSE(session->RoutingToken(simple));
  simple.routing_key = "x";
  EXPECT_EQ(session->RoutingToken(simple), Murmur3Token("x"));
}

TEST_F(SessionTest, UseThroughExecuteSwitchesEveryConnection) {
  ClusterOptions o = Options();
  o.connections_per_host = 3;
  auto session = Session::Connect(o);
  session->Execute(
      "CREATE KEYSPACE IF NOT EXISTS usek WITH replication = {'class': 'SimpleStrategy', "
      "'replication_factor': 1}");
  session->Execute("CREATE TABLE IF NOT EXISTS usek.t (k int PRIMARY KEY)");
  EXPECT_EQ(session->Execute("USE usek").kind(), ResultKind::kSetKeyspace);
  EXPECT_EQ(session->keyspace(), "usek");
  for (int i = 0; i < 30; ++i) session->Execute("SELECT * FROM t");
  EXPECT_THROW(session->SetKeyspace("no_such_keyspace"), CqlError);

  ClusterOptions bad = Options();
  bad.keyspace = "no_such_keyspace";
  try {
    Session::Connect(bad);
    FAIL() << "connected to a missing keyspace";
  } catch (const CqlError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalid);
  }
}

TEST_F(SessionTest, BackPressureBoundsRequestsInFlight) {
  ClusterOptions o = Options();
  o.connections_per_host = 1;
  o.max_streams_per_connection = 2;  // most requests wait in the pool's queue
  o.max_requests_in_flight = 8;
  o.heartbeat_interval = std::chrono::milliseconds(50);
  auto session = Session::Connect(o);
  session->Execute(
      "CREATE KEYSPACE IF NOT EXISTS bp WITH replication = {'class': 'SimpleStrategy', "
      "'replication_factor': 1}");
  session->Execute("CREATE TABLE IF NOT EXISTS bp.t (k int PRIMARY KEY, v int)");
  auto insert = session->Prepare("INSERT INTO bp.t (k, v) VALUES (?, ?)");
  std::atomic<int> ok{0};
  size_t most = 0;
  for (int i = 0; i < 300; ++i) {
    session->ExecuteAsync(insert->Bind({Int(i), Int(i)}), [&](Result, std::exception_ptr e) {
      if (!e) ++ok;
    });
    most = std::max(most, session->in_flight());
  }
  session->Drain();
  EXPECT_EQ(ok.load(), 300);
  EXPECT_LE(most, 8u);
  // Idle connections answer heartbeats and stay usable.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(session->Execute("SELECT k FROM bp.t").All().size(), 300u);
  EXPECT_EQ(session->stats().errors, 0u);
}

TEST_F(SessionTest, PreparedSelectSeesColumnsAddedLater) {
  auto session = Session::Connect(Options());
  session->Execute(
      "CREATE KEYSPACE IF NOT EXISTS alt WITH replication = {'class': 'SimpleStrategy', "
      "'replication_factor': 1}");
  session->Execute("CREATE TABLE IF NOT EXISTS alt.t (k int PRIMARY KEY, a int)");
  session->Execute("INSERT INTO alt.t (k, a) VALUES (1, 10)");
  auto select = session->Prepare("SELECT * FROM alt.t WHERE k = ?");
  EXPECT_EQ(session->Execute(select->Bind({Int(1)})).first()->GetInt32("a"), 10);
  session->Execute("ALTER TABLE alt.t ADD b text");
  session->Execute("UPDATE alt.t SET b = 'new' WHERE k = 1");
  Result r = session->Execute(select->Bind({Int(1)}));
  ASSERT_TRUE(r.first());
  Row row = r.first().value();
  EXPECT_EQ(row.size(), row.values().size());
  // The server invalidates the statement on DDL; the re-prepare brings the new column.
  ASSERT_EQ(row.columns().size(), 3u);
  EXPECT_EQ(row.GetString("b"), "new");
  EXPECT_EQ(row.GetInt32("a"), 10);
}

// Throughput of prepared inserts with many in flight (run explicitly:
// --gtest_also_run_disabled_tests --gtest_filter='*Throughput*').
TEST_F(SessionTest, DISABLED_Throughput) {
  for (auto compression : {cql::Compression::kNone, cql::Compression::kLz4}) {
    ClusterOptions o = Options();
    o.compression = compression;
    auto session = Session::Connect(o);
    session->Execute(
        "CREATE KEYSPACE IF NOT EXISTS tp WITH replication = {'class': 'SimpleStrategy', "
        "'replication_factor': 1}");
    session->Execute("CREATE TABLE IF NOT EXISTS tp.t (k int, c int, v text, PRIMARY KEY (k, c))");
    auto insert = session->Prepare("INSERT INTO tp.t (k, c, v) VALUES (?, ?, ?)");
    constexpr int kRows = 200000;
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kRows; ++i) {
      session->ExecuteAsync(insert->Bind({Int(i % 1000), Int(i), Text("some text value")}),
                            [](Result, std::exception_ptr) {});
    }
    session->Drain();
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("compression %d: %d single-row inserts in %.2f s = %.0f rows/s\n",
                static_cast<int>(compression), kRows, s, kRows / s);
    start = std::chrono::steady_clock::now();
    Statement all("SELECT k, c, v FROM tp.t");
    size_t n = 0;
    for (Row row : session->Execute(all)) n += row.size();
    s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("  scanned %zu cells in %.2f s\n", n, s);
    EXPECT_EQ(session->stats().errors, 0u);
  }
}

TEST(SessionRestartTest, ReprepareAfterTheServerRestarts) {
  TestServer server;
  server.Start();
  ClusterOptions o;
  o.contact_points = {server.address()};
  o.request_timeout = std::chrono::seconds(30);
  auto session = Session::Connect(o);
  session->Execute(
      "CREATE KEYSPACE rp WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  session->Execute("CREATE TABLE rp.t (k int PRIMARY KEY, v text)");
  auto insert = session->Prepare("INSERT INTO rp.t (k, v) VALUES (?, ?)");
  auto select = session->Prepare("SELECT v FROM rp.t WHERE k = ?");
  session->Execute(insert->Bind({Int(1), Text("before")}));

  server.Stop();
  // While the server is down: a connection error (or no host), never a hang.
  try {
    session->Execute(select->Bind({Int(1)}));
  } catch (const ClientError& e) {
    EXPECT_TRUE(e.kind() == ClientErrorKind::kConnection ||
                e.kind() == ClientErrorKind::kNoHostAvailable)
        << e.what();
  }
  server.Start();
  // The pool reconnects after its back-off; then the old statements work.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (true) {
    try {
      session->Execute(insert->Bind({Int(2), Text("after")}));
      break;
    } catch (const ClientError& e) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << e.what();
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
  Result r = session->Execute(select->Bind({Int(2)}));
  ASSERT_TRUE(r.first());
  EXPECT_EQ(r.first()->GetString("v"), "after");
  r = session->Execute(select->Bind({Int(1)}));
  ASSERT_TRUE(r.first());
  EXPECT_EQ(r.first()->GetString("v"), "before");
  // The restarted server had forgotten both statements.
  EXPECT_GE(session->stats().reprepares, 2u);
}

}  // namespace
}  // namespace helenus::client
