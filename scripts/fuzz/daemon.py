"""Starts, watches, restarts and stops one crmd process on a data folder."""

import os
import re
import signal
import sqlite3
import subprocess
import time

import grpc

CHANNEL_OPTIONS = [
    ("grpc.max_receive_message_length", -1),
    ("grpc.max_send_message_length", -1),
    ("grpc.enable_retries", 0),
    ("grpc.initial_reconnect_backoff_ms", 100),
    ("grpc.min_reconnect_backoff_ms", 100),
    ("grpc.max_reconnect_backoff_ms", 500),
]

HEALTH_PATH = "/grpc.health.v1.Health/Check"


def channel(socket_path):
    return grpc.insecure_channel("unix://" + os.path.abspath(socket_path), options=CHANNEL_OPTIONS)


def describe_exit(code):
    if code is None:
        return "running"
    if code < 0:
        try:
            return "killed by %s" % signal.Signals(-code).name
        except ValueError:
            return "killed by signal %d" % -code
    return "exit code %d" % code


class Daemon:
    def __init__(self, binary, data_dir, plugin_dirs=(), log_path=None, memory_limit=None, name="crmd"):
        self.binary = binary
        self.data_dir = data_dir
        self.socket = os.path.join(data_dir, "crmd.sock")
        self.db_path = os.path.join(data_dir, "crmd.sqlite3")
        self.plugin_dirs = list(plugin_dirs)
        self.log_path = log_path or os.path.join(data_dir, "crmd.log")
        self.memory_limit = memory_limit
        self.name = name
        self.proc = None
        self.disabled = False  # set when the run is ending: never start again
        self.starts = 0
        self._channel = None
        self._health = None

    # -- process ---------------------------------------------------------------
    def command(self):
        cmd = [self.binary, "--data-dir", self.data_dir, "--socket", self.socket, "--log-level", "warning"]
        for d in self.plugin_dirs:
            cmd += ["--plugin-dir", d]
        return cmd

    def _limits(self):
        if self.memory_limit:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (self.memory_limit, self.memory_limit))

    def start(self, timeout=30.0):
        """Starts crmd and waits until its health check answers SERVING. Returns (ok, why)."""
        if self.disabled:
            return False, "the run is ending"
        os.makedirs(self.data_dir, exist_ok=True)
        if os.path.exists(self.socket):
            os.unlink(self.socket)
        self.starts += 1
        log = open(self.log_path, "ab")
        self.log_mark = log.tell() if hasattr(log, "tell") else 0
        log.write(("\n==== fuzz: start %d of %s: %s\n" % (self.starts, self.name, " ".join(self.command()))).encode())
        log.flush()
        self.proc = subprocess.Popen(
            self.command(),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the script, which stops crmd itself
            preexec_fn=self._limits if self.memory_limit else None,
        )
        log.close()
        self._reset_channel()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False, "crmd exited during start-up (%s)" % describe_exit(self.proc.returncode)
            if os.path.exists(self.socket) and self.health(1.0) == "SERVING":
                return True, ""
            time.sleep(0.05)
        return False, "crmd did not answer a health check within %.0f s of starting" % timeout

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def exited(self, wait=0.0):
        """The exit status if crmd has exited (waiting up to `wait` s for it), else None."""
        if self.proc is None:
            return None
        end = time.monotonic() + wait
        while True:
            code = self.proc.poll()
            if code is not None or time.monotonic() >= end:
                return code
            time.sleep(0.02)

    def stop(self, term_timeout=10.0):
        """SIGTERM, then SIGKILL after `term_timeout` s. Returns how it ended, e.g. 'exit code 0'."""
        self._close_channel()
        if self.proc is None:
            return "not started"
        if self.proc.poll() is not None:
            return describe_exit(self.proc.returncode)
        how = ""
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(term_timeout)
            how = describe_exit(self.proc.returncode)
        except subprocess.TimeoutExpired:
            how = "SIGTERM ignored for %.0f s; killed" % term_timeout
        self.kill()
        return how

    def kill(self):
        """SIGKILL crmd and anything it started in its session."""
        self._close_channel()
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            pass

    def rss_kb(self):
        try:
            with open("/proc/%d/status" % self.proc.pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except (OSError, AttributeError):
            pass
        return None

    def log_tail(self, lines=40):
        try:
            with open(self.log_path, "rb") as f:
                f.seek(0, os.SEEK_END)
                size = f.tell()
                f.seek(max(0, size - 64_000))
                text = f.read().decode("utf-8", "replace")
        except OSError:
            return []
        return text.splitlines()[-lines:]

    def _since_start(self, lines=400):
        tail = self.log_tail(lines)
        last_start = max((i for i, l in enumerate(tail) if l.startswith("==== fuzz: start")), default=-1)
        return tail[last_start + 1:]

    def mark(self):
        """Remembers the log's length: crashing() looks only at what is written after it."""
        try:
            self.log_mark = os.path.getsize(self.log_path)
        except OSError:
            self.log_mark = 0

    def _since_mark(self):
        try:
            with open(self.log_path, "rb") as f:
                f.seek(getattr(self, "log_mark", 0))
                return f.read(2_000_000).decode("utf-8", "replace").splitlines()
        except OSError:
            return []

    CRASH_MARKS = ("*** Signal", "Program crashed", "Swift runtime failure", "Fatal error", "Precondition failed",
                   "Assertion failed", "Segmentation fault", "Aborted")

    def crashing(self):
        """Whether the log since the last start shows a crash (Swift's backtracer may still be running)."""
        return any(any(m in line for m in self.CRASH_MARKS) for line in self._since_mark())

    def exited_or_crashing(self, wait=0.0, crash_wait=90.0):
        """Like exited(); when the log shows a crash, waits up to `crash_wait` s for the process to end
        (symbolicating a backtrace takes a debug build many seconds) and kills it after that."""
        code = self.exited(wait)
        if code is not None or not self.crashing():
            return code
        if self.health(1.0) == "SERVING":
            return None  # the crash in the log was a child's (a plugin host), not crmd's
        code = self.exited(crash_wait)
        if code is None:
            self.kill()
            code = self.proc.returncode
        return code

    def fatal_line(self):
        """What the log says about a crash: the runtime's message and the first frame in crmd's sources."""
        tail = self._since_start()
        message, frame = "", ""
        for line in tail:
            text = line.strip()
            if not message:
                for key in ("Swift runtime failure", "Fatal error", "Precondition failed", "Assertion failed",
                            "Program crashed"):
                    if key in text:
                        message = text.strip("* ")[:200]
                        break
            if not frame and "/Sources/" in text and " at " in text:
                where = text.rsplit(" at ", 1)[1]
                m = re.search(r"0x[0-9a-f]+ (.*?)(?: \+ \d+)? in \S+ at ", text)
                func = m.group(1) if m else ""
                frame = "%s (%s)" % (where.split("/Sources/", 1)[1], func[-80:].strip())
        if message or frame:
            return ("%s at %s" % (message, frame) if frame else message)[:300]
        for line in reversed(tail):
            if "error" in line.lower() or "signal" in line.lower():
                return line.strip()[:300]
        return tail[-1].strip()[:300] if tail else ""

    # -- health ------------------------------------------------------------------
    def _reset_channel(self):
        self._close_channel()
        self._channel = channel(self.socket)
        self._health = self._channel.unary_unary(HEALTH_PATH)

    def _close_channel(self):
        if self._channel is not None:
            try:
                self._channel.close()
            except Exception:
                pass
        self._channel = None
        self._health = None

    def health(self, timeout=2.0):
        """'SERVING' / other status name, or the gRPC code name when the check failed."""
        if self._health is None:
            self._reset_channel()
        try:
            data = self._health(b"", timeout=timeout)
        except grpc.RpcError as e:
            return e.code().name
        # HealthCheckResponse { status = 1 }: decode the one varint by hand.
        if data[:1] == b"\x08" and len(data) >= 2:
            return {0: "UNKNOWN", 1: "SERVING", 2: "NOT_SERVING", 3: "SERVICE_UNKNOWN"}.get(data[1], str(data[1]))
        return "UNKNOWN" if not data else "UNPARSEABLE"


class DataVersion:
    """PRAGMA data_version on a persistent read-only connection: changes when crmd commits."""

    def __init__(self, db_path):
        self.db_path = db_path
        self.conn = None

    def read(self):
        try:
            if self.conn is None:
                if not os.path.exists(self.db_path):
                    return None
                self.conn = sqlite3.connect(
                    "file:%s?mode=ro" % self.db_path, uri=True, isolation_level=None, timeout=2.0,
                    check_same_thread=False,
                )
            return self.conn.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error:
            self.close()
            return None

    def close(self):
        if self.conn is not None:
            try:
                self.conn.close()
            except sqlite3.Error:
                pass
        self.conn = None
