import CRMProto
import Foundation
import GRPCCore
import GRPCProtobuf
import SwiftProtobuf
import Testing

/// The field violations of an error's `google.rpc.BadRequest` details.
func fieldViolations(of error: RPCError) -> [String] {
    guard let status = try? error.unpackGoogleRPCStatus() else { return [] }
    return status.details.compactMap(\.badRequest).flatMap { $0.violations.map(\.field) }
}

/// Whether a violation's `field` names `expected` (a path relative to the
/// request, e.g. `customer.email`). The request message's own prefix may be
/// left out, and a repeated field may be named with or without an index.
func violation(_ field: String, names expected: String) -> Bool {
    field == expected || expected.hasSuffix("." + field) || field.hasPrefix(expected + "[")
        || field.hasPrefix(expected + ".")
}

/// Runs `call`, which must fail with `code`; when `field` is given, the error
/// must carry a `google.rpc.BadRequest` with a violation naming it.
@discardableResult
func expectRPCError<T>(
    _ code: RPCError.Code,
    field: String? = nil,
    _ what: String = "",
    sourceLocation: SourceLocation = #_sourceLocation,
    _ call: () async throws -> T
) async -> RPCError? {
    do {
        let answer = try await call()
        Issue.record("\(what): expected \(code), but the call succeeded with \(answer)", sourceLocation: sourceLocation)
        return nil
    } catch let error as RPCError {
        #expect(error.code == code, "\(what): expected \(code), got \(error)", sourceLocation: sourceLocation)
        if let field {
            let status: GoogleRPCStatus?
            do {
                status = try error.unpackGoogleRPCStatus()
            } catch {
                Issue.record(
                    "\(what): grpc-status-details-bin does not decode: \(error)",
                    sourceLocation: sourceLocation
                )
                return nil
            }
            guard let status else {
                Issue.record(
                    "\(what): \(code) without google.rpc.Status details (no grpc-status-details-bin); error: \(error)",
                    sourceLocation: sourceLocation
                )
                return error
            }
            #expect(
                status.code == error.code,
                "\(what): google.rpc.Status code \(status.code) differs from the RPC status",
                sourceLocation: sourceLocation
            )
            let fields = status.details.compactMap(\.badRequest).flatMap { $0.violations.map(\.field) }
            #expect(
                fields.contains { violation($0, names: field) },
                "\(what): expected a BadRequest field violation naming \(field), got \(fields) (\(error.message))",
                sourceLocation: sourceLocation
            )
        }
        return error
    } catch {
        Issue.record(
            "\(what): expected RPCError \(code), got \(type(of: error)): \(error)",
            sourceLocation: sourceLocation
        )
        return nil
    }
}

/// Like ``expectRPCError(_:field:_:sourceLocation:_:)`` but accepts any of `codes`.
@discardableResult
func expectRPCError<T>(
    oneOf codes: Set<RPCError.Code>,
    _ what: String = "",
    sourceLocation: SourceLocation = #_sourceLocation,
    _ call: () async throws -> T
) async -> RPCError? {
    do {
        let answer = try await call()
        Issue.record(
            "\(what): expected one of \(codes), but the call succeeded with \(answer)",
            sourceLocation: sourceLocation
        )
        return nil
    } catch let error as RPCError {
        #expect(
            codes.contains(error.code),
            "\(what): expected one of \(codes), got \(error)",
            sourceLocation: sourceLocation
        )
        return error
    } catch {
        Issue.record("\(what): expected an RPCError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
