import CRMProto

/// Shows a training job's progress on standard error: a bar redrawn in place on a terminal, one
/// line per stage otherwise (so logs stay readable). Standard output is left to the result.
struct TrainProgressBar {
    let interactive: Bool
    let width = 30
    private var lastStage: Crm_V1_TrainProgress.Stage?
    private var drawn = false

    init(interactive: Bool = Terminal.stderrIsTerminal) {
        self.interactive = interactive
    }

    mutating func show(_ progress: Crm_V1_TrainProgress) {
        let name = Self.stageName(progress.stage)
        if interactive {
            let filled = Int((min(max(progress.fraction, 0), 1) * Double(width)).rounded(.down))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            let percent = Int((progress.fraction * 100).rounded(.down))
            let message = progress.message.isEmpty ? name : "\(name): \(progress.message)"
            // \u{1B}[K clears what a longer previous line left.
            Terminal.writeError("\r[\(bar)] \(String(percent).leftPadded(to: 3))% \(message.prefix(60))\u{1B}[K")
            drawn = true
        } else if progress.stage != lastStage {
            Terminal.warn("\(progress.job): \(name)\(progress.message.isEmpty ? "" : ": " + progress.message)")
        }
        lastStage = progress.stage
    }

    /// Ends the bar's line.
    mutating func finish() {
        if drawn {
            Terminal.writeError("\n")
            drawn = false
        }
    }

    static func stageName(_ stage: Crm_V1_TrainProgress.Stage) -> String {
        switch stage {
        case .collecting: "collecting"
        case .preprocessing: "preprocessing"
        case .crossValidating: "cross-validating"
        case .training: "training"
        case .evaluating: "evaluating"
        case .done: "done"
        default: "working"
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
