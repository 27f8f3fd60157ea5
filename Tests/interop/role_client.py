#!/usr/bin/env python3
"""A Python grpcio client, run under another uid, asks crmd who it is, reads and tries to write.

Needs only Debian's python3-grpcio: the few messages are encoded by hand (protobuf wire format), so
neither stubs nor the protobuf package are needed, and the script runs as any user. Prints one JSON
line: the uid and role crmd reports, and the status of a read (ListCustomers) and of a write
(CreateCustomer), with the write's message.

    python3 Tests/interop/role_client.py --socket /path/to/crmd.sock
"""

import argparse
import json

import grpc


def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def length_delimited(field, payload):
    return varint(field << 3 | 2) + varint(len(payload)) + payload


def read_varint(message, position):
    """The varint at `position`, and the position after it."""
    value, shift = 0, 0
    while True:
        byte = message[position]
        position += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, position


def fields(message):
    """The (number, value) pairs of a message: ints for varints, bytes for length-delimited."""
    position, found = 0, []
    while position < len(message):
        key, position = read_varint(message, position)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, position = read_varint(message, position)
        elif wire == 2:
            length, position = read_varint(message, position)
            value = message[position:position + length]
            position += length
        else:
            raise ValueError(f"wire type {wire}")
        found.append((number, value))
    return found


def call(channel, method, request):
    """The status name, message and answer bytes of one unary call."""
    stub = channel.unary_unary(method, request_serializer=None, response_deserializer=None)
    try:
        return "OK", "", stub(request, timeout=30)
    except grpc.RpcError as error:
        return error.code().name, error.details() or "", b""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--socket", required=True)
    parser.add_argument("--display-name", default="Written from Python")
    arguments = parser.parse_args()
    with grpc.insecure_channel(f"unix:{arguments.socket}") as channel:
        code, message, answer = call(channel, "/crm.v1.AdminService/WhoAmI", b"")
        me = dict(fields(answer)) if code == "OK" else {}
        list_code, _, _ = call(channel, "/crm.v1.CustomerService/ListCustomers", b"")
        customer = length_delimited(2, arguments.display_name.encode())
        create_code, create_message, _ = call(
            channel, "/crm.v1.CustomerService/CreateCustomer", length_delimited(1, customer)
        )
    print(json.dumps({
        "whoami": code,
        "uid": me.get(1, 0),
        "role": me.get(6, b"").decode(),
        "list": list_code,
        "create": create_code,
        "create_message": create_message,
    }))


if __name__ == "__main__":
    main()
