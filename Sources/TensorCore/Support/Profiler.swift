import CTensorSupport
import Foundation

/// A per-op profile: calls, seconds and output bytes by op kind and derivative order (forward,
/// backward, backward of a backward). Every op reports when it finishes; the time since the
/// previous report is charged to it, so the glue between two ops counts with the later one.
/// Process-wide and meant for single-threaded measurements (`bench --profile`).
public enum Profiler {
    public struct Entry: Sendable {
        public var calls = 0
        public var seconds = 0.0
        public var bytes = 0

        public init() {}
    }

    /// One row: op name and derivative order (0 forward, 1 backward, 2 backward of backward).
    public struct Key: Hashable, Sendable {
        public let op: String
        public let order: Int
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var entries: [Key: Entry] = [:]
    nonisolated(unsafe) private static var last = 0.0
    nonisolated(unsafe) private static var started = 0.0

    /// Starts a fresh profile.
    public static func start() {
        lock.lock()
        entries = [:]
        last = MonotonicClock.seconds()
        started = last
        lock.unlock()
        td_set_profiling(1)
    }

    /// Stops and returns the profile and the seconds it covered.
    ///
    /// - Returns: the entries by op and derivative order, and the seconds covered.
    public static func stop() -> (entries: [Key: Entry], seconds: Double) {
        td_set_profiling(0)
        lock.lock()
        defer { lock.unlock() }
        return (entries, MonotonicClock.seconds() - started)
    }

    static func note(_ name: StaticString, bytes: Int) {
        let now = MonotonicClock.seconds()
        let key = Key(op: name.description, order: Int(td_derivative_order()))
        lock.lock()
        var e = entries[key] ?? Entry()
        e.calls += 1
        e.seconds += now - last
        e.bytes += bytes
        entries[key] = e
        last = now
        lock.unlock()
    }
}
