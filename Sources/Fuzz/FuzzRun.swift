import Foundation
import TensorCore

/// Feeds one reader mutated inputs in process and counts what happens: read, or refused with
/// an error. A crash ends the process; a read that takes longer than `hangSeconds` ends it
/// with status 3. Before each read the input is at `work/fileName` and its index in
/// `work/index` (with the counts so far), so whoever started the process can tell which input it was and go on after it.
/// Input i depends on the seed, the target and i alone.
public enum FuzzRun {
    public struct Counts: Sendable {
        public var inputs = 0
        public var read = 0
        public var refused = 0
        public var seconds = 0.0
    }

    public static func run(
        _ target: FuzzTarget, root: String, work: String, start: Int, count: Int, seed: UInt64 = 1,
        hangSeconds: Double = 10
    ) throws -> Counts {
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let seeds = try target.seeds(root, work)
        let path = work + "/" + target.fileName
        let index = open(work + "/index", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard index >= 0 else { throw InputError(file: work + "/index", "cannot be written") }
        defer { close(index) }
        let watchdog = Watchdog(limit: hangSeconds, target: target.name, path: path)
        var counts = Counts()
        let began = MonotonicClock.seconds()
        let stream = UInt64(truncatingIfNeeded: target.name.utf8.reduce(5381) { ($0 &* 33) &+ Int($1) })
        for i in start..<(start + count) {
            var rng = RandomGenerator(seed: seed, stream: [stream, UInt64(i)])
            let input = Mutator.mutate(seeds, using: &rng)
            try Data(input).write(to: URL(fileURLWithPath: path))
            let line = Array("\(i) \(counts.read) \(counts.refused)\n".utf8)
            _ = line.withUnsafeBytes { pwrite(index, $0.baseAddress, $0.count, 0) }
            watchdog.begin()
            do {
                try target.read(path)
                counts.read += 1
            } catch {
                counts.refused += 1
            }
            watchdog.end()
            counts.inputs += 1
        }
        counts.seconds = MonotonicClock.seconds() - began
        return counts
    }
}

/// Ends the process when one read runs past its limit.
private final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var started: Double?

    init(limit: Double, target: String, path: String) {
        let thread = Thread { [weak self] in
            while let self {
                Thread.sleep(forTimeInterval: 0.25)
                self.lock.lock()
                let running = self.started.map { MonotonicClock.seconds() - $0 } ?? 0
                self.lock.unlock()
                if running > limit {
                    FileHandle.standardError.write(
                        Data("fuzz \(target): a read of \(path) ran past \(limit) s (hang)\n".utf8))
                    exit(3)
                }
            }
        }
        thread.start()
    }

    func begin() {
        lock.lock()
        started = MonotonicClock.seconds()
        lock.unlock()
    }

    func end() {
        lock.lock()
        started = nil
        lock.unlock()
    }
}
