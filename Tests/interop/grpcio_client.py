#!/usr/bin/env python3
"""Interoperability check: a Python grpcio client talks to crmd over its Unix socket.

Generates Python stubs from ../../proto into a temporary folder at run time
(python -m grpc_tools.protoc), checks health, creates a customer, reads it back
and prints JSON of what it read. Exit code 0 on success.

    python3 Tests/interop/grpcio_client.py --socket /path/to/crmd.sock \
        --display-name "Py Thon" --email py@example.com

Needs `pip install grpcio grpcio-tools`.
"""

import argparse
import importlib
import json
import os
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROTO = os.path.join(REPO, "proto")


def generate_stubs(out):
    """Runs grpc_tools.protoc over proto/ into `out` and makes it importable."""
    import grpc_tools  # noqa: F401 (fails early with a clear ImportError)
    from importlib import resources

    well_known = str(resources.files("grpc_tools") / "_proto")
    crm = sorted(
        os.path.join("crm", "v1", name)
        for name in os.listdir(os.path.join(PROTO, "crm", "v1"))
        if name.endswith(".proto")
    )
    common = [sys.executable, "-m", "grpc_tools.protoc", f"-I{well_known}"]
    subprocess.run(
        common + [f"-I{PROTO}", f"--python_out={out}", f"--grpc_python_out={out}"] + crm,
        check=True,
    )
    # grpc/health/v1/health.proto is generated at the top level: a `grpc`
    # package folder in `out` would shadow grpcio's own `grpc` package.
    health_dir = os.path.join(PROTO, "grpc", "health", "v1")
    subprocess.run(
        common + [f"-I{health_dir}", f"--python_out={out}", f"--grpc_python_out={out}", "health.proto"],
        check=True,
    )
    for package in ("crm", os.path.join("crm", "v1")):
        open(os.path.join(out, package, "__init__.py"), "a").close()
    sys.path.insert(0, out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", required=True, help="path of crmd's Unix socket")
    parser.add_argument("--display-name", default="Interop Python")
    parser.add_argument("--email", default="interop.python@example.com")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="crmd-interop-") as out:
        generate_stubs(out)
        import grpc
        from google.protobuf import json_format

        customer_pb2 = importlib.import_module("crm.v1.customer_pb2")
        customer_grpc = importlib.import_module("crm.v1.customer_pb2_grpc")
        health_pb2 = importlib.import_module("health_pb2")
        health_grpc = importlib.import_module("health_pb2_grpc")

        with grpc.insecure_channel(f"unix://{os.path.abspath(args.socket)}") as channel:
            health = health_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=""), timeout=10)
            stub = customer_grpc.CustomerServiceStub(channel)
            created = stub.CreateCustomer(
                customer_pb2.CreateCustomerRequest(
                    customer=customer_pb2.Customer(
                        display_name=args.display_name,
                        email=args.email,
                        tags=["interop"],
                        attributes={"client": "grpcio"},
                        lifecycle_stage=customer_pb2.LIFECYCLE_STAGE_PROSPECT,
                    )
                ),
                timeout=10,
            )
            read = stub.GetCustomer(customer_pb2.GetCustomerRequest(name=created.name), timeout=10)
            try:
                stub.GetCustomer(customer_pb2.GetCustomerRequest(name="customers/999999999"), timeout=10)
                not_found = "OK"
            except grpc.RpcError as error:
                not_found = error.code().name

        print(
            json.dumps(
                {
                    "health": health_pb2.HealthCheckResponse.ServingStatus.Name(health.status),
                    "grpcio_version": grpc.__version__,
                    "created_name": created.name,
                    "read": json_format.MessageToDict(read, preserving_proto_field_name=True),
                    "unknown_customer": not_found,
                },
                sort_keys=True,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
