"""Python stubs generated from proto/ at run time, and the methods they describe."""

import importlib
import os
import subprocess
import sys
from dataclasses import dataclass

from google.protobuf import message_factory


@dataclass
class Method:
    service: str  # e.g. crm.v1.CustomerService
    name: str  # e.g. GetCustomer
    path: str  # e.g. /crm.v1.CustomerService/GetCustomer
    input: object  # message descriptor
    output: object  # message descriptor
    client_streaming: bool
    server_streaming: bool

    @property
    def kind(self):
        return {
            (False, False): "unary",
            (False, True): "server-streaming",
            (True, False): "client-streaming",
            (True, True): "bidi",
        }[(self.client_streaming, self.server_streaming)]

    @property
    def input_class(self):
        return message_class(self.input)

    @property
    def output_class(self):
        return message_class(self.output)


def message_class(descriptor):
    return message_factory.GetMessageClass(descriptor)


def generate(proto_root, out):
    """Runs grpc_tools.protoc over proto/crm/v1 and grpc/health/v1 into `out`; makes it importable.

    Returns the names of the generated *_pb2 modules.
    """
    import grpc_tools  # noqa: F401 (fails early with a clear ImportError)
    from importlib import resources

    well_known = str(resources.files("grpc_tools") / "_proto")
    crm_dir = os.path.join(proto_root, "crm", "v1")
    crm = sorted(os.path.join("crm", "v1", n) for n in os.listdir(crm_dir) if n.endswith(".proto"))
    common = [sys.executable, "-m", "grpc_tools.protoc", f"-I{well_known}"]
    subprocess.run(common + [f"-I{proto_root}", f"--python_out={out}"] + crm, check=True)
    # grpc/health/v1/health.proto is generated at the top level: a `grpc`
    # package folder in `out` would shadow grpcio's own `grpc` package.
    health_dir = os.path.join(proto_root, "grpc", "health", "v1")
    subprocess.run(common + [f"-I{health_dir}", f"--python_out={out}", "health.proto"], check=True)
    for package in ("crm", os.path.join("crm", "v1")):
        open(os.path.join(out, package, "__init__.py"), "a").close()
    sys.path.insert(0, out)
    modules = ["crm.v1." + os.path.basename(p)[: -len(".proto")] + "_pb2" for p in crm]
    modules.append("health_pb2")
    return modules


def load_methods(module_names):
    """Every method of every service in the generated modules' file descriptors."""
    methods = []
    seen = set()
    for name in module_names:
        module = importlib.import_module(name)
        for service in module.DESCRIPTOR.services_by_name.values():
            for m in service.methods:
                path = f"/{service.full_name}/{m.name}"
                if path in seen:
                    continue
                seen.add(path)
                methods.append(
                    Method(
                        service=service.full_name,
                        name=m.name,
                        path=path,
                        input=m.input_type,
                        output=m.output_type,
                        client_streaming=bool(getattr(m, "client_streaming", False)),
                        server_streaming=bool(getattr(m, "server_streaming", False)),
                    )
                )
    methods.sort(key=lambda m: m.path)
    return methods


def find_message(module_names, full_name):
    for name in module_names:
        module = importlib.import_module(name)
        pool = module.DESCRIPTOR.pool
        try:
            return message_class(pool.FindMessageTypeByName(full_name))
        except KeyError:
            continue
    raise KeyError(full_name)
