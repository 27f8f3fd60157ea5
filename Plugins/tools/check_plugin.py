#!/usr/bin/env python3
"""Loads a crmd plugin the way crmd does and calls describe, train and predict through the C ABI.

Usage: python3 Plugins/tools/check_plugin.py path/to/libcrmplugin-NAME.so

A quick check for plugin authors before a daemon is involved (docs/plugins.md). Needs Python 3 with grpcio-tools
(`python3 -m pip install grpcio-tools`, which brings protobuf); the messages are generated from proto/ on the fly.
Only analysis plugins are trained; for a connector, describe is called.
"""
import atexit
import ctypes
import os
import re
import shutil
import subprocess
import sys
import tempfile

PROTO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "proto")
generated = tempfile.mkdtemp(prefix="crm-plugin-check-")
atexit.register(shutil.rmtree, generated, ignore_errors=True)
subprocess.run([sys.executable, "-m", "grpc_tools.protoc", f"--proto_path={PROTO}", f"--python_out={generated}",
                "crm/plugin/v1/plugin.proto", "crm/plugin/v1/analysis.proto", "crm/plugin/v1/connector.proto"],
               check=True)
for package in ("crm", "crm/plugin", "crm/plugin/v1"):
    open(os.path.join(generated, package, "__init__.py"), "a").close()
sys.path.insert(0, generated)

from crm.plugin.v1 import analysis_pb2, plugin_pb2  # noqa: E402


class Buffer(ctypes.Structure):
    _fields_ = [("data", ctypes.POINTER(ctypes.c_uint8)), ("len", ctypes.c_size_t)]


class Error(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int32), ("message", Buffer)]


LOG = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int32, ctypes.c_char_p)
PROGRESS = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_double, ctypes.c_char_p)
CANCELLED = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p)


class HostApi(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("abi_major", ctypes.c_uint32), ("abi_minor", ctypes.c_uint32),
                ("host_data", ctypes.c_void_p), ("log", LOG), ("report_progress", PROGRESS),
                ("is_cancelled", CANCELLED)]


INIT = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.POINTER(HostApi), ctypes.c_char_p, ctypes.c_size_t,
                        ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(Error))
CALL = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t,
                        ctypes.c_void_p, ctypes.POINTER(Buffer), ctypes.POINTER(Error))
FREE = ctypes.CFUNCTYPE(None, ctypes.POINTER(ctypes.c_uint8), ctypes.c_size_t)
SHUTDOWN = ctypes.CFUNCTYPE(None, ctypes.c_void_p)


class Descriptor(ctypes.Structure):
    _fields_ = [("magic", ctypes.c_uint32), ("abi_major", ctypes.c_uint32), ("abi_minor", ctypes.c_uint32),
                ("struct_size", ctypes.c_uint32), ("kind", ctypes.c_uint32), ("flags", ctypes.c_uint32),
                ("name", ctypes.c_char_p), ("version", ctypes.c_char_p), ("description", ctypes.c_char_p),
                ("license", ctypes.c_char_p), ("init", INIT), ("call", CALL), ("free_buffer", FREE),
                ("shutdown", SHUTDOWN)]


library = ctypes.CDLL(sys.argv[1], mode=os.RTLD_NOW | os.RTLD_LOCAL)
library.crm_plugin_entry.restype = ctypes.POINTER(Descriptor)
descriptor = library.crm_plugin_entry().contents
problems = []
if descriptor.magic != 0x504D5243:
    problems.append(f"wrong magic 0x{descriptor.magic:08X}")
elif descriptor.abi_major != 1 or descriptor.abi_minor > 0 or descriptor.struct_size < ctypes.sizeof(Descriptor):
    problems.append(f"ABI {descriptor.abi_major}.{descriptor.abi_minor} size {descriptor.struct_size}: "
                    "this checker speaks ABI 1.0 (88 bytes)")
elif not re.fullmatch(rb"[a-z0-9][a-z0-9-]{0,62}", descriptor.name or b""):
    problems.append(f"invalid name {descriptor.name!r}")
elif descriptor.kind not in (1, 2) or descriptor.flags & ~1:
    problems.append(f"unknown kind {descriptor.kind} or flags {descriptor.flags:#x}")
if problems:
    sys.exit("refused: " + "; ".join(problems))
print(f"{descriptor.name.decode()} {descriptor.version.decode()} kind={descriptor.kind} "
      f"abi={descriptor.abi_major}.{descriptor.abi_minor} license={descriptor.license.decode()}")

log = LOG(lambda host, level, message: print(f"  log[{level}] {message.decode()}"))
host = HostApi(ctypes.sizeof(HostApi), 1, 0, None, log, PROGRESS(lambda *_: None), CANCELLED(lambda _: 0))
state = ctypes.c_void_p()
error = Error()
assert descriptor.init(ctypes.byref(host), b"", 0, ctypes.byref(state), ctypes.byref(error)) == 0


def call(method, request, response_type):
    response, error = Buffer(), Error()
    payload = request.SerializeToString()
    status = descriptor.call(state, method.encode(), payload, len(payload), None, ctypes.byref(response),
                             ctypes.byref(error))
    if status != 0:
        message = ctypes.string_at(error.message.data, error.message.len).decode()
        descriptor.free_buffer(error.message.data, error.message.len)
        raise RuntimeError(f"{method}: status {status}: {message}")
    decoded = response_type.FromString(ctypes.string_at(response.data, response.len) if response.data else b"")
    if response.data:
        descriptor.free_buffer(response.data, response.len)
    return decoded


description = call("describe", plugin_pb2.DescribeRequest(), plugin_pb2.DescribeResponse)
print("  methods:", ", ".join(description.methods), "| algorithms:", ", ".join(a.name for a in description.algorithms))
if descriptor.kind != 1:
    descriptor.shutdown(state)
    print("ok")
    sys.exit(0)
algorithm = description.algorithms[0].name
data = analysis_pb2.Dataset(feature_names=["x"], n_rows=4, n_features=1, values=[0, 1, 2, 3], labels=[1, 1, 1, 0],
                            class_names=["a", "b"])
model = call("train", analysis_pb2.TrainRequest(algorithm=algorithm, dataset=data), analysis_pb2.TrainResponse).model
predicted = call("predict", analysis_pb2.PredictRequest(model=model, dataset=data), analysis_pb2.PredictResponse)
print("  predicted:", list(predicted.predicted_classes),
      "probabilities of row 0:", [round(p, 2) for p in predicted.probabilities[:predicted.n_classes]])
descriptor.shutdown(state)
print("ok")
