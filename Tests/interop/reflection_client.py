#!/usr/bin/env python3
"""A gRPC client that knows nothing of crmd but its socket: it learns the services and messages
through server reflection (grpc.reflection.v1alpha via grpcio-reflection, and v1 by hand), then
creates a customer and reads its summary with message classes built from what it learned.
Prints one JSON object on its last line."""
import argparse
import json

import grpc
from google.protobuf import descriptor_pool, json_format, message_factory
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)


def unary(channel, pool, service, method_name):
    method = pool.FindServiceByName(service).FindMethodByName(method_name)
    request_class = message_factory.GetMessageClass(method.input_type)
    response_class = message_factory.GetMessageClass(method.output_type)
    call = channel.unary_unary(
        f"/{service}/{method_name}",
        request_serializer=request_class.SerializeToString,
        response_deserializer=response_class.FromString,
    )
    return request_class, call


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--socket", required=True)
    args = parser.parse_args()
    channel = grpc.insecure_channel("unix:" + args.socket)
    database = ProtoReflectionDescriptorDatabase(channel)
    pool = descriptor_pool.DescriptorPool(database)
    out = {"services_v1alpha": sorted(database.get_services())}

    customer_fields = [field.name for field in pool.FindMessageTypeByName("crm.v1.Customer").fields]
    out["customer_fields"] = customer_fields
    try:
        pool.FindMessageTypeByName("crm.v1.NoSuchMessage")
        out["unknown_symbol"] = "found"
    except KeyError:
        out["unknown_symbol"] = "KeyError"

    request_class, create = unary(channel, pool, "crm.v1.CustomerService", "CreateCustomer")
    request = json_format.ParseDict(
        {"customer": {"display_name": "Reflected Rita", "email": "rita@example.org", "tags": ["reflection"]}},
        request_class(),
    )
    created = create(request, timeout=10)
    out["created"] = json_format.MessageToDict(created, preserving_proto_field_name=True)

    request_class, summary = unary(channel, pool, "crm.v1.CustomerService", "GetCustomerSummary")
    answer = summary(json_format.ParseDict({"name": created.name}, request_class()), timeout=10)
    out["summary"] = json_format.MessageToDict(answer, preserving_proto_field_name=True)

    # grpc.reflection.v1, with its message classes also learned through reflection.
    info = pool.FindServiceByName("grpc.reflection.v1.ServerReflection").FindMethodByName("ServerReflectionInfo")
    v1_request = message_factory.GetMessageClass(info.input_type)
    v1_response = message_factory.GetMessageClass(info.output_type)
    stream = channel.stream_stream(
        "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
        request_serializer=v1_request.SerializeToString,
        response_deserializer=v1_response.FromString,
    )
    answers = list(
        stream(
            iter([v1_request(list_services=""), v1_request(file_containing_symbol="crm.v1.NoSuchMessage")]),
            timeout=10,
        )
    )
    out["services_v1"] = sorted(service.name for service in answers[0].list_services_response.service)
    out["v1_unknown_error_code"] = answers[1].error_response.error_code
    print(json.dumps(out))


if __name__ == "__main__":
    main()
