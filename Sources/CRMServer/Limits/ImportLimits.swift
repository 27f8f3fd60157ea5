/// The rows atomic imports may hold in memory until their commit: per stream, and for all
/// streams together, so that many unfinished atomic imports cannot exhaust memory.
public struct ImportLimits: Sendable {
    /// `limits.atomic_import_rows`.
    let rowsPerImport: Int
    /// All atomic imports together, one key.
    let held: Admission<Int>

    public init(_ limits: ServerLimits = ServerLimits()) {
        rowsPerImport = limits.atomicImportRows
        held = Admission(limit: limits.atomicImportRowsTotal, setting: "limits.atomic_import_rows_total")
    }
}
