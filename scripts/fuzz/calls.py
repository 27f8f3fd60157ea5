"""Sends one call of any arity with raw bytes and reports how it ended, never blocking past its deadline."""

import threading
import time
from dataclasses import dataclass, field

import grpc

STREAM_MAX_MESSAGES = 10_000  # read at most this many messages of a server stream
STREAM_IDLE_SECONDS = 0.1  # after a first message, a stream silent this long is left (e.g. Health/Watch)
KEEP_RESPONSES = 20  # responses kept for learning names and page tokens


@dataclass
class Outcome:
    code: str = "OK"  # "OK" or a grpc.StatusCode name
    details: str = ""
    responses: list = field(default_factory=list)
    received: int = 0
    sent: int = 0
    elapsed: float = 0.0
    client_cancelled: bool = False  # we cancelled it (mid-stream cancel, idle stream)
    deadline_hit: bool = False  # our own deadline passed


def _error(outcome, e, started, deadline):
    code = e.code() if hasattr(e, "code") else None
    outcome.code = code.name if code is not None else "UNKNOWN"
    details = e.details() if hasattr(e, "details") else str(e)
    outcome.details = (details or "")[:500]
    outcome.elapsed = time.monotonic() - started
    if outcome.code == "DEADLINE_EXCEEDED" and outcome.elapsed >= deadline * 0.95:
        outcome.deadline_hit = True


def invoke(channel, method, payloads, deadline, cancel_mid_stream=False):
    """Calls `method` (stubs.Method, or a bare path for unary) with raw request bytes.

    `payloads` is a list of bytes: one element for a unary or server-streaming
    call; 0..N for client-streaming and bidi calls.
    """
    started = time.monotonic()
    outcome = Outcome()
    client_streaming = getattr(method, "client_streaming", False)
    server_streaming = getattr(method, "server_streaming", False)
    path = getattr(method, "path", method)
    try:
        if not client_streaming and not server_streaming:
            outcome.sent = 1
            response = channel.unary_unary(path)(payloads[0], timeout=deadline)
            outcome.responses.append(response)
            outcome.received = 1
        elif not client_streaming and server_streaming:
            outcome.sent = 1
            call = channel.unary_stream(path)(payloads[0], timeout=deadline)
            _read_stream(call, outcome)
        elif client_streaming and not server_streaming:
            _client_stream(channel.stream_unary(path), payloads, deadline, cancel_mid_stream, outcome)
        else:
            _bidi(channel.stream_stream(path), payloads, deadline, cancel_mid_stream, outcome)
        outcome.elapsed = time.monotonic() - started
    except grpc.RpcError as e:
        _error(outcome, e, started, deadline)
        if outcome.client_cancelled and outcome.code == "CANCELLED":
            outcome.code, outcome.details = "OK", "cancelled by the fuzzer"
    except grpc.FutureCancelledError:
        outcome.elapsed = time.monotonic() - started
        outcome.code, outcome.details = "OK", "cancelled by the fuzzer"
        outcome.client_cancelled = True
    return outcome


def _read_stream(call, outcome):
    state = {"last": time.monotonic()}
    stop = threading.Event()

    def watchdog():
        while not stop.wait(0.05):
            if outcome.received > 0 and time.monotonic() - state["last"] > STREAM_IDLE_SECONDS:
                outcome.client_cancelled = True
                call.cancel()
                return

    t = threading.Thread(target=watchdog, daemon=True)
    t.start()
    try:
        for response in call:
            outcome.received += 1
            state["last"] = time.monotonic()
            if len(outcome.responses) < KEEP_RESPONSES:
                outcome.responses.append(response)
            if outcome.received >= STREAM_MAX_MESSAGES:
                outcome.client_cancelled = True
                call.cancel()
                break
    finally:
        stop.set()
        t.join(1)


class _Requests:
    """A request iterator that can hold the stream open (no half-close) until released."""

    def __init__(self, payloads, hold, outcome):
        self.payloads = payloads
        self.hold = hold
        self.outcome = outcome
        self.all_sent = threading.Event()
        self.release = threading.Event()

    def __iter__(self):
        for p in self.payloads:
            if self.release.is_set():
                return
            self.outcome.sent += 1
            yield p
        self.all_sent.set()
        if self.hold:
            self.release.wait(60)


def _wait_then_cancel(requests, future_like, deadline):
    end = time.monotonic() + deadline * 0.8
    while not requests.all_sent.wait(0.02):
        if future_like.done() or time.monotonic() > end:
            return
    time.sleep(0.05)  # let the server read what was sent
    if not future_like.done():
        requests.outcome.client_cancelled = True
        future_like.cancel()


def _client_stream(multicallable, payloads, deadline, cancel, outcome):
    requests = _Requests(payloads, cancel, outcome)
    future = multicallable.future(iter(requests), timeout=deadline)
    try:
        if cancel:
            _wait_then_cancel(requests, future, deadline)
        response = future.result(timeout=deadline + 5)
        outcome.responses.append(response)
        outcome.received = 1
    except grpc.FutureTimeoutError:
        future.cancel()
        outcome.code, outcome.details, outcome.deadline_hit = "DEADLINE_EXCEEDED", "no answer (client side)", True
    finally:
        requests.release.set()


def _bidi(multicallable, payloads, deadline, cancel, outcome):
    requests = _Requests(payloads, cancel, outcome)
    call = multicallable(iter(requests), timeout=deadline)
    canceller = None
    if cancel:
        canceller = threading.Thread(target=_wait_then_cancel, args=(requests, call, deadline), daemon=True)
        canceller.start()
    try:
        _read_stream(call, outcome)
    finally:
        requests.release.set()
        if canceller:
            canceller.join(1)
