#!/usr/bin/python3
"""Durability: nothing acknowledged is lost on kill -9 or a clean restart.

    /usr/bin/python3 tests/compat/durability.py [--helenus BIN] [--rows N]

1. kill -9 mid-stream: rows are inserted with a prepared statement and a
   few requests in flight; once a share of them is acknowledged the server
   is killed with SIGKILL while writes are still in flight. After a restart
   on the same data directory every acknowledged row must be there with its
   value.
2. DDL then kill -9: a table created and written just before SIGKILL must
   exist with its row after restart.
3. Clean stop: more rows, SIGTERM (the server must exit 0 in time), restart,
   and every row from all steps must be there.
"""

import argparse
import os
import shutil
import signal
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import harness  # noqa: E402

from cassandra.cluster import Cluster  # noqa: E402
from cassandra.query import SimpleStatement  # noqa: E402

KEYSPACE = "durability"
IN_FLIGHT = 8
TIMEOUT_S = 30
SCRIPT_TIMEOUT_S = 600


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def value_of(i):
    return "value-%d-" % i + "x" * (i % 50)


class Client:
    """A driver session against one server; closed with the server."""

    def __init__(self, server):
        self.cluster = Cluster(["127.0.0.1"], port=server.port, protocol_version=4,
                               schema_metadata_enabled=False, token_metadata_enabled=False,
                               connect_timeout=10, control_connection_timeout=10)
        self.session = self.cluster.connect()
        self.session.default_timeout = TIMEOUT_S

    def close(self):
        self.cluster.shutdown()


class Writer:
    """Inserts ids with at most IN_FLIGHT unacknowledged requests; records acks."""

    def __init__(self, session, table):
        self.session = session
        self.prepared = session.prepare("INSERT INTO %s.%s (id, v) VALUES (?, ?)"
                                        % (KEYSPACE, table))
        self.window = threading.BoundedSemaphore(IN_FLIGHT)
        self.lock = threading.Lock()
        self.acked = set()
        self.errors = []

    def _ok(self, _, i):
        with self.lock:
            self.acked.add(i)
        self.window.release()

    def _err(self, exc, i):
        with self.lock:
            self.errors.append((i, exc))
        self.window.release()

    def write(self, ids, stop_after_acks=None, on_stop=None):
        for i in ids:
            check(self.window.acquire(timeout=TIMEOUT_S), "no ack for %d s" % TIMEOUT_S)
            future = self.session.execute_async(self.prepared, (i, value_of(i)))
            future.add_callbacks(self._ok, self._err, callback_args=(i,), errback_args=(i,))
            if stop_after_acks is not None and len(self.acked) >= stop_after_acks:
                on_stop()
                break
        self.drain()

    def drain(self):
        for _ in range(IN_FLIGHT):
            check(self.window.acquire(timeout=TIMEOUT_S + 5), "requests never completed")


def read_all(session, table):
    statement = SimpleStatement("SELECT id, v FROM %s.%s" % (KEYSPACE, table), fetch_size=500)
    return {row.id: row.v for row in session.execute(statement, timeout=TIMEOUT_S)}


def check_present(session, table, ids, what):
    stored = read_all(session, table)
    missing = sorted(i for i in ids if i not in stored)
    check(not missing, "%s: %d acknowledged rows lost, e.g. %s"
          % (what, len(missing), missing[:10]))
    wrong = sorted(i for i in ids if stored[i] != value_of(i))
    check(not wrong, "%s: %d rows with wrong values, e.g. id %s = %r"
          % (what, len(wrong), wrong[:1], stored.get(wrong[0]) if wrong else None))
    extra = sorted(i for i in stored if stored[i] != value_of(i))
    check(not extra, "%s: rows that were never written correctly: %s" % (what, extra[:10]))
    return len(stored)


def create_table(session, table):
    session.execute("CREATE TABLE %s.%s (id int PRIMARY KEY, v text)" % (KEYSPACE, table))


def kill_mid_stream(binary, data_dir, rows):
    server = harness.Server(binary, data_dir=data_dir).start()
    client = Client(server)
    try:
        client.session.execute("CREATE KEYSPACE %s WITH replication = "
                               "{'class': 'SimpleStrategy', 'replication_factor': 1}" % KEYSPACE)
        create_table(client.session, "t")
        writer = Writer(client.session, "t")
        writer.write(range(1, rows + 1), stop_after_acks=rows * 2 // 3, on_stop=server.kill)
        check(not server.alive(), "server still alive after SIGKILL")
        print("  kill -9 after %d acknowledged writes (%d failed in flight)"
              % (len(writer.acked), len(writer.errors)))
        check(len(writer.acked) >= rows // 2, "too few acks before the kill: %d" % len(writer.acked))
        return writer.acked
    finally:
        client.close()
        server.cleanup()


def restart_and_check(binary, data_dir, checks, what):
    """Restart on data_dir and run check_present for each (table, ids)."""
    server = harness.Server(binary, data_dir=data_dir).start()
    client = Client(server)
    try:
        for table, ids in checks:
            try:
                n = check_present(client.session, table, ids, what)
            except Failure:
                raise
            except Exception as e:
                raise Failure("%s: reading %s.%s failed: %s" % (what, KEYSPACE, table, e))
            print("  %s: %s has %d rows, all %d acknowledged ones present"
                  % (what, table, n, len(ids)))
        return server, client
    except Exception:
        client.close()
        server.stop()
        server.cleanup()
        raise


def ddl_then_kill(server, client):
    create_table(client.session, "t2")
    Writer(client.session, "t2").write([42])
    server.kill()
    client.close()
    server.cleanup()
    return {42}


def clean_restart(server, client, rows):
    writer = Writer(client.session, "t")
    writer.write(range(rows + 1, rows + 1 + rows // 2))
    check(not writer.errors, "writes failed: %s" % writer.errors[:1])
    client.close()
    code = server.stop()
    check(code == 0, "SIGTERM: server exited with %s, expected 0\n%s"
          % (code, server.stderr_tail()))
    server.cleanup()
    return writer.acked


def run(binary, data_dir, rows):
    acked = kill_mid_stream(binary, data_dir, rows)
    server, client = restart_and_check(binary, data_dir, [("t", acked)], "after kill -9")
    t2 = ddl_then_kill(server, client)
    server, client = restart_and_check(binary, data_dir, [("t", acked), ("t2", t2)],
                                       "after DDL + kill -9")
    acked |= clean_restart(server, client, rows)
    server, client = restart_and_check(binary, data_dir, [("t", acked), ("t2", t2)],
                                       "after SIGTERM")
    client.close()
    server.stop()
    server.cleanup()


def on_alarm(signum, frame):
    raise Failure("timed out after %d s" % SCRIPT_TIMEOUT_S)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--helenus", help="helenus binary (default: newest build/*/helenus)")
    parser.add_argument("--rows", type=int, default=3000)
    args = parser.parse_args()
    binary = args.helenus or harness.find_helenus()
    if not binary:
        parser.error("no --helenus BIN and no build/*/helenus found")
    data_dir = tempfile.mkdtemp(prefix="helenus-durability-")
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(SCRIPT_TIMEOUT_S)
    try:
        run(binary, data_dir, args.rows)
    except Exception as e:
        print("FAIL durability: %s: %s" % (type(e).__name__, e))
        return 1
    finally:
        signal.alarm(0)
        shutil.rmtree(data_dir, ignore_errors=True)
    print("PASS durability")
    return 0


if __name__ == "__main__":
    sys.exit(main())
