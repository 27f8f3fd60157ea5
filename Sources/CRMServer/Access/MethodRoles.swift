/// What a caller may do, from least to most.
public enum Role: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    /// No role: only the methods open to anyone (health checks).
    case none = 0
    /// Get, List, Search, Export, analysis reads, job reads.
    case reader = 1
    /// Reader, plus every create, update, delete, import, train, predict and job cancel.
    case writer = 2
    /// Writer, plus plugin reloads, reading and verifying the change log, privacy requests (export of a
    /// person's data, erasure) and, as they come, backups and configuration.
    case admin = 3

    public static func < (a: Role, b: Role) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .none: "none"
        case .reader: "reader"
        case .writer: "writer"
        case .admin: "admin"
        }
    }
}

/// The role every RPC method needs, in one table (`package.Service/Method`). A method missing here is
/// refused to everyone but admins, and `MethodRolesTests` fails while one is missing.
public enum MethodRoles {
    public static let table: [String: Role] = [
        "crm.v1.CustomerService/CreateCustomer": .writer,
        "crm.v1.CustomerService/GetCustomer": .reader,
        "crm.v1.CustomerService/ListCustomers": .reader,
        "crm.v1.CustomerService/UpdateCustomer": .writer,
        "crm.v1.CustomerService/DeleteCustomer": .writer,
        "crm.v1.CustomerService/UndeleteCustomer": .writer,
        "crm.v1.CustomerService/SearchCustomers": .reader,
        "crm.v1.CustomerService/BatchCreateCustomers": .writer,
        "crm.v1.CustomerService/ImportCustomers": .writer,
        "crm.v1.CustomerService/ExportCustomers": .reader,
        "crm.v1.CustomerService/GetCustomerSummary": .reader,
        "crm.v1.CustomerService/LookupCustomer": .reader,

        "crm.v1.OrderService/CreateOrder": .writer,
        "crm.v1.OrderService/GetOrder": .reader,
        "crm.v1.OrderService/ListOrders": .reader,
        "crm.v1.OrderService/UpdateOrder": .writer,
        "crm.v1.OrderService/ImportOrders": .writer,
        "crm.v1.OrderService/CreatePayment": .writer,
        "crm.v1.OrderService/GetPayment": .reader,
        "crm.v1.OrderService/ListPayments": .reader,
        "crm.v1.OrderService/ImportPayments": .writer,
        "crm.v1.OrderService/UpdatePayment": .writer,
        "crm.v1.OrderService/DeletePayment": .writer,

        "crm.v1.InteractionService/CreateInteraction": .writer,
        "crm.v1.InteractionService/GetInteraction": .reader,
        "crm.v1.InteractionService/ListInteractions": .reader,
        "crm.v1.InteractionService/ImportInteractions": .writer,
        "crm.v1.InteractionService/UpdateInteraction": .writer,
        "crm.v1.InteractionService/DeleteInteraction": .writer,

        "crm.v1.AdminService/GetVersion": .reader,
        "crm.v1.AdminService/GetStats": .reader,
        "crm.v1.AdminService/GetQualityReport": .reader,
        // Anyone may ask who crmd takes them for, and why a call was refused.
        "crm.v1.AdminService/WhoAmI": .none,
        "crm.v1.AdminService/RotateStorageKey": .admin,

        "crm.v1.PluginService/ListPlugins": .reader,
        "crm.v1.PluginService/GetPlugin": .reader,
        "crm.v1.PluginService/DescribePlugin": .reader,
        "crm.v1.PluginService/ReloadPlugins": .admin,

        "crm.v1.AnalysisService/ListAlgorithms": .reader,
        "crm.v1.AnalysisService/Train": .writer,
        "crm.v1.AnalysisService/ListModels": .reader,
        "crm.v1.AnalysisService/GetModel": .reader,
        // Stores the scores it computes.
        "crm.v1.AnalysisService/Predict": .writer,
        "crm.v1.AnalysisService/GetNeedsReport": .reader,
        "crm.v1.AnalysisService/ExportDataset": .reader,

        // The whole change log names every caller: an auditor's reading.
        "crm.v1.AuditService/ListChanges": .admin,
        "crm.v1.AuditService/VerifyChanges": .admin,
        // Who changed one record, and when: part of reading the record.
        "crm.v1.AuditService/ListHistory": .reader,
        "crm.v1.PrivacyService/ExportCustomerData": .admin,
        "crm.v1.PrivacyService/EraseCustomer": .admin,
        "crm.v1.DuplicateService/FindDuplicates": .writer,
        "crm.v1.DuplicateService/ListDuplicateGroups": .reader,
        "crm.v1.DuplicateService/MergeCustomers": .writer,
        "crm.v1.BackupService/CreateBackup": .admin,
        "crm.v1.BackupService/ListBackups": .admin,
        "crm.v1.BackupService/VerifyBackup": .admin,

        "crm.v1.JobService/GetJob": .reader,
        "crm.v1.JobService/ListJobs": .reader,
        "crm.v1.JobService/WaitJob": .reader,
        "crm.v1.JobService/CancelJob": .writer,

        // Monitoring asks whether crmd serves, whoever it runs as.
        "grpc.health.v1.Health/Check": .none,
        "grpc.health.v1.Health/Watch": .none,
        "grpc.reflection.v1.ServerReflection/ServerReflectionInfo": .reader,
        "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo": .reader,
    ]

    /// The role `method` (`package.Service/Method`) needs; admin for a method the table lacks.
    public static func role(for method: String) -> Role {
        table[method] ?? .admin
    }
}
