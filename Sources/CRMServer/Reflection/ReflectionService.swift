public import CRMProto
public import GRPCCore
import GRPCNIOTransportHTTP2
import SwiftProtobuf

/// gRPC server reflection, `grpc.reflection.v1.ServerReflection`: lets grpcurl, Postman or a dynamic client
/// list the services and fetch the descriptors of their messages without the .proto files. Answers from
/// the descriptors generated with the code; only the services crmd serves are listed.
public struct ReflectionService: Grpc_Reflection_V1_ServerReflection.SimpleServiceProtocol {
    let index: DescriptorIndex
    /// The fully qualified names of the services served, as listed.
    let served: [String]

    /// - Parameter services: the services crmd serves besides reflection (health included).
    public init(serving services: [any RegistrableRPCService]) {
        index = DescriptorIndex.served
        var names = Set<String>()
        for service in services {
            var router = RPCRouter<HTTP2ServerTransport.Posix>()
            service.registerMethods(with: &router)
            names.formUnion(router.methods.map(\.service.fullyQualifiedService))
        }
        names.insert(Grpc_Reflection_V1_ServerReflection.descriptor.fullyQualifiedService)
        names.insert(Grpc_Reflection_V1alpha_ServerReflection.descriptor.fullyQualifiedService)
        served = index.services.filter(names.contains)
    }

    public func serverReflectionInfo(
        request: RPCAsyncSequence<Grpc_Reflection_V1_ServerReflectionRequest, any Error>,
        response: RPCWriter<Grpc_Reflection_V1_ServerReflectionResponse>,
        context: ServerContext
    ) async throws {
        for try await message in request {
            try await response.write(answer(message))
        }
    }

    /// The answer to one request; what is not found is an `error_response` on the stream (the stream
    /// goes on), as the reflection protocol has it.
    func answer(_ request: Grpc_Reflection_V1_ServerReflectionRequest) -> Grpc_Reflection_V1_ServerReflectionResponse {
        var answer = Grpc_Reflection_V1_ServerReflectionResponse()
        answer.validHost = request.host
        answer.originalRequest = request
        func files(_ name: String?, missing: String) {
            if let name, let files = index.fileWithDependencies(name) {
                answer.fileDescriptorResponse.fileDescriptorProto = files
            } else {
                answer.errorResponse = .with {
                    $0.errorCode = Int32(RPCError.Code.notFound.rawValue)
                    $0.errorMessage = missing
                }
            }
        }
        switch request.messageRequest {
        case .fileByFilename(let name):
            files(name, missing: "no file \"\(name)\"")
        case .fileContainingSymbol(let symbol):
            files(index.fileOfSymbol[symbol], missing: "no symbol \"\(symbol)\"")
        case .fileContainingExtension(let extensionRequest):
            answer.errorResponse = .with {
                $0.errorCode = Int32(RPCError.Code.notFound.rawValue)
                $0.errorMessage =
                    "no extension \(extensionRequest.extensionNumber) of \"\(extensionRequest.containingType)\""
            }
        case .allExtensionNumbersOfType(let type):
            if index.fileOfSymbol[type] != nil {
                answer.allExtensionNumbersResponse = .with { $0.baseTypeName = type }
            } else {
                answer.errorResponse = .with {
                    $0.errorCode = Int32(RPCError.Code.notFound.rawValue)
                    $0.errorMessage = "no type \"\(type)\""
                }
            }
        case .listServices:
            answer.listServicesResponse = .with { list in
                list.service = served.map { name in .with { $0.name = name } }
            }
        case nil:
            answer.errorResponse = .with {
                $0.errorCode = Int32(RPCError.Code.invalidArgument.rawValue)
                $0.errorMessage = "the request asks for nothing"
            }
        }
        return answer
    }
}

/// The same service under its older name, `grpc.reflection.v1alpha.ServerReflection`, which many tools
/// (grpcurl before 1.9, Python's grpcio-reflection client) still call. Its messages are the v1 messages
/// field for field, so each is answered by ``ReflectionService`` through its encoding.
public struct ReflectionServiceV1Alpha: Grpc_Reflection_V1alpha_ServerReflection.SimpleServiceProtocol {
    let reflection: ReflectionService

    public init(_ reflection: ReflectionService) {
        self.reflection = reflection
    }

    public func serverReflectionInfo(
        request: RPCAsyncSequence<Grpc_Reflection_V1alpha_ServerReflectionRequest, any Error>,
        response: RPCWriter<Grpc_Reflection_V1alpha_ServerReflectionResponse>,
        context: ServerContext
    ) async throws {
        for try await message in request {
            let v1 = try Grpc_Reflection_V1_ServerReflectionRequest(
                serializedBytes: try message.serializedBytes() as [UInt8]
            )
            let answer = reflection.answer(v1)
            try await response.write(
                Grpc_Reflection_V1alpha_ServerReflectionResponse(
                    serializedBytes: try answer.serializedBytes() as [UInt8]
                )
            )
        }
    }
}
