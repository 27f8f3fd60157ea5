"""The fault phases: concurrent mixed load, idle connections, unfinished import
streams, a too-large request, and misbehaving plugins."""

import os
import random
import threading
import time

import grpc

from . import calls
from .daemon import channel as open_channel
from .daemon import describe_exit
from .stubs import find_message

FIXTURES = ("crash", "loop-call", "loop-init", "hog")


def _M(fz, name):
    return find_message(fz.modules, "crm.v1." + name)


def _check_after(fz, phase, what, method="(phase)"):
    """After a fault phase: crash → restart; no health answer → hang, restart. Returns True if served."""
    d = fz.daemon
    code = d.exited_or_crashing(0.5)
    if code is None:
        health = d.health(2.0)
        if health == "SERVING":
            return True
        code = d.exited_or_crashing(1.0)
        if code is None:
            how = d.stop(term_timeout=5)
            fz.findings.add("hangs", {"call": "-", "method": phase, "path": "%s: %s" % (phase, method),
                                      "request": what,
                                      "extra": "health check afterwards: %s; stopping crmd: %s" % (health, how)})
            fz.restart("a hang in the %s phase" % phase)
            return False
    fz.findings.add("crashes", {"call": "-", "method": phase, "path": "%s: %s" % (phase, method), "request": what,
                                "exit": describe_exit(code), "fatal": d.fatal_line()})
    fz.restart("a crash in the %s phase" % phase)
    return False


# -- 1. the mixed-read load of issue 9, finding 1 -----------------------------------------

def load_phase(fz):
    args = fz.args
    M = lambda n: _M(fz, n)  # noqa: E731
    ctx = fz.ctx
    # A few hundred more customers make List calls hold their reader connections longer.
    for batch in range(2):
        req = M("BatchCreateCustomersRequest")()
        for k in range(100):
            c = req.requests.add().customer
            c.display_name = "Load %d-%d" % (batch, k)
            c.email = "load-%d-%d@example.com" % (batch, k)
        try:
            fz.channel.unary_unary("/crm.v1.CustomerService/BatchCreateCustomers")(req.SerializeToString(), timeout=30)
        except grpc.RpcError as e:
            fz.findings.notes.append("load: BatchCreateCustomers failed: %s" % e.code().name)
    names = {c: list(ctx.names[c]) or ["%s/1" % c] for c in ("customers", "orders", "payments", "interactions")}

    def request(rng, caller, n):
        r = rng.random()
        if r < 0.30:
            return "/crm.v1.CustomerService/ListCustomers", M("ListCustomersRequest")(
                page_size=rng.choice([10, 50, 200]))
        if r < 0.45:
            return "/crm.v1.CustomerService/GetCustomer", M("GetCustomerRequest")(name=rng.choice(names["customers"]))
        if r < 0.55:
            return "/crm.v1.OrderService/GetOrder", M("GetOrderRequest")(name=rng.choice(names["orders"]))
        if r < 0.62:
            return "/crm.v1.OrderService/GetPayment", M("GetPaymentRequest")(name=rng.choice(names["payments"]))
        if r < 0.70:
            return "/crm.v1.InteractionService/GetInteraction", M("GetInteractionRequest")(
                name=rng.choice(names["interactions"]))
        if r < 0.80:
            return "/crm.v1.CustomerService/SearchCustomers", M("SearchCustomersRequest")(
                query=rng.choice(["load", "seed", "ada", "acme"]), page_size=20)
        if r < 0.90:
            c = M("Customer")(display_name="Load writer %d-%d" % (caller, n),
                              email="w-%d-%d-%d@example.com" % (fz.args.seed, caller, n))
            return "/crm.v1.CustomerService/CreateCustomer", M("CreateCustomerRequest")(customer=c)
        c = M("Customer")(name=rng.choice(names["customers"]), display_name="Updated %d-%d" % (caller, n))
        req = M("UpdateCustomerRequest")(customer=c)
        req.update_mask.paths.append("display_name")
        return "/crm.v1.CustomerService/UpdateCustomer", req

    fz.daemon.mark()
    channels = [open_channel(fz.daemon.socket) for _ in range(8)]
    callers = args.load_callers
    seconds = args.load_seconds
    results = [[] for _ in range(callers)]  # (done_at, duration, code, path)
    start = time.monotonic()
    stop_at = start + seconds

    def run(k):
        rng = random.Random("crmd-fuzz-load:%d:%d" % (args.seed, k))
        ch = channels[k % len(channels)]
        n = 0
        while time.monotonic() < stop_at:
            path, req = request(rng, k, n)
            n += 1
            t0 = time.monotonic()
            try:
                ch.unary_unary(path)(req.SerializeToString(), timeout=5)
                code = "OK"
            except grpc.RpcError as e:
                code = e.code().name
            t1 = time.monotonic()
            results[k].append((t1, t1 - t0, code, path))

    threads = [threading.Thread(target=run, args=(k,), daemon=True) for k in range(callers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 15)
    end = max(time.monotonic(), stop_at)
    done = sorted(r for rs in results for r in rs)
    # A gap is measured between answers from crmd: our own deadline passing is no answer.
    answered = [r[0] for r in done if r[2] != "DEADLINE_EXCEEDED"]
    times = [start] + answered + [min(end, stop_at + 5)]
    stall = max((b - a for a, b in zip(times, times[1:])), default=0)
    over = [r for r in done if r[1] > 1.0]
    codes = {}
    for r in done:
        codes[r[2]] = codes.get(r[2], 0) + 1
    fz.findings.load = {"callers": callers, "seconds": seconds, "calls": len(done), "stall_ms": int(stall * 1000),
                        "over_1s": len(over)}
    slowest = {}
    for r in over:
        m = r[3].rsplit("/", 1)[-1]
        slowest[m] = max(slowest.get(m, 0), r[1])
    note = "load: answers by code: %s" % ", ".join("%s=%d" % kv for kv in sorted(codes.items()))
    if slowest:
        note += "; slowest over 1 s: " + ", ".join("%s %.1f s" % kv for kv in sorted(slowest.items()))
    fz.findings.notes.append(note)
    for ch in channels:
        ch.close()
    if not _check_after(fz, "load", "%d callers × %g s of mixed List/Get/Search/Create/Update" % (callers, seconds)):
        fz.findings.notes.append("load: crmd stopped answering (see hangs/crashes)")
    elif stall > 1.0:
        fz.findings.notes.append("load: longest stall %.1f s (over 1 s)" % stall)


# -- 2. idle connections, unfinished imports, a too-large request ---------------------------

def connection_faults(fz):
    d = fz.daemon
    d.mark()
    M = lambda n: _M(fz, n)  # noqa: E731
    # Idle connections.
    n = fz.args.idle_connections
    if n > 0:
        rss0 = d.rss_kb()
        chans, connected = [], 0
        t0 = time.monotonic()
        for _ in range(n):
            ch = open_channel(d.socket)
            chans.append(ch)
            try:
                grpc.channel_ready_future(ch).result(timeout=5)
                connected += 1
            except grpc.FutureTimeoutError:
                pass
            if time.monotonic() - t0 > 60:
                break
        time.sleep(0.5)
        rss1 = d.rss_kb()
        health = d.health(2.0)
        for ch in chans:
            ch.close()
        fz.findings.notes.append("idle connections: %d opened (%d connected), health while open: %s, RSS %s → %s"
                                 % (len(chans), connected, health, _kb(rss0), _kb(rss1)))
        _check_after(fz, "idle connections", "%d idle connections" % n)

    # Unfinished atomic import streams (issue 9, finding 5): held open, then cancelled.
    streams, rows = 20, 500
    rss0 = d.rss_kb()
    holders = []
    ch = open_channel(d.socket)
    for s in range(streams):
        req = M("ImportCustomersRequest")(atomic=True)
        for k in range(rows):
            c = req.customers.add()
            c.display_name = "Unfinished %d-%d" % (s, k)
            c.external_id = "unfinished-%d-%d-%d" % (fz.args.seed, s, k)
        release = threading.Event()

        def gen(data=req.SerializeToString(), release=release):
            yield data
            release.wait(30)

        fut = ch.stream_unary("/crm.v1.CustomerService/ImportCustomers").future(gen(), timeout=40)
        holders.append((fut, release))
    time.sleep(1.0)
    rss1 = d.rss_kb()
    health = d.health(2.0)
    for fut, release in holders:
        fut.cancel()
        release.set()
    ch.close()
    fz.findings.notes.append("unfinished import streams: %d atomic streams × %d rows held open, health: %s, RSS %s → %s"
                             % (streams, rows, health, _kb(rss0), _kb(rss1)))
    _check_after(fz, "unfinished imports", "%d unfinished atomic ImportCustomers streams" % streams,
                 "ImportCustomers")

    # A too-large request: ~65 MB.
    big = M("CreateCustomerRequest")()
    big.customer.display_name = "x" * (65 * 1024 * 1024)
    data = big.SerializeToString()
    ch = open_channel(d.socket)
    outcome = calls.invoke(ch, "/crm.v1.CustomerService/CreateCustomer", [data], 60)
    ch.close()
    verdict = "as expected" if outcome.code == "RESOURCE_EXHAUSTED" else "expected RESOURCE_EXHAUSTED"
    fz.findings.notes.append("too-large request: CreateCustomer of %.1f MB → %s: %s (%s)"
                             % (len(data) / 1e6, outcome.code, outcome.details[:160], verdict))
    _check_after(fz, "too-large request", "CreateCustomer of %d bytes" % len(data), "CreateCustomer")


def _kb(v):
    return "?" if v is None else "%.0f MB" % (v / 1024)


# -- 3. misbehaving plugins ---------------------------------------------------------------------

def plugin_faults(fz):
    pdir = fz.args.plugin_dir
    files = {}
    if pdir:
        for f in FIXTURES:
            path = os.path.join(os.path.abspath(pdir), "libcrmfixture-%s.so" % f)
            if os.path.exists(path):
                files[f] = path
    if not files:
        fz.findings.notes.append("plugin faults: skipped (no fixtures)")
        return
    results = []
    for fixture, path in files.items():
        results.append("%s: %s" % (fixture, _one_fixture(fz, fixture, path)))
    missing = [f for f in FIXTURES if f not in files]
    if missing:
        results.append("missing: %s" % ", ".join(missing))
    fz.findings.notes.append("plugin faults: " + "; ".join(results))


def _one_fixture(fz, fixture, path):
    """A fresh crmd whose only extra plugin folder holds this one fixture; calls it; checks crmd still serves."""
    from .daemon import Daemon

    M = lambda n: _M(fz, n)  # noqa: E731
    folder = os.path.join(fz.tmp, "fixture-%s" % fixture)
    os.makedirs(folder, exist_ok=True)
    link = os.path.join(folder, os.path.basename(path))
    if not os.path.exists(link):
        os.symlink(path, link)
    d = fz.new_daemon("plugin-%s" % fixture, [folder])
    label = "plugin %s" % os.path.basename(path)

    def finding(kind, method, text, extra="", exit_code=None):
        e = {"call": "-", "method": method, "path": "%s: %s" % (label, method), "request": text, "extra": extra}
        if exit_code is not None:
            e["exit"] = describe_exit(exit_code)
            e["fatal"] = d.fatal_line()
        fz.findings.add(kind, e)

    ok, why = d.start(timeout=20)
    if not ok:
        code = d.exited(0)
        if code is None:
            how = d.stop(term_timeout=5)
            finding("hangs", "start-up", "crmd --plugin-dir with %s" % os.path.basename(path), why + "; " + how)
            return "start-up hangs (%s)" % how
        finding("crashes", "start-up", "crmd --plugin-dir with %s" % os.path.basename(path), why, code)
        return "crmd dies at start-up (%s)" % describe_exit(code)
    ch = open_channel(d.socket)
    steps = []
    try:
        listed = ch.unary_unary("/crm.v1.PluginService/ListPlugins")(b"", timeout=10)
        plugins = M("ListPluginsResponse").FromString(listed).plugins
        mine = [p for p in plugins if os.path.basename(p.path) == os.path.basename(path)]
        if not mine:
            return "not listed by ListPlugins"
        plugin = mine[0]
        steps.append("listed %s (status %s%s)" % (plugin.name, plugin.status, ", " + plugin.reason[:80] if plugin.reason else ""))
        requests = [("DescribePlugin", "/crm.v1.PluginService/DescribePlugin",
                     M("DescribePluginRequest")(name=plugin.name), False)]
        for alg in list(plugin.algorithms)[:3]:
            req = M("TrainRequest")(algorithm=alg.name, cv_folds=1)
            req.dataset.feature_names.extend(["f0", "f1"])
            for r in range(20):
                req.dataset.values.extend([float(r % 2) * 3 + r * 0.01, float(r % 3)])
                req.dataset.labels.append("a" if r % 2 else "b")
            requests.append(("Train(%s)" % alg.name, "/crm.v1.AnalysisService/Train", req, True))
        requests.append(("ReloadPlugins", "/crm.v1.PluginService/ReloadPlugins", M("ReloadPluginsRequest")(), False))
        for what, rpc, req, streaming in requests:
            result = _call_while_serving(fz, d, rpc, req, streaming, deadline=4.0 if fixture == "loop-call" else 15.0)
            steps.append("%s → %s" % (what, result["text"]))
            if result["crashed"] is not None:
                finding("crashes", what, "%s of %s" % (rpc, plugin.name), result["text"], result["crashed"])
                return "; ".join(steps)
            if result["frozen"]:
                how = d.stop(term_timeout=5)
                finding("hangs", what, "%s of %s" % (rpc, plugin.name), result["text"] + "; stopping crmd: " + how)
                steps.append("stopping crmd: %s" % how)
                return "; ".join(steps)
            if result["deadline"]:
                if fixture == "loop-call":
                    # The plugin loops for ever by design: the caller's deadline ends the call and crmd
                    # kills the process. A hang would be other clients or SIGTERM going unanswered,
                    # which "frozen" above and the SIGTERM check below catch.
                    steps[-1] += " (expected: the caller's deadline ends a call that never returns)"
                else:
                    finding("hangs", what, "%s of %s" % (rpc, plugin.name), result["text"])
        how = d.stop(term_timeout=10)
        steps.append("SIGTERM: %s" % how)
        if "ignored" in how:
            finding("hangs", "SIGTERM", "stopping crmd after calling %s" % plugin.name, how)
        return "; ".join(steps)
    except grpc.RpcError as e:
        steps.append("%s: %s" % (e.code().name, (e.details() or "")[:120]))
        code = d.exited(1.0)
        if code is not None:
            finding("crashes", "ListPlugins", "with %s loaded" % os.path.basename(path), steps[-1], code)
        return "; ".join(steps)
    finally:
        ch.close()
        d.kill()


def _call_while_serving(fz, d, rpc, req, streaming, deadline=15.0):
    """Calls the plugin; meanwhile another client checks that crmd still answers."""
    outcome = {}
    d.mark()
    ch = open_channel(d.socket)

    class _Method:
        path = rpc
        client_streaming = False
        server_streaming = streaming

    def run():
        outcome["o"] = calls.invoke(ch, _Method, [req.SerializeToString()], deadline)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(1.0)
    others = []
    while t.is_alive() and len(others) < 3:
        other = open_channel(d.socket)
        try:
            other.unary_unary("/crm.v1.CustomerService/ListCustomers")(b"", timeout=2)
            others.append("OK")
        except grpc.RpcError as e:
            others.append(e.code().name)
        other.close()
        t.join(1.0)
    t.join(deadline + 5)
    ch.close()
    o = outcome.get("o")
    text = ("%s: %s" % (o.code, o.details[:160])) if o else "no answer"
    if others:
        text += "; other clients meanwhile: %s" % ",".join(others)
    crashed = d.exited_or_crashing(1.0)
    frozen = False
    if crashed is None:
        health = d.health(2.0)
        if health != "SERVING":
            crashed = d.exited_or_crashing(1.0)
            frozen = crashed is None
            text += "; health afterwards: %s" % health
    elif o is not None:
        text += "; crmd %s" % describe_exit(crashed)
    if others and any(x != "OK" for x in others):
        frozen = frozen or all(x != "OK" for x in others)
    return {"text": text, "crashed": crashed, "frozen": frozen, "deadline": bool(o and o.deadline_hit)}
