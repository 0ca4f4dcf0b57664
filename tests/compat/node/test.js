// Round trip against `helenus serve` with the Node.js cassandra-driver.
// Port from $HELENUS_PORT (default 9042). Exit code 1 on any mismatch.
'use strict';
const assert = require('assert');
const cassandra = require('cassandra-driver');

const PORT = Number(process.env.HELENUS_PORT || 9042);
const ROWS = Number(process.env.ROWS || 300);
const IN_FLIGHT = 32;
const KS = 'node_compat';
const COLUMNS = 'id, name, score, big, items, counts, uid, created, flag, data';

function makeRow(i) {
  return {
    id: i,
    name: `row-${i}-é`,
    score: i / 7,
    big: cassandra.types.Long.fromNumber(i * 1000000007),
    items: [i, -i, i * 2],
    counts: { a: i, b: i + 1 },
    uid: cassandra.types.Uuid.fromString(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`),
    created: new Date(1600000000000 + i * 1001),
    flag: i % 2 === 0,
    data: Buffer.from([i & 0xff, (i >> 8) & 0xff, 0xff]),
  };
}

function checkRow(row) {
  const want = makeRow(row.id);
  assert.strictEqual(row.name, want.name, `name of ${row.id}`);
  assert.strictEqual(row.score, want.score, `score of ${row.id}`);
  assert.ok(row.big.equals(want.big), `big of ${row.id}: ${row.big} != ${want.big}`);
  assert.deepStrictEqual(row.items, want.items, `items of ${row.id}`);
  assert.deepStrictEqual({ ...row.counts }, want.counts, `counts of ${row.id}`);
  assert.ok(row.uid.equals(want.uid), `uid of ${row.id}: ${row.uid}`);
  assert.strictEqual(row.created.getTime(), want.created.getTime(), `created of ${row.id}`);
  assert.strictEqual(row.flag, want.flag, `flag of ${row.id}`);
  assert.ok(row.data.equals(want.data), `data of ${row.id}: ${row.data.toString('hex')}`);
}

async function createSchema(client) {
  await client.execute(`DROP KEYSPACE IF EXISTS ${KS}`);
  await client.execute(`CREATE KEYSPACE ${KS} WITH replication = ` +
    "{'class': 'SimpleStrategy', 'replication_factor': 1}");
  await client.execute(`CREATE TABLE ${KS}.t (id int PRIMARY KEY, name text, score double, ` +
    'big bigint, items list<int>, counts map<text, int>, uid uuid, created timestamp, ' +
    'flag boolean, data blob)');
}

async function insertAll(client) {
  const query = `INSERT INTO ${KS}.t (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
  for (let start = 1; start <= ROWS; start += IN_FLIGHT) {
    const batch = [];
    for (let i = start; i < Math.min(start + IN_FLIGHT, ROWS + 1); i++) {
      const r = makeRow(i);
      batch.push(client.execute(query, [r.id, r.name, r.score, r.big, r.items, r.counts,
        r.uid, r.created, r.flag, r.data], { prepare: true }));
    }
    await Promise.all(batch);
  }
}

async function scanAll(client) {
  const seen = new Set();
  let pageState = null;
  let pages = 0;
  // fetchSize 50 with prepared statements; check page sizes and coverage
  do {
    const result = await client.execute(`SELECT ${COLUMNS} FROM ${KS}.t`, [],
      { prepare: true, fetchSize: 50, pageState });
    assert.ok(result.rows.length <= 50, `page of ${result.rows.length} rows`);
    assert.ok(result.rows.length > 0 || !result.pageState, 'empty page claims more pages');
    for (const row of result.rows) {
      assert.ok(!seen.has(row.id), `row ${row.id} twice`);
      seen.add(row.id);
      checkRow(row);
    }
    pageState = result.pageState;
    assert.ok(++pages <= ROWS + 1, 'too many pages');
  } while (pageState);
  assert.strictEqual(seen.size, ROWS, 'rows in paged scan');
  assert.ok(pages >= ROWS / 50, `only ${pages} pages for ${ROWS} rows`);
}

async function readByKey(client) {
  const query = `SELECT ${COLUMNS} FROM ${KS}.t WHERE id = ?`;
  for (let i = 1; i <= ROWS; i++) {
    const result = await client.execute(query, [i], { prepare: true });
    assert.strictEqual(result.rows.length, 1, `rows for id ${i}`);
    checkRow(result.rows[0]);
  }
  const count = await client.execute(`SELECT count(*) FROM ${KS}.t`);
  assert.strictEqual(count.first().count.toNumber(), ROWS, 'count(*)');
}

async function main() {
  const client = new cassandra.Client({
    contactPoints: [`127.0.0.1:${PORT}`],
    localDataCenter: 'datacenter1',
    socketOptions: { readTimeout: 30000, connectTimeout: 10000 },
  });
  const timer = setTimeout(() => { console.log('FAIL node: timed out'); process.exit(1); }, 300000);
  try {
    const steps = [
      ['connect', () => client.connect()],
      ['schema', () => createSchema(client)],
      ['insert', () => insertAll(client)],
      ['paged scan', () => scanAll(client)],
      ['read by key', () => readByKey(client)],
    ];
    for (const [name, step] of steps) {
      const start = Date.now();
      try {
        await step();
      } catch (err) {
        err.message = `${name}: ${err.message}`;
        throw err;
      }
      console.log(`  ${name.padEnd(12)} ok (${Date.now() - start} ms)`);
    }
    console.log('PASS node');
  } catch (err) {
    console.log('FAIL node:', err && err.stack || err);
    process.exitCode = 1;
  } finally {
    clearTimeout(timer);
    await client.shutdown().catch(() => {});
  }
}

main();
