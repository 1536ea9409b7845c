import COpenBLAS
import Foundation

/// The number of threads OpenBLAS uses for one matrix product: process-wide, so parallel loops
/// make it 1 while they run (each worker then runs its own products).
///
/// Those spans are counted, not nested set-and-restore pairs: when two threads run parallel
/// loops at once (concurrent tests, or a library user's own threads), a set-and-restore pair
/// let one thread put 2 back while the other's products were running, and the same float64
/// computation came out with different last bits from one run to the next (seen in
/// `checkpointedUnrollIsExact`). Now BLAS stays single-threaded until the last span ends.
public enum BLASThreads {
    /// - Parameter n: threads (at least 1).
    public static func set(_ n: Int) { openblas_set_num_threads(Int32(Swift.max(1, n))) }
    public static var current: Int { Int(openblas_get_num_threads()) }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var spans = 0
    nonisolated(unsafe) private static var restored = 1

    /// Runs `body` with BLAS single-threaded; the thread count before the first of
    /// overlapping spans comes back when the last one ends.
    ///
    /// - Parameter body: the work.
    /// - Returns: what `body` returns.
    public static func singleThreaded<R>(_ body: () throws -> R) rethrows -> R {
        lock.lock()
        if spans == 0 {
            restored = current
            set(1)
        }
        spans += 1
        lock.unlock()
        defer {
            lock.lock()
            spans -= 1
            if spans == 0 { set(restored) }
            lock.unlock()
        }
        return try body()
    }
}
