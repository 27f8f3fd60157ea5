public import CRMCore
import Foundation
import GRDB

extension SQLiteRegistry {
    public func replaceDuplicateGroups(_ groups: [StoredDuplicateGroup], run: DuplicateRun) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM duplicate_groups")
            let insert = try db.cachedStatement(
                sql: "INSERT INTO duplicate_groups (score, signals, members) VALUES (?, ?, ?)"
            )
            for group in groups {
                try insert.execute(arguments: [
                    group.score, JSONText.array(group.signals), JSONText.array(group.members.map(String.init)),
                ])
            }
            try db.execute(
                sql: "INSERT OR REPLACE INTO duplicate_runs (id, find_time, threshold, compared) VALUES (1, ?, ?, ?)",
                arguments: [run.findTime.microsecondsSince1970, run.threshold, run.compared]
            )
        }
    }

    public func duplicateGroups(
        minScore: Double,
        offset: Int,
        limit: Int
    ) async throws
        -> (run: DuplicateRun?, groups: [StoredDuplicateGroup], total: Int64)
    {
        try await read { db in
            let run = try Row.fetchOne(db, sql: "SELECT find_time, threshold, compared FROM duplicate_runs").map {
                DuplicateRun(findTime: Date(microsecondsSince1970: $0[0]), threshold: $0[1], compared: $0[2])
            }
            let total =
                try Int64.fetchOne(
                    db,
                    sql: "SELECT count(*) FROM duplicate_groups WHERE score >= ?",
                    arguments: [minScore]
                ) ?? 0
            let groups = try Row.fetchAll(
                db,
                sql: """
                    SELECT score, signals, members FROM duplicate_groups WHERE score >= ?
                    ORDER BY score DESC, id LIMIT ? OFFSET ?
                    """,
                arguments: [minScore, limit, offset]
            ).map { row in
                StoredDuplicateGroup(
                    members: try JSONText.parseArray(row[2]).compactMap { Int64($0) },
                    score: row[0],
                    signals: try JSONText.parseArray(row[1])
                )
            }
            return (run, groups, total)
        }
    }
}
