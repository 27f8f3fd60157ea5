import CRMCore
import Synchronization

/// Counts what is in use against a limit, per key: calls per caller, rows held by atomic imports,
/// trainings. Taking more than the limit allows is refused with RESOURCE_EXHAUSTED naming the
/// limit's configuration key; nothing ever waits here.
final class Admission<Key: Hashable & Sendable>: Sendable {
    private let inUse = Mutex<[Key: Int]>([:])
    let limit: Int
    /// The configuration key named in refusals, e.g. `limits.calls_per_caller`.
    let setting: String

    init(limit: Int, setting: String) {
        self.limit = limit
        self.setting = setting
    }

    /// Takes `amount` for `key`, or throws when that would pass the limit.
    /// - Parameter what: what is being counted, for the message ("calls of uid 1000 at once").
    func take(_ amount: Int = 1, for key: Key, what: @autoclosure () -> String) throws {
        let granted = inUse.withLock { inUse in
            let now = inUse[key, default: 0]
            guard now + amount <= limit else { return false }
            inUse[key] = now + amount
            return true
        }
        guard granted else {
            throw CRMError(.resourceExhausted, "too many \(what()): at most \(limit) (\(setting))")
        }
    }

    /// Gives back what ``take(_:for:what:)`` took.
    func give(_ amount: Int = 1, for key: Key) {
        inUse.withLock { inUse in
            let left = inUse[key, default: 0] - amount
            inUse[key] = left > 0 ? left : nil
        }
    }
}

/// One unit taken from an ``Admission``, given back exactly once: when ``release()`` is called, or
/// when the slot is dropped without it (a streaming answer whose producer never ran because the
/// client went away first).
final class AdmissionSlot<Key: Hashable & Sendable>: Sendable {
    private let admission: Admission<Key>
    private let key: Key
    private let released = Atomic<Bool>(false)

    init(_ admission: Admission<Key>, key: Key) {
        self.admission = admission
        self.key = key
    }

    func release() {
        guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        admission.give(for: key)
    }

    deinit {
        release()
    }
}
