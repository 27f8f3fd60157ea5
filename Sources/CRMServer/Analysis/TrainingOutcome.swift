import CRMProto
import Synchronization

/// What a training job hands back to the Train call that started it: the job's progress handle
/// (and so its name), the model it stored, or the error it ended with (kept with its status code and field
/// violations, which the job's own `error` text flattens).
final class TrainingOutcome: Sendable {
    private struct State {
        var progress: JobRunner.Progress?
        var model: Crm_V1_Model?
        var error: (any Error)?
    }

    private let state = Mutex(State())

    var progress: JobRunner.Progress? {
        get { state.withLock { $0.progress } }
        set { state.withLock { $0.progress = newValue } }
    }

    var model: Crm_V1_Model? {
        get { state.withLock { $0.model } }
        set { state.withLock { $0.model = newValue } }
    }

    var error: (any Error)? {
        get { state.withLock { $0.error } }
        set { state.withLock { $0.error = newValue } }
    }
}

extension Crm_V1_TrainProgress.Stage {
    /// The stage as a job's `stage` text.
    var jobStage: String {
        switch self {
        case .collecting: "collecting"
        case .preprocessing: "preprocessing"
        case .crossValidating: "cross-validating"
        case .training: "training"
        case .evaluating: "evaluating"
        case .done: "done"
        default: ""
        }
    }
}
