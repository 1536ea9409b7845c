import CTensorSupport
import Dispatch
import Foundation

/// Splitting a loop over a batch between the machine's cores. Waking a worker costs about
/// 50 µs, so callers ask for it only when each part is well above that (`grain`: the fewest
/// items worth a part). BLAS runs single-threaded inside the parts (each part issues its own
/// products) and gets its thread count back afterwards.
public enum Parallel {
    /// Parts to split into: the cores this process may use (`$TEXTDISTILL_CORES` when set, as
    /// `textdistill-mpi` sets it for ranks sharing a host), at most 8.
    public static let ways = Swift.max(
        1,
        Swift.min(
            ProcessInfo.processInfo.environment["TEXTDISTILL_CORES"].flatMap { Int($0) }
                ?? ProcessInfo.processInfo.activeProcessorCount, 8))

    /// Runs `body` over contiguous parts of 0..<count, concurrently when count ≥ 2·grain.
    /// `body(part, range)` gets the part's index (for per-part scratch) and its items.
    /// A loop inside a part of another runs inline, as one part: the cores are busy already.
    ///
    /// - Parameters:
    ///   - count: the items.
    ///   - grain: the fewest items worth a part.
    ///   - body: called with a part's index and its items.
    public static func forParts(count: Int, grain: Int, _ body: (Int, Range<Int>) -> Void) {
        let parts = parts(count: count, grain: grain)
        guard parts > 1 else {
            body(0, 0..<count)
            return
        }
        BLASThreads.singleThreaded {
            DispatchQueue.concurrentPerform(iterations: parts) { p in
                td_set_in_parallel_part(1)
                body(p, (count * p / parts)..<(count * (p + 1) / parts))
                td_set_in_parallel_part(0)
            }
        }
    }

    /// Runs `body` with every parallel loop in it inline, on this thread (a profile that times
    /// ops one after the other, say).
    ///
    /// - Parameter body: the work.
    /// - Returns: what `body` returns.
    public static func serially<R>(_ body: () throws -> R) rethrows -> R {
        let outer = td_in_parallel_part()
        td_set_in_parallel_part(1)
        defer { td_set_in_parallel_part(outer) }
        return try body()
    }

    /// The number of parts `forParts` would use.
    ///
    /// - Parameters:
    ///   - count: the items.
    ///   - grain: the fewest items worth a part.
    /// - Returns: the parts `forParts` would use here.
    public static func parts(count: Int, grain: Int) -> Int {
        td_in_parallel_part() != 0 ? 1 : Swift.max(1, Swift.min(ways, count / Swift.max(grain, 1)))
    }

    /// `body(i)` for i in 0..<count, spread over the cores (each call is one independent piece
    /// of work, e.g. training one network), results in index order.
    ///
    /// - Parameters:
    ///   - count: the pieces.
    ///   - body: one piece's work.
    /// - Returns: the results, in index order.
    public static func map<R>(count: Int, _ body: (Int) -> R) -> [R] {
        var results = [R?](repeating: nil, count: count)
        let lock = NSLock()
        forParts(count: count, grain: 1) { _, items in
            for i in items {
                let r = body(i)
                lock.lock()
                results[i] = r
                lock.unlock()
            }
        }
        return results.compactMap { $0 }
    }
}
