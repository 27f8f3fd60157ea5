import CRMCore
import CRMProto
import Foundation

extension Crm_V1_Change {
    init(_ entry: ChangeEntry) {
        self.init()
        revision = entry.revision
        time = .init(microsecondDate: entry.time)
        caller = .with {
            $0.uid = entry.actor.uid
            $0.gid = entry.actor.gid
            $0.pid = entry.actor.pid
            $0.executable = entry.actor.executable
        }
        method = entry.actor.method
        resource = entry.resource
        kind = Crm_V1_ChangeKind(entry.kind)
        fields = entry.fields.map { change in
            .with {
                $0.field = change.name
                if let before = change.before { $0.beforeJson = before }
                if let after = change.after { $0.afterJson = after }
                $0.personal = change.personal
            }
        }
        personalErased = entry.personalErased
        hash = entry.hash
        if entry.customerID != 0 { customer = ResourceName.customer(entry.customerID) }
    }
}

extension Crm_V1_ChangeKind {
    init(_ kind: ChangeKind) {
        self =
            switch kind {
            case .create: .create
            case .update: .update
            case .delete: .delete
            case .undelete: .undelete
            case .erase: .erase
            case .baseline: .baseline
            case .train: .train
            case .score: .score
            case .event: .event
            case .merge: .merge
            }
    }
}
