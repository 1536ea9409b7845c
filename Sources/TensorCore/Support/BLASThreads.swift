import COpenBLAS
import Foundation

/// The number of threads OpenBLAS uses for one matrix product: process-wide, so parallel loops
/// make it 1 while they run (each worker then runs its own products).
///
/// Those spans are counted, not set-and-restore pairs: with two threads running parallel loops
/// at once (concurrent tests, or a library user's own threads) a pair let one thread put two
/// BLAS threads back while the other's loop was still running, or leave one for good. Now BLAS
/// stays single-threaded until the last span ends. A computation that must repeat to the last
/// bit holds a span around itself: OpenBLAS's float64 products need not round alike on one
/// thread and on two, and concurrent work may change the count between two runs
/// (`checkpointedUnrollIsExact` failed that way in 6 of 10 runs, and in none with one thread).
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
