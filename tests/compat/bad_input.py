#!/usr/bin/python3
"""Bad input over the wire: every case gets the right CQL error or a clean close.

    /usr/bin/python3 tests/compat/bad_input.py [--helenus BIN | --port P]

Speaks the v4 frame format itself on raw loopback sockets (struct.pack) and
checks, for each case, the exact response (opcode ERROR, error code, a
readable message) or a clean close; after every case a healthy DataStax
driver session on another connection must still INSERT and SELECT, and the
server process (when this script started it) must still be alive.

Prints one line per case and `N passed, N failed`; exit code 1 on any failure.
"""

import argparse
import os
import random
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import harness  # noqa: E402

from cassandra import InvalidRequest  # noqa: E402
from cassandra.cluster import Cluster  # noqa: E402

# Opcodes and error codes of the native protocol.
ERROR, STARTUP, READY, OPTIONS, SUPPORTED = 0x00, 0x01, 0x02, 0x05, 0x06
QUERY, RESULT, PREPARE, EXECUTE = 0x07, 0x08, 0x09, 0x0A
PROTOCOL, SYNTAX, INVALID, UNPREPARED = 0x000A, 0x2000, 0x2200, 0x2500
FLAG_COMPRESSED = 0x01
ONE = 0x0001

IO_TIMEOUT_S = 10.0
KS = "bad_input"
MAX_FRAME = 256 << 20
VERSION_TEXT = "Invalid or unsupported protocol version"


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


# ------------------------------------------------------------ encoding --
def short_string(s):
    b = s.encode() if isinstance(s, str) else s
    return struct.pack(">H", len(b)) + b


def long_string(s):
    b = s.encode() if isinstance(s, str) else s
    return struct.pack(">i", len(b)) + b


def string_map(d):
    out = struct.pack(">H", len(d))
    for k, v in d.items():
        out += short_string(k) + short_string(v)
    return out


def frame(opcode, body=b"", version=4, flags=0, stream=1):
    return struct.pack(">BBhBI", version, flags, stream, opcode, len(body)) + body


def query_body(cql, values=None):
    """QUERY body: consistency ONE, flags 0 or 0x01 with [value]s."""
    if values is None:
        return long_string(cql) + struct.pack(">HB", ONE, 0)
    out = long_string(cql) + struct.pack(">HBH", ONE, 0x01, len(values))
    for v in values:
        out += struct.pack(">i", -1) if v is None else struct.pack(">i", len(v)) + v
    return out


# ---------------------------------------------------- pure-python codecs --
def lz4_compress(data):
    """A valid LZ4 frame body made of one literal run (prefixed with the length)."""
    n = len(data)
    token = bytes([min(n, 15) << 4])
    extra = b""
    if n >= 15:
        rest = n - 15
        extra = b"\xff" * (rest // 255) + bytes([rest % 255])
    return struct.pack(">I", n) + token + extra + data


def lz4_decompress(body):
    n = struct.unpack(">I", body[:4])[0]
    src, out, i = body[4:], bytearray(), 0
    while i < len(src):
        token = src[i]
        i += 1
        lit, i = _lz4_len(src, i, token >> 4)
        out += src[i:i + lit]
        i += lit
        if i >= len(src):
            break
        offset = src[i] | src[i + 1] << 8
        i += 2
        match, i = _lz4_len(src, i, token & 15)
        for _ in range(match + 4):
            out.append(out[-offset])
    check(len(out) == n, "LZ4 response decompressed to %d bytes, header says %d" % (len(out), n))
    return bytes(out)


def _lz4_len(src, i, n):
    if n == 15:
        while True:
            b = src[i]
            i += 1
            n += b
            if b != 255:
                break
    return n, i


def snappy_compress(data):
    """A valid Snappy block of literal chunks of at most 60 bytes."""
    out, n = bytearray(), len(data)
    while True:
        out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            break
    for i in range(0, len(data), 60):
        chunk = data[i:i + 60]
        out.append((len(chunk) - 1) << 2)
        out += chunk
    return bytes(out)


def snappy_decompress(body):
    n, shift, i = 0, 0, 0
    while True:
        b = body[i]
        i += 1
        n |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            break
    out = bytearray()
    while i < len(body):
        tag = body[i]
        i += 1
        kind = tag & 3
        if kind == 0:
            length = tag >> 2
            if length >= 60:
                nb = length - 59
                length = int.from_bytes(body[i:i + nb], "little")
                i += nb
            out += body[i:i + length + 1]
            i += length + 1
            continue
        if kind == 1:
            length, offset = ((tag >> 2) & 7) + 4, (tag >> 5) << 8 | body[i]
            i += 1
        else:
            width = 2 if kind == 2 else 4
            length, offset = (tag >> 2) + 1, int.from_bytes(body[i:i + width], "little")
            i += width
        for _ in range(length):
            out.append(out[-offset])
    check(len(out) == n, "Snappy response decompressed to %d bytes, header says %d" % (len(out), n))
    return bytes(out)


COMPRESSORS = {"lz4": (lz4_compress, lz4_decompress),
               "snappy": (snappy_compress, snappy_decompress)}


# ---------------------------------------------------------- connection --
class Conn:
    """One raw protocol connection."""

    def __init__(self, port, timeout=IO_TIMEOUT_S):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.compression = None

    def close(self):
        self.sock.close()

    def send(self, data):
        self.sock.sendall(data)

    def request(self, opcode, body=b"", stream=1, flags=0, version=4):
        if self.compression and body:
            body = COMPRESSORS[self.compression][0](body)
            flags |= FLAG_COMPRESSED
        self.send(frame(opcode, body, version, flags, stream))

    def recv_exact(self, n):
        """n bytes, or None when the server closed first."""
        buf = bytearray()
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                return None
            buf += chunk
        return bytes(buf)

    def recv_frame(self):
        """(version, flags, stream, opcode, body) or None on a clean close."""
        head = self.recv_exact(9)
        if head is None:
            return None
        version, flags, stream, opcode, length = struct.unpack(">BBhBI", head)
        check(length <= MAX_FRAME, "response length %d" % length)
        body = self.recv_exact(length) if length else b""
        check(body is not None, "connection closed inside a response body")
        if flags & FLAG_COMPRESSED:
            check(self.compression is not None, "compressed response without compression")
            body = COMPRESSORS[self.compression][1](body)
        return version, flags, stream, opcode, body

    def expect_closed(self):
        """True when the server closes the connection (EOF or reset) in time."""
        try:
            while self.sock.recv(65536):
                pass
            return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False

    def startup(self, compression=None):
        opts = {"CQL_VERSION": "3.0.0"}
        if compression:
            opts["COMPRESSION"] = compression
        self.request(STARTUP, string_map(opts), stream=0)
        got = self.recv_frame()
        check(got is not None and got[3] == READY, "STARTUP answered with %r" % (got,))
        self.compression = compression
        return self


def error_of(got):
    """(code, message) of an ERROR frame; fails on anything else."""
    check(got is not None, "connection closed instead of an ERROR frame")
    check(got[3] == ERROR, "expected ERROR, got opcode 0x%02x body %r" % (got[3], got[4][:80]))
    code = struct.unpack(">i", got[4][:4])[0]
    n = struct.unpack(">H", got[4][4:6])[0]
    return code, got[4][6:6 + n].decode("utf-8")


def expect_error(got, code, *substrings, stream=None):
    actual, message = error_of(got)
    check(actual == code, "expected error 0x%04x, got 0x%04x (%s)" % (code, actual, message))
    check(len(message) >= 10, "error message too short to help: %r" % message)
    for s in substrings:
        check(s.lower() in message.lower(), "error message %r lacks %r" % (message, s))
    if stream is not None:
        check(got[2] == stream, "error on stream %d, request was on %d" % (got[2], stream))
    return message


def expect_usable(conn, stream=7):
    """The connection still answers OPTIONS with SUPPORTED."""
    conn.request(OPTIONS, stream=stream)
    got = conn.recv_frame()
    check(got is not None, "connection closed after a recoverable error")
    check(got[3] == SUPPORTED and got[2] == stream, "OPTIONS answered with %r" % (got[:4],))


def raw_query(port, cql, values=None):
    conn = Conn(port).startup()
    try:
        conn.request(QUERY, query_body(cql, values), stream=3)
        return conn.recv_frame()
    finally:
        conn.close()


# ------------------------------------------------------------- process --
def rss_kb(pid):
    """VmRSS of pid in kB, or None when not known."""
    if pid is None:
        return None
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


# --------------------------------------------------------------- cases --
def case_versions(ctx):
    for version in (1, 2, 5, 6, 0x42, 0x7F):
        conn = Conn(ctx.port)
        try:
            if version <= 2:
                # v1/v2 headers are 8 bytes (one-byte stream id).
                conn.send(struct.pack(">BBbBI", version, 0, 1, OPTIONS, 0))
            else:
                conn.send(frame(OPTIONS, version=version))
            expect_error(conn.recv_frame(), PROTOCOL, VERSION_TEXT, "(%d)" % version)
        finally:
            conn.close()


def case_response_version_bit(ctx):
    # A response frame (version 0x84) sent as a request.
    conn = Conn(ctx.port)
    try:
        conn.send(frame(OPTIONS, version=0x84))
        expect_error(conn.recv_frame(), PROTOCOL, VERSION_TEXT)
    finally:
        conn.close()


def case_unknown_opcodes(ctx):
    conn = Conn(ctx.port).startup()
    try:
        for i, opcode in enumerate((0x04, 0x1F, 0xFF, RESULT, READY)):
            conn.request(opcode, b"\x00\x01", stream=20 + i)
            expect_error(conn.recv_frame(), PROTOCOL, "opcode", stream=20 + i)
            expect_usable(conn)
    finally:
        conn.close()


def case_truncated_bodies(ctx):
    bad = [
        ("long string longer than body", struct.pack(">i", 20) + b"SELECT"),
        ("negative long string", struct.pack(">i", -7) + b"SELECT"),
        ("no consistency", long_string("SELECT * FROM system.local")),
        ("flags byte missing", long_string("SELECT * FROM system.local") + b"\x00\x01"),
        ("value count above values", long_string("SELECT ?") + struct.pack(">HBH", 1, 1, 3)),
        ("value length past end", long_string("SELECT ?")
         + struct.pack(">HBHi", 1, 1, 1, 1000) + b"abc"),
        ("value length -3", long_string("SELECT ?") + struct.pack(">HBHi", 1, 1, 1, -3)),
        ("page size missing", long_string("SELECT * FROM system.local") + struct.pack(">HB", 1, 4)),
        ("empty body", b""),
        ("unknown consistency", long_string("SELECT * FROM system.local")
         + struct.pack(">HB", 0x00FF, 0)),
        ("unknown serial consistency", long_string("SELECT * FROM system.local")
         + struct.pack(">HBH", ONE, 0x10, 0x1234)),
    ]
    conn = Conn(ctx.port).startup()
    try:
        for name, body in bad:
            conn.request(QUERY, body, stream=9)
            try:
                expect_error(conn.recv_frame(), PROTOCOL, stream=9)
            except Failure as e:
                raise Failure("%s: %s" % (name, e))
            expect_usable(conn)
        for opcode in (PREPARE, EXECUTE, 0x0D, 0x0B):  # PREPARE EXECUTE BATCH REGISTER
            conn.request(opcode, struct.pack(">HH", 5, 16) + b"x", stream=10)
            expect_error(conn.recv_frame(), PROTOCOL, stream=10)
        expect_usable(conn)
    finally:
        conn.close()


def case_oversized_frame(ctx):
    before = rss_kb(ctx.pid)
    for length in (MAX_FRAME + 1, 0x7FFFFFFF, 0xFFFFFFFF):
        conn = Conn(ctx.port).startup()
        try:
            conn.send(struct.pack(">BBhBI", 4, 0, 5, QUERY, length))
            expect_error(conn.recv_frame(), PROTOCOL, "too big", str(length))
            check(conn.expect_closed(), "connection not closed after an oversized frame")
        finally:
            conn.close()
    after = rss_kb(ctx.pid)
    if before is not None:
        check(after - before < 64 * 1024, "RSS grew %d kB" % (after - before))


def case_large_declared_body(ctx):
    """Frames just under the limit whose bodies never come must not be allocated up front."""
    before = rss_kb(ctx.pid)
    conns = []
    try:
        for _ in range(4):
            conn = Conn(ctx.port).startup()
            conn.send(struct.pack(">BBhBI", 4, 0, 5, QUERY, MAX_FRAME - 1) + b"\x00" * 1000)
            conns.append(conn)
        time.sleep(1.0)
        after = rss_kb(ctx.pid)
        if before is not None:
            check(after - before < 128 * 1024,
                  "RSS grew %d kB for 4 connections that sent 1 kB each" % (after - before))
    finally:
        for conn in conns:
            conn.close()


def case_close_mid_body(ctx):
    for sent in (0, 1, 50):
        conn = Conn(ctx.port).startup()
        conn.send(struct.pack(">BBhBI", 4, 0, 6, QUERY, 100) + b"\x00" * sent)
        conn.close()
    conn = Conn(ctx.port)
    conn.send(b"\x04\x00\x00")  # closed inside the header
    conn.close()


def case_garbage(ctx):
    rng = random.Random(4242)
    for i in range(60):
        conn = Conn(ctx.port, timeout=0.5)
        try:
            if i % 2:
                conn.startup()
            size = rng.randint(1, 300)
            payload = bytes(rng.getrandbits(8) for _ in range(size))
            if i % 3 == 0:
                payload = b"\x04" + payload  # a valid version, garbage after
            try:
                conn.send(payload)
                conn.sock.recv(65536)
            except (socket.timeout, ConnectionResetError, BrokenPipeError):
                pass
        finally:
            conn.close()


def case_compressed_before_negotiation(ctx):
    conn = Conn(ctx.port).startup()
    try:
        conn.send(frame(QUERY, query_body("SELECT key FROM system.local"), flags=FLAG_COMPRESSED,
                        stream=4))
        expect_error(conn.recv_frame(), PROTOCOL, "compress", stream=4)
        expect_usable(conn)
    finally:
        conn.close()


def case_corrupt_compressed(ctx):
    bodies = {
        "lz4": [b"\x00\x00\x00\x10\xff\xff\xff", b"\x00\x00", b"\x7f\xff\xff\xff" + b"\x10" * 20,
                b"\x00\x00\x00\x05\x40abcd"],
        "snappy": [b"\xff\xff\xff\xff\xff\x01", b"\x0a\x05\x01\x02", b"\x05\x2e\x01\x02\x03"],
    }
    for name, corrupt in bodies.items():
        conn = Conn(ctx.port).startup(name)
        try:
            for i, body in enumerate(corrupt):
                conn.send(frame(QUERY, body, flags=FLAG_COMPRESSED, stream=11 + i))
                expect_error(conn.recv_frame(), PROTOCOL, stream=11 + i)
            # A well-formed compressed QUERY still works on the same connection.
            conn.request(QUERY, query_body("SELECT key FROM system.local"), stream=30)
            got = conn.recv_frame()
            check(got is not None and got[3] == RESULT, "%s QUERY answered %r" % (name, got))
        finally:
            conn.close()


def case_unknown_compression(ctx):
    conn = Conn(ctx.port)
    try:
        conn.request(STARTUP, string_map({"CQL_VERSION": "3.0.0", "COMPRESSION": "zstd"}))
        expect_error(conn.recv_frame(), PROTOCOL, "zstd")
    finally:
        conn.close()


def case_unknown_prepared_id(ctx):
    conn = Conn(ctx.port).startup()
    try:
        pid = bytes(range(0xA0, 0xB0))
        conn.request(EXECUTE, short_string(pid) + struct.pack(">HB", ONE, 0), stream=12)
        got = conn.recv_frame()
        expect_error(got, UNPREPARED, stream=12)
        n = struct.unpack(">H", got[4][4:6])[0]
        rest = got[4][6 + n:]
        check(rest == short_string(pid), "Unprepared error carries id %r" % rest)
    finally:
        conn.close()


def driver_bad_bind(session, cql, values, raw_values, *substrings):
    """Binds with the driver, swaps in raw bytes, expects an Invalid error."""
    prepared = session.prepare(cql)
    bound = prepared.bind(values)
    bound.values = list(raw_values)
    try:
        session.execute(bound)
    except InvalidRequest as e:
        check(len(str(e)) > 20, "message too short: %s" % e)
        for s in substrings:
            check(s.lower() in str(e).lower(), "%r lacks %r" % (str(e), s))
        return
    raise Failure("%s with %r was accepted" % (cql, raw_values))


def case_bad_bind_types(ctx):
    s = ctx.session
    k = struct.pack(">i", 1)
    ins = "INSERT INTO %s.t (k, v, n, s) VALUES (?, ?, ?, ?)" % KS
    good = [1, "a", 2, {3}]
    text, n, st = b"a", struct.pack(">i", 2), b"\x00\x00\x00\x01\x00\x00\x00\x04\x00\x00\x00\x03"
    driver_bad_bind(s, ins, good, [b"hello", text, n, st])          # text bytes into int
    driver_bad_bind(s, ins, good, [k, text, b"\x00\x01\x02", st])  # 3 bytes for int
    driver_bad_bind(s, ins, good, [k, b"\xff\xfe\xc3", n, st])      # invalid UTF-8
    driver_bad_bind(s, ins, good, [k, text, n, b"\x00\x00\x00\x02\x00\x00\x00\x04\x00\x00\x00\x01"])
    driver_bad_bind(s, ins, good, [k, text, n, b"\x00\x00\x00\x01\x00\x00\x00\x03\x00\x00\x01"])
    driver_bad_bind(s, ins, good, [k, text, n, b"\x00\x00"])
    driver_bad_bind(s, "SELECT * FROM %s.t WHERE k = ?" % KS, [1], [b"\x00\x00\x00\x00\x01"])
    # A string literal for an int column, through the driver's client-side formatting.
    try:
        s.execute("INSERT INTO " + KS + ".t (k, v) VALUES (%s, %s)", ("abc", "x"))
        raise Failure("'abc' accepted for an int column")
    except InvalidRequest as e:
        check(len(str(e)) > 20, "message too short: %s" % e)
    # The same over a raw QUERY with values: exact code.
    got = raw_query(ctx.port, "INSERT INTO %s.t (k, v) VALUES (?, ?)" % KS, [b"abc", b"x"])
    expect_error(got, INVALID)


def case_unknown_keyspace_table(ctx):
    expect_error(raw_query(ctx.port, "SELECT * FROM nosuch_ks.t"), INVALID, "nosuch_ks")
    expect_error(raw_query(ctx.port, "SELECT * FROM %s.nosuch_table" % KS), INVALID,
                 "nosuch_table")
    expect_error(raw_query(ctx.port, "INSERT INTO nosuch_ks.t (k) VALUES (1)"), INVALID)
    expect_error(raw_query(ctx.port, "USE nosuch_ks"), INVALID, "nosuch_ks")
    expect_error(raw_query(ctx.port, "SELECT nosuch_col FROM %s.t" % KS), INVALID, "nosuch_col")
    try:
        ctx.session.execute("SELECT * FROM nosuch_ks.t")
        raise Failure("unknown keyspace accepted by the driver session")
    except InvalidRequest:
        pass


def case_syntax_errors(ctx):
    for cql in ("SELEC * FROM system.local", "SELECT * FROM", "INSERT INTO %s.t (k) VALUES (" % KS,
                "SELECT * FROM system.local WHERE key = 'unterminated",
                "CREATE TABLE ( k int PRIMARY KEY )", "SELECT * FROM system.local;;;;; garbage",
                "\u00e9\u00e8 \u2603", "SELECT * FROM system.local WHERE key = 0x0g",
                "((((((((((((((((((((((((((((((((((((((((((("):
        got = raw_query(ctx.port, cql)
        try:
            expect_error(got, SYNTAX)
        except Failure as e:
            raise Failure("%r: %s" % (cql, e))


def one_client(port, i, errors):
    try:
        conn = Conn(port, timeout=30).startup()
        try:
            for j in range(3):
                cql = "INSERT INTO %s.t (k, v) VALUES (%d, 'c%d')" % (KS, 10000 + i, j)
                conn.request(QUERY, query_body(cql), stream=j)
                got = conn.recv_frame()
                check(got is not None and got[3] == RESULT, "INSERT answered %r" % (got,))
            conn.request(QUERY, query_body("SELECT v FROM %s.t WHERE k = %d" % (KS, 10000 + i)))
            got = conn.recv_frame()
            check(got is not None and got[3] == RESULT and b"c2" in got[4],
                  "SELECT answered %r" % (got,))
        finally:
            conn.close()
    except Exception as e:  # noqa: BLE001 - reported by the main thread
        errors.append("client %d: %s" % (i, e))


def case_many_connections(ctx):
    errors, threads = [], []
    for i in range(200):
        t = threading.Thread(target=one_client, args=(ctx.port, i, errors), daemon=True)
        t.start()
        threads.append(t)
    deadline = time.monotonic() + 120
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    check(not any(t.is_alive() for t in threads), "clients still running after 120 s")
    check(not errors, "%d of 200 clients failed, first: %s" % (len(errors), errors[:1]))


def case_never_reads(ctx):
    """Floods requests without reading: memory stays bounded, others keep working."""
    conn = Conn(ctx.port, timeout=2.0).startup()
    conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    # OPTIONS is answered on the event loop at ~10x its size: the cheapest way
    # to pile up responses; a QUERY now and then also goes to the workers.
    batch = frame(OPTIONS, stream=2) * 4000 + frame(QUERY, query_body("SELECT * FROM system.local"))
    before = rss_kb(ctx.pid)
    sent, blocked = 0, False
    deadline = time.monotonic() + 15
    try:
        while sent < (48 << 20) and time.monotonic() < deadline:
            try:
                conn.send(batch)
                sent += len(batch)
            except socket.timeout:
                blocked = True  # the server stopped reading: back-pressure works
                break
        health(ctx)  # other connections unaffected while this one is stuck
        after = rss_kb(ctx.pid)
        if before is not None:
            check(after - before < 256 * 1024,
                  "RSS grew %d kB after %d MB of unread requests" % (after - before, sent >> 20))
        check(blocked, "the server read all %d MB without back-pressure" % (sent >> 20))
    finally:
        conn.close()


CASES = [
    ("wrong protocol versions", case_versions),
    ("response bit in request version", case_response_version_bit),
    ("unknown opcodes", case_unknown_opcodes),
    ("truncated bodies", case_truncated_bodies),
    ("frame length over 256 MB", case_oversized_frame),
    ("large declared body never sent", case_large_declared_body),
    ("connection closed mid-frame", case_close_mid_body),
    ("random garbage on 60 connections", case_garbage),
    ("compressed flag before negotiation", case_compressed_before_negotiation),
    ("corrupt lz4/snappy bodies", case_corrupt_compressed),
    ("unknown compression", case_unknown_compression),
    ("EXECUTE unknown id", case_unknown_prepared_id),
    ("wrong bind types", case_bad_bind_types),
    ("unknown keyspace / table", case_unknown_keyspace_table),
    ("syntax errors", case_syntax_errors),
    ("200 concurrent connections", case_many_connections),
    ("client that never reads", case_never_reads),
]


# ---------------------------------------------------------------- main --
class Context:
    def __init__(self, port, pid, server):
        self.port, self.pid, self.server = port, pid, server
        self.cluster = Cluster(["127.0.0.1"], port=port, connect_timeout=IO_TIMEOUT_S)
        self.session = self.cluster.connect()
        self.session.default_timeout = 30
        self.round = 0


def setup_schema(session):
    session.execute("CREATE KEYSPACE IF NOT EXISTS %s WITH replication = "
                    "{'class': 'SimpleStrategy', 'replication_factor': 1}" % KS)
    session.execute("CREATE TABLE IF NOT EXISTS %s.t (k int PRIMARY KEY, v text, n int, "
                    "s set<int>)" % KS)


def health(ctx):
    """The driver session still writes and reads; the server is still running."""
    if ctx.server is not None:
        check(ctx.server.alive(), "the server process died")
    ctx.round += 1
    ctx.session.execute("INSERT INTO %s.t (k, v) VALUES (%%s, %%s)" % KS, (0, "r%d" % ctx.round))
    rows = list(ctx.session.execute("SELECT v FROM %s.t WHERE k = 0" % KS))
    check(len(rows) == 1 and rows[0].v == "r%d" % ctx.round, "health read back %r" % rows)


def run_cases(ctx, selected):
    passed = failed = 0
    for name, fn in CASES:
        if selected and not any(s in name for s in selected):
            continue
        start = time.monotonic()
        try:
            fn(ctx)
            health(ctx)
            status, detail = "PASS", ""
        except Exception as e:  # noqa: BLE001 - every failure is reported per case
            status, detail = "FAIL", "%s: %s" % (type(e).__name__, e)
        print("%-4s %-38s %6.2fs %s" % (status, name, time.monotonic() - start, detail),
              flush=True)
        passed += status == "PASS"
        failed += status == "FAIL"
    return passed, failed


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    harness.add_server_args(parser)
    parser.add_argument("--case", action="append", help="run only cases whose name contains this")
    args = parser.parse_args()
    server = harness.server_from_args(args)
    port = args.port or server.port
    pid = server.proc.pid if server else None
    ctx = None
    try:
        ctx = Context(port, pid, server)
        setup_schema(ctx.session)
        passed, failed = run_cases(ctx, args.case)
    finally:
        if ctx is not None:
            ctx.cluster.shutdown()
        if server:
            if server.alive() is False:
                sys.stderr.write(server.stderr_tail() + "\n")
            server.stop()
            server.cleanup()
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
