"""Shared helpers for Helenus's driver-level tests.

Starts and stops `helenus serve` on a free loopback port with its own data
directory, finds the binary and the workshop datasets, and can wrap any
command with a server:

    /usr/bin/python3 tests/harness.py [--helenus BIN | --port P] -- CMD ARGS...

runs CMD with HELENUS_PORT set to the port of a fresh server (or to P, an
already running server), stops the server afterwards (SIGTERM, then
SIGKILL), prints the server's stderr tail if CMD fails, and exits with CMD's
exit code (124 when it times out).

Only the Python standard library is used here.
"""

import argparse
import atexit
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
READY_MARKER = "listening on"
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 15.0

_live_servers = set()


@atexit.register
def _kill_leftover_servers():
    """Never leave a server behind, whatever happened to the caller."""
    for server in list(_live_servers):
        server.kill()


def dataset_dir(name="workshop"):
    """../shared/datasets/<name> relative to the repository root."""
    return os.path.join(os.path.dirname(REPO_ROOT), "shared", "datasets", name)


def find_helenus():
    """The newest build/*/helenus binary, or None."""
    found = [p for p in glob.glob(os.path.join(REPO_ROOT, "build", "*", "helenus"))
             if os.path.isfile(p) and os.access(p, os.X_OK)]
    return max(found, key=os.path.getmtime) if found else None


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port, timeout=0.5):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


class Server:
    """One `helenus serve` process. Use as a context manager or call stop()."""

    def __init__(self, binary, data_dir=None, port=None, extra_args=()):
        self.binary = os.path.abspath(binary)
        self.owns_data = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="helenus-test-")
        self.port = port or free_port()
        self.extra_args = list(extra_args)
        self.proc = None
        self.log_path = None
        self._log = None

    # -- lifecycle ---------------------------------------------------------
    def start(self, timeout=START_TIMEOUT_S):
        fd, self.log_path = tempfile.mkstemp(prefix="helenus-stderr-", suffix=".log")
        os.close(fd)
        self._log = open(self.log_path, "ab")
        cmd = [self.binary, "serve", "--data", self.data_dir,
               "--listen", "127.0.0.1:%d" % self.port] + self.extra_args
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                     stdout=self._log, stderr=self._log)
        _live_servers.add(self)
        self._wait_ready(timeout)
        return self

    def _wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("helenus serve exited with code %s before it was ready\n%s"
                                   % (self.proc.returncode, self.stderr_tail()))
            if READY_MARKER in self.stderr_text() and port_open(self.port):
                return
            time.sleep(0.05)
        self.kill()
        raise RuntimeError("helenus serve not ready after %.0f s\n%s"
                           % (timeout, self.stderr_tail()))

    def stop(self, timeout=STOP_TIMEOUT_S):
        """SIGTERM, wait, then SIGKILL. Returns the exit code."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout)
            _live_servers.discard(self)
            return code
        except subprocess.TimeoutExpired:
            sys.stderr.write("helenus serve ignored SIGTERM for %.0f s; killing it\n" % timeout)
            return self.kill()

    def kill(self):
        """SIGKILL (kill -9) and reap."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(STOP_TIMEOUT_S)
        _live_servers.discard(self)
        return self.proc.returncode if self.proc else None

    def cleanup(self):
        self.kill()
        if self._log:
            self._log.close()
            self._log = None
        if self.owns_data:
            shutil.rmtree(self.data_dir, ignore_errors=True)
        if self.log_path and os.path.exists(self.log_path):
            os.unlink(self.log_path)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    # -- logs --------------------------------------------------------------
    def stderr_text(self):
        if not self.log_path:
            return ""
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stderr_tail(self, lines=40):
        tail = self.stderr_text().splitlines()[-lines:]
        return "---- helenus serve stderr (last %d lines) ----\n%s\n----" % (
            len(tail), "\n".join(tail))

    def __enter__(self):
        return self.start()

    def __exit__(self, exc_type, exc, tb):
        self.stop()
        if exc_type is not None:
            sys.stderr.write(self.stderr_tail() + "\n")
        self.cleanup()
        return False


def exit_on_timeout_or_term(timeout_s):
    """Turns SIGALRM after timeout_s and SIGTERM into SystemExit.

    SystemExit, so that a per-check `except Exception` does not swallow it, and
    so that the stack unwinds and stops the server when a test driver's timeout
    kills the script. Cancel with signal.alarm(0)."""

    def on_alarm(signum, frame):
        raise SystemExit("timed out after %d s" % timeout_s)

    def on_term(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGALRM, on_alarm)
    signal.signal(signal.SIGTERM, on_term)
    signal.alarm(timeout_s)


def add_server_args(parser):
    """--helenus BIN / --port P, shared by the compat scripts."""
    parser.add_argument("--helenus", help="helenus binary; a fresh server is started")
    parser.add_argument("--port", type=int, help="use an already running server on this port")


def server_from_args(args):
    """A started Server for --helenus (or found build), or None when --port is given."""
    if args.port:
        return None
    binary = args.helenus or find_helenus()
    if not binary:
        raise SystemExit("no --helenus BIN, no --port and no build/*/helenus found")
    return Server(binary).start()


def run_with_port(port, command, timeout):
    env = dict(os.environ, HELENUS_PORT=str(port))
    try:
        return subprocess.run(command, env=env, timeout=timeout).returncode
    except subprocess.TimeoutExpired:
        sys.stderr.write("command timed out after %.0f s: %s\n" % (timeout, command))
        return 124


def run_wrapped(binary, command, timeout, server_args=()):
    """Run command with HELENUS_PORT pointing at a fresh server."""
    server = Server(binary, extra_args=server_args).start()
    try:
        rc = run_with_port(server.port, command, timeout)
        if rc != 0:
            sys.stderr.write(server.stderr_tail() + "\n")
        return rc
    finally:
        server.stop()
        server.cleanup()


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--helenus", help="helenus binary (default: newest build/*/helenus)")
    parser.add_argument("--port", type=int, help="use a running server on this port")
    parser.add_argument("--timeout", type=float, default=900, help="seconds for CMD")
    parser.add_argument("--server-args", default="",
                        help="extra `helenus serve` arguments, e.g. '--commitlog-sync periodic'")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    if args.port:
        sys.exit(run_with_port(args.port, command, args.timeout))
    binary = args.helenus or find_helenus()
    if not binary:
        parser.error("no --helenus BIN and no build/*/helenus found")
    sys.exit(run_wrapped(binary, command, args.timeout, tuple(args.server_args.split())))


if __name__ == "__main__":
    main()
