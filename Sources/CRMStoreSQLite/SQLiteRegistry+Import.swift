import CRMCore
import Foundation
import GRDB

extension SQLiteRegistry {
    enum ImportAction {
        case created, updated, unchanged
    }

    /// Applies one import batch in one transaction. Every row is tried so that
    /// the answer names every failure, but if any row failed — or the caller
    /// only validates — the transaction is rolled back and nothing of the
    /// batch is written, its change-log entries included. With
    /// `options.skipInvalid`, each row runs in a savepoint instead, and the
    /// rows that did not fail are committed.
    func importBatch<Value: Sendable>(
        _ rows: [ImportRow<Value>],
        options: ImportOptions,
        apply: @escaping @Sendable (SQLiteTransaction, Value) throws -> ImportAction
    ) async throws -> ImportOutcome {
        let actor = Self.currentActor()
        let keys = storageKeys
        do {
            let outcome = try await pool.writeWithoutTransaction { db in
                var outcome = ImportOutcome()
                try db.inTransaction(.immediate) {
                    // Each row that writes appends its own change-log entry.
                    let transaction = SQLiteTransaction(db: db, now: Self.now(), actor: actor, storageKeys: keys)
                    var applied = 0
                    for row in rows {
                        let value: Value
                        switch row.value {
                        case .failure(let error):
                            outcome.record(error, row: row)
                            continue
                        case .success(let valid):
                            value = valid
                        }
                        let mark = transaction.changes.mark()
                        do {
                            let action: ImportAction
                            if options.skipInvalid {
                                // A row that fails halfway leaves nothing behind; the others stay.
                                var done: ImportAction = .unchanged
                                try db.inSavepoint {
                                    done = try apply(transaction, value)
                                    return .commit
                                }
                                action = done
                            } else {
                                action = try apply(transaction, value)
                            }
                            switch action {
                            case .created: outcome.created += 1
                            case .updated: outcome.updated += 1
                            case .unchanged: outcome.unchanged += 1
                            }
                            applied += 1
                        } catch let error as CRMError where error.code != .internalError {
                            if options.skipInvalid { transaction.changes.restore(mark) }
                            outcome.record(error, row: row)
                        }
                    }
                    if outcome.failed > 0 && !options.skipInvalid || options.validateOnly {
                        if outcome.failed > 0 && !options.skipInvalid {
                            outcome.rejected = Int64(applied)
                            outcome.created = 0
                            outcome.updated = 0
                            outcome.unchanged = 0
                        }
                        return .rollback
                    }
                    outcome.batchesCommitted = 1
                    return .commit
                }
                return outcome
            }
            diskFull.store(false, ordering: .relaxed)
            return outcome
        } catch let error as CRMError {
            throw error
        } catch {
            throw storageError(error)
        }
    }
}

extension ImportOutcome {
    mutating func record<Value>(_ error: CRMError, row: ImportRow<Value>) {
        failed += 1
        let violation = error.violations.first
        failures.append(
            Failure(
                index: row.index,
                externalID: row.externalID,
                field: violation?.field ?? "",
                reason: violation.map(\.description) ?? error.message
            )
        )
    }
}
