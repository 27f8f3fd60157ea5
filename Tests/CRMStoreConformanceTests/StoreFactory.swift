import CRMCore
import CRMStoreSQLite
import Foundation
import Logging
import Testing

/// Makes empty stores for the conformance suite. Every test of the suite runs once per factory in
/// ``all``; a new store implementation adds its factory there and must pass the whole suite.
struct StoreFactory: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable () async throws -> TemporaryStore

    var testDescription: String { name }

    static let all: [StoreFactory] = [.sqlite]

    /// SQLite in a fresh temporary folder.
    static let sqlite = StoreFactory(name: "sqlite") {
        let directory = NSTemporaryDirectory() + "crm-store-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try SQLiteRegistry(path: directory + "/crmd.sqlite3", logger: Logger(label: "test"))
        return TemporaryStore(store: store) { try? FileManager.default.removeItem(atPath: directory) }
    }
}

/// An empty store that a test owns; removed when the test lets go of it.
final class TemporaryStore: Sendable {
    let store: any RegistryStore
    private let remove: @Sendable () -> Void

    init(store: any RegistryStore, remove: @escaping @Sendable () -> Void) {
        self.store = store
        self.remove = remove
    }

    deinit {
        remove()
    }

    func customer(_ name: String, email: String = "", externalID: String = "", tags: [String] = []) -> Customer {
        Customer(displayName: name, email: email, tags: tags, externalID: externalID)
    }
}
