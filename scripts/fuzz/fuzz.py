"""crmd fuzz and fault driver (issue 9).

    scripts/fuzz.sh [--seed N] [--crmd PATH] [--plugin-dir DIR] [--keep] [--no-load]
                    [--load-seconds S] [CALLS]

Starts its own crmd on a fresh temporary data folder, seeds a little data,
then sends CALLS generated requests — built from the descriptors of every
method of every service in proto/ (crm/v1 and grpc.health.v1) — one after
another, with raw malformed frames and unknown method paths mixed in. Each
call is classified: ok, rejected (by status code), hang, crash (crmd exited:
restarted, the run goes on), INTERNAL/UNKNOWN, and "rejected but changed
data" (SQLite's PRAGMA data_version moved across a rejected call). Then a
concurrent mixed-read load, idle connections, unfinished import streams and a
too-large request; then misbehaving plugins when --plugin-dir holds the
libcrmfixture-*.so files. Prints a summary whose first seven lines are fixed
(so that a test can parse them), then the details:

    fuzz: seed S, calls N, methods M
    ok: N  rejected: N  (by code: INVALID_ARGUMENT=…, NOT_FOUND=…, …)
    crashes: N
    hangs: N
    internal errors: N
    data changed by rejected calls: N
    load: callers 64, seconds S, calls N, longest stall X ms, calls over 1 s: N

With a fixed seed the same requests are generated; values learned from the
daemon's answers (resource names, page tokens, etags) fill some fields.

Exit status: 0 when there were no crashes, hangs or data changed by rejected
calls; 1 when there were; 2 when the run could not be made (no crmd, bad
arguments, crmd does not start); 3 when the global time limit was reached;
130 on Ctrl-C.
"""

import argparse
import collections
import os
import random
import shutil
import signal
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAX_DETAILS = 25  # distinct findings printed per category
RECENT_CALLS = 5  # calls shown before a crash


def parse_args(argv):
    p = argparse.ArgumentParser(prog="scripts/fuzz.sh", description="Fuzz and fault script for crmd (issue 9).")
    p.add_argument("calls", nargs="?", type=int, default=10000, help="generated calls to send (default 10000)")
    p.add_argument("--seed", type=int, default=None, help="random seed (default: from the clock; printed)")
    p.add_argument("--crmd", default=os.path.join(REPO, ".build", "debug", "crmd"), help="crmd binary")
    p.add_argument("--plugin-dir", default=None, help="plugin folder passed to crmd; libcrmfixture-*.so in it "
                   "are used only by the plugin-fault phase")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder (data, logs, stubs)")
    p.add_argument("--no-load", action="store_true", help="skip the concurrency phase")
    p.add_argument("--load-seconds", type=float, default=10.0, help="length of the mixed load (default 10)")
    p.add_argument("--load-callers", type=int, default=64, help="concurrent callers of the load (default 64)")
    p.add_argument("--idle-connections", type=int, default=200, help="idle connections opened (default 200)")
    p.add_argument("--deadline", type=float, default=10.0, help="deadline of each call in seconds (default 10)")
    p.add_argument("--max-seconds", type=float, default=None,
                   help="global time limit (default 600 + 0.2 s per call + load seconds)")
    p.add_argument("--memory-limit-mb", type=int, default=8192,
                   help="RLIMIT_AS for crmd in MiB, so a runaway allocation fails in crmd instead of "
                   "calling the OOM killer onto the machine (default 8192; 0: none)")
    p.add_argument("--verbose", "-v", action="store_true", help="print every finding as it happens")
    args = p.parse_args(argv)
    if args.calls < 0:
        p.error("CALLS must be >= 0")
    if args.seed is None:
        args.seed = int(time.time()) % 1_000_000
    if args.max_seconds is None:
        args.max_seconds = 600 + 0.2 * args.calls + (0 if args.no_load else args.load_seconds)
    return args


class Findings:
    """Counters and the details of crashes, hangs, internal errors and data changes."""

    def __init__(self):
        self.lock = threading.Lock()
        self.ok = 0
        self.rejected = collections.Counter()
        self.crashes = []
        self.hangs = []
        self.internal = []
        self.data_changed = []
        self.data_changed_unconfirmed = []
        self.accepted = []  # probes of known-bad input that were answered OK
        self.data_changed_streams = []  # non-atomic multi-batch import streams: earlier batches may commit
        self.notes = []  # extra summary lines from the fault phases
        self.load = None  # dict from faults.load_phase
        self.closed = False
        self.probes = 0

    def add(self, kind, entry):
        with self.lock:
            if not self.closed:  # after Ctrl-C or the time limit, crmd going away is our doing
                getattr(self, kind).append(entry)


class Fuzzer:
    def __init__(self, args):
        self.args = args
        self.findings = Findings()
        self.calls_done = 0
        self.recent = collections.deque(maxlen=RECENT_CALLS)
        self.daemons = []  # every Daemon started, stopped at the end
        self.finished = threading.Event()
        self.summary_lock = threading.Lock()
        self.summary_printed = False
        self.tmp = None
        self.daemon = None
        self.methods = []
        self.modules = []
        self.log_note = ""

    # -- set-up ------------------------------------------------------------------
    def setup(self):
        from . import stubs

        self.tmp = tempfile.mkdtemp(prefix="crmd-fuzz-")
        out = os.path.join(self.tmp, "stubs")
        os.makedirs(out)
        self.modules = stubs.generate(os.path.join(REPO, "proto"), out)
        self.methods = stubs.load_methods(self.modules)

    def main_plugin_dirs(self):
        """The --plugin-dir for the fuzz phases: a copy-by-symlink without the fault fixtures."""
        if not self.args.plugin_dir:
            return []
        src = os.path.abspath(self.args.plugin_dir)
        dst = os.path.join(self.tmp, "plugins")
        os.makedirs(dst, exist_ok=True)
        for name in sorted(os.listdir(src)):
            if name.endswith(".so") and not name.startswith("libcrmfixture-"):
                os.symlink(os.path.join(src, name), os.path.join(dst, name))
        return [dst]

    def new_daemon(self, name, plugin_dirs):
        from .daemon import Daemon

        limit = self.args.memory_limit_mb * 1024 * 1024 if self.args.memory_limit_mb else None
        d = Daemon(os.path.abspath(self.args.crmd), os.path.join(self.tmp, name), plugin_dirs,
                   memory_limit=limit, name=name)
        self.daemons.append(d)
        return d

    # -- the sequential fuzz phase -------------------------------------------------------
    def plan(self, i):
        """What call i sends: (method, payloads, request repr, cancel_mid_stream, label)."""
        from . import messages

        rng = random.Random("crmd-fuzz:%d:%d" % (self.args.seed, i))
        r = rng.random()
        m = len(self.methods)
        if r < 0.07:  # a raw frame that is not a valid protobuf of the method's type
            method = self.methods[rng.randrange(m)]
            _, valid = messages.build_request(method, rng, self.ctx, "valid")
            payload = messages.raw_payload(rng, valid)
            count = 1 if not method.client_streaming else rng.choice([1, 2])
            payloads = [payload] * count
            return method, payloads, messages.short_repr(payload), False, "raw frame"
        if r < 0.08:  # a method no service has
            path = rng.choice([
                "/crm.v1.CustomerService/NoSuchMethod", "/no.such.Service/Method", "/crm.v1.CustomerService/",
                "/crm.v1.CustomerService/getCustomer", "/" + "x" * 2000, "/crm.v1.CustomerService/GetCustomer/x",
                "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
            ])
            return path, [b"\x0a\x0bcustomers/1"], "unknown method", False, "unknown method"
        round_no, pos = divmod(i, m)
        order = list(range(m))
        random.Random("crmd-fuzz:%d:round:%d" % (self.args.seed, round_no)).shuffle(order)
        method = self.methods[order[pos]]
        mode = messages.MODES[0 if rng.random() < 0.35 else (1 if rng.random() < 0.7 else 2)]
        if method.client_streaming:
            count = rng.choice([0, 1, 1, 1, 2, 3, 5])
            msgs = []
            payloads = []
            for _ in range(count):
                msg, data = messages.build_request(method, rng, self.ctx, mode)
                msgs.append(msg)
                payloads.append(data)
            cancel = rng.random() < 0.15
            return method, payloads, messages.short_repr(msgs), cancel, mode + (" cancel" if cancel else "")
        msg, data = messages.build_request(method, rng, self.ctx, mode)
        return method, [data], messages.short_repr(msg), False, mode

    def restart(self, why):
        self.dv.close()
        self.daemon.kill()
        ok, reason = self.daemon.start()
        if not ok:
            # one more try on a fresh folder: the data may be what stops it now
            self.findings.notes.append("crmd did not restart after %s: %s" % (why, reason))
            raise SystemExit(self.fail("crmd does not restart after %s: %s" % (why, reason)))
        self.reconnect()

    def reconnect(self):
        from .daemon import channel

        if getattr(self, "channel", None) is not None:
            self.channel.close()
        self.channel = channel(self.daemon.socket)

    def entry(self, i, method, req, outcome=None, extra=""):
        path = getattr(method, "path", method)
        e = {"call": i, "method": path.rsplit("/", 1)[-1] if "/" in path else path, "path": path, "request": req}
        if outcome is not None:
            e["code"] = outcome.code
            e["details"] = outcome.details
            e["elapsed"] = outcome.elapsed
        if extra:
            e["extra"] = extra
        return e

    def crash(self, i, method, req, outcome, exit_code):
        from .daemon import describe_exit

        e = self.entry(i, method, req, outcome)
        e["exit"] = describe_exit(exit_code)
        e["fatal"] = self.daemon.fatal_line()
        e["recent"] = list(self.recent)[:-1]
        self.findings.add("crashes", e)
        self.say("CRASH", e)
        self.restart("a crash")

    def say(self, what, e):
        if self.args.verbose:
            print("fuzz: %s call %s %s %s → %s %s" % (what, e.get("call"), e["path"], e["request"][:200],
                                                    e.get("code", ""), e.get("details", "")[:200]), flush=True)

    def sequential_phase(self):
        from .daemon import DataVersion

        self.dv = DataVersion(self.daemon.db_path)
        for i in range(self.args.calls):
            method, payloads, req, cancel, label = self.plan(i)
            self.one_call(i, method, payloads, req, cancel)
            self.calls_done = i + 1

    def one_call(self, i, method, payloads, req, cancel=False, count=True):
        """Sends one call and classifies it. Returns its Outcome, or None after a crash or a hang."""
        from . import calls

        deadline = self.args.deadline
        self.recent.append("#%s %s %s" % (i, getattr(method, "path", method), req[:160]))
        before = self.dv.read()
        self.daemon.mark()
        outcome = calls.invoke(self.channel, method, payloads, deadline, cancel_mid_stream=cancel)
        after = self.dv.read()
        wait = 0.5 if outcome.code in ("UNAVAILABLE", "INTERNAL", "UNKNOWN", "CANCELLED") else 0.0
        code = self.daemon.exited_or_crashing(wait) if (wait or outcome.deadline_hit) else self.daemon.exited()
        if code is not None:
            self.crash(i, method, req, outcome, code)
            return None
        health = self.daemon.health(2.0)
        if health != "SERVING":
            code = self.daemon.exited_or_crashing(1.0)
            if code is not None:
                self.crash(i, method, req, outcome, code)
                return None
            e = self.entry(i, method, req, outcome, "health check after the call: %s" % health)
            how = self.daemon.stop(term_timeout=5)
            e["extra"] += "; stopping crmd: %s" % how
            self.findings.add("hangs", e)
            self.say("HANG", e)
            self.restart("a hang")
            return None
        if outcome.deadline_hit:
            e = self.entry(i, method, req, outcome, "no answer within the %.0f s deadline" % deadline)
            self.findings.add("hangs", e)
            self.say("HANG", e)
            return None
        if outcome.code == "OK":
            if count:
                self.findings.ok += 1
            self.learn(method, outcome)
            return outcome
        if count:
            self.findings.rejected[outcome.code] += 1
        if outcome.code in ("INTERNAL", "UNKNOWN"):
            e = self.entry(i, method, req, outcome)
            self.findings.add("internal", e)
            self.say("INTERNAL", e)
        if before is not None and after is not None and after != before and not outcome.client_cancelled:
            self.data_changed(i, method, payloads, req, outcome, cancel)
        return outcome

    def data_changed(self, i, method, payloads, req, outcome, cancel):
        """A rejected call moved data_version: replay it once to tell its doing from background work."""
        from . import calls

        e = self.entry(i, method, req, outcome)
        multi_batch = getattr(method, "client_streaming", False) and outcome.sent >= 2 and not _atomic(payloads)
        before = self.dv.read()
        replay = calls.invoke(self.channel, method, payloads, self.args.deadline, cancel_mid_stream=cancel)
        after = self.dv.read()
        e["extra"] = "replayed: %s, data %s" % (replay.code, "changed again" if after != before else "unchanged")
        if multi_batch:
            e["extra"] += "; a non-atomic stream of %d batches (earlier batches may commit)" % outcome.sent
            self.findings.add("data_changed_streams", e)
        elif replay.code != "OK" and after != before:
            self.findings.add("data_changed", e)
        else:
            self.findings.add("data_changed_unconfirmed", e)
        self.say("DATA CHANGED", e)

    def learn(self, method, outcome):
        if not hasattr(method, "output_class"):
            return
        cls = method.output_class
        for data in outcome.responses[:5]:
            try:
                self.ctx.learn(method.path, cls.FromString(data))
            except Exception:
                pass

    # -- summary -------------------------------------------------------------------
    def summary(self, reason=""):
        with self.summary_lock:
            if self.summary_printed:
                return
            self.summary_printed = True
        f = self.findings
        out = []
        out.append("fuzz: seed %d, calls %d, methods %d" % (self.args.seed, self.calls_done, len(self.methods)))
        by_code = ", ".join("%s=%d" % (k, v) for k, v in sorted(f.rejected.items(), key=lambda kv: (-kv[1], kv[0])))
        out.append("ok: %d  rejected: %d  (by code: %s)" % (f.ok, sum(f.rejected.values()), by_code or "none"))
        out.append("crashes: %d" % len(f.crashes))
        out.append("hangs: %d" % len(f.hangs))
        out.append("internal errors: %d" % len(f.internal))
        out.append("data changed by rejected calls: %d" % len(f.data_changed))
        load = f.load
        if load:
            out.append("load: callers %d, seconds %g, calls %d, longest stall %d ms, calls over 1 s: %d" % (
                load["callers"], load["seconds"], load["calls"], load["stall_ms"], load["over_1s"]))
        else:
            why = "--no-load" if self.args.no_load else "not run"
            out.append("load: callers 0, seconds 0, calls 0, longest stall 0 ms, calls over 1 s: 0 (skipped: %s)" % why)
        if reason:
            out.append("run ended early: %s" % reason)
        out.extend(f.notes)
        if f.accepted or f.probes:
            out.append("probes: %d, bad input accepted: %d" % (f.probes, len(f.accepted)))
        if f.data_changed_unconfirmed:
            out.append("data changed around rejected calls but not on replay (background work?): %d"
                       % len(f.data_changed_unconfirmed))
        if f.data_changed_streams:
            out.append("data changed by rejected non-atomic multi-batch import streams: %d" % len(f.data_changed_streams))
        for title, items in (("crashes", f.crashes), ("hangs", f.hangs), ("internal errors", f.internal),
                             ("data changed by rejected calls", f.data_changed),
                             ("bad input accepted (answered OK)", f.accepted),
                             ("data changed, not reproduced on replay", f.data_changed_unconfirmed),
                             ("data changed by multi-batch streams", f.data_changed_streams)):
            if items:
                out.append("")
                out.append("== %s (%d; distinct shown, at most %d)" % (title, len(items), MAX_DETAILS))
                out.extend(details(items))
        out.append("")
        out.append("crmd log: %s" % self.log_note)
        print("\n".join(out), flush=True)

    def bad_count(self):
        f = self.findings
        return len(f.crashes) + len(f.hangs) + len(f.data_changed)

    def fail(self, message):
        print("fuzz: %s" % message, file=sys.stderr, flush=True)
        return 2

    # -- finishing -----------------------------------------------------------------
    def stop_all(self):
        self.findings.closed = True
        for d in self.daemons:
            d.disabled = True
        for d in self.daemons:
            try:
                d.kill()
            except Exception:
                pass
        if getattr(self, "dv", None) is not None:
            self.dv.close()

    def keep_logs(self):
        """Where the crmd logs are after the run; copies them out of the temp folder when it goes."""
        logs = [d.log_path for d in self.daemons if os.path.exists(d.log_path)]
        if not logs:
            self.log_note = "(none)"
            return
        if self.args.keep:
            self.log_note = ", ".join(logs)
            return
        findings = self.bad_count() + len(self.findings.internal)
        if findings == 0:
            self.log_note = "(removed with the temporary folder; --keep keeps it)"
            return
        kept = []
        for path in logs:
            name = os.path.basename(os.path.dirname(path))
            dst = os.path.join(tempfile.gettempdir(), "crmd-fuzz-seed%d-%s.log" % (self.args.seed, name))
            shutil.copyfile(path, dst)
            kept.append(dst)
        self.log_note = ", ".join(kept)

    def cleanup(self):
        if self.tmp and not self.args.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)
        elif self.tmp:
            print("fuzz: kept %s" % self.tmp, flush=True)


def _atomic(payloads):
    # ImportXRequest: field 2 is `atomic` (varint 1) in the first message.
    return bool(payloads) and b"\x10\x01" in payloads[0]


def details(items):
    groups = collections.OrderedDict()
    for e in items:
        if e.get("fatal") is not None:  # a crash: one group per place it died
            key = (e["path"], _normalise(e["fatal"])[:120])
        elif e.get("label"):
            key = (e["path"], e["label"])
        else:
            key = (e["path"], e.get("code", ""), _normalise(e.get("details", ""))[:80], e.get("extra", "")[:40])
        groups.setdefault(key, []).append(e)
    lines = []
    for n, (key, group) in enumerate(groups.items()):
        if n >= MAX_DETAILS:
            lines.append("… %d more distinct" % (len(groups) - MAX_DETAILS))
            break
        e = group[0]
        head = "- %s ×%d (first: call #%s)" % (e["path"], len(group), e.get("call", "-"))
        lines.append(head)
        lines.append("    request: %s" % e["request"])
        if "code" in e:
            lines.append("    status: %s: %s" % (e["code"], e.get("details", "")[:300]))
        if e.get("exit"):
            lines.append("    crmd: %s; log: %s" % (e["exit"], e.get("fatal", "")))
        if e.get("extra"):
            lines.append("    %s" % e["extra"])
        for r in e.get("recent", [])[-3:]:
            lines.append("    before it: %s" % r)
    return lines


def _normalise(text):
    import re

    return re.sub(r"0x[0-9a-f]+|\d+", "N", text)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if not os.path.isfile(args.crmd) or not os.access(args.crmd, os.X_OK):
        print("fuzz: no crmd at %s (build it, or pass --crmd PATH)" % args.crmd, file=sys.stderr)
        return 2
    if args.plugin_dir and not os.path.isdir(args.plugin_dir):
        print("fuzz: --plugin-dir %s is not a folder" % args.plugin_dir, file=sys.stderr)
        return 2
    import faulthandler

    faulthandler.register(signal.SIGUSR1, all_threads=True)  # kill -USR1 PID: where is it stuck?
    fz = Fuzzer(args)
    result = {"code": None, "reason": ""}

    def finish(reason, code):
        """Stops every crmd, prints the summary, removes the temp folder; once."""
        with fz.summary_lock:
            if fz.finished.is_set():
                return
            fz.finished.set()
        fz.stop_all()
        if fz.tmp:
            fz.keep_logs()
            if code != 2 or reason:
                fz.summary(reason)
            fz.cleanup()

    def work():
        from . import faults, messages, probes, setup_data

        try:
            fz.setup()
            fz.ctx = messages.Context()
            fz.daemon = fz.new_daemon("data", fz.main_plugin_dirs())
            ok, why = fz.daemon.start()
            if not ok:
                print("fuzz: %s; its log:\n%s" % (why, "\n".join(fz.daemon.log_tail(20))), file=sys.stderr)
                result["code"] = 2
                return
            fz.reconnect()
            for note in setup_data.seed(fz, fz.channel):
                fz.findings.notes.append(note)
            fz.sequential_phase()
            probes.run(fz)
            if not args.no_load:
                faults.load_phase(fz)
            faults.connection_faults(fz)
            faults.plugin_faults(fz)
        except SystemExit as e:
            result["reason"] = "crmd could not be restarted"
            result["code"] = e.code if isinstance(e.code, int) else 2
        except Exception:
            import traceback

            traceback.print_exc()
            result["reason"] = "the fuzz script failed (traceback above)"
            result["code"] = 2

    # gRPC calls run in a worker thread: a blocking call in the main thread is
    # not interruptible, and Ctrl-C must always stop crmd and clean up.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    worker = threading.Thread(target=work, name="fuzz", daemon=True)
    started = time.monotonic()
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.2)
            if time.monotonic() - started > args.max_seconds:
                print("fuzz: global time limit of %.0f s reached; stopping" % args.max_seconds, file=sys.stderr)
                finish("global time limit of %.0f s reached" % args.max_seconds, 3)
                sys.stdout.flush()
                os._exit(3)
    except KeyboardInterrupt:
        finish("interrupted", 130)
        sys.stdout.flush()
        os._exit(130)
    finish(result["reason"], result["code"])
    if result["code"] is not None:
        return result["code"]
    return 1 if fz.bad_count() else 0
