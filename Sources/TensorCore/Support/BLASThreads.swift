import COpenBLAS

/// The number of threads OpenBLAS uses for one matrix product. Set 1 inside parallel loops
/// (each worker then runs its own products).
public enum BLASThreads {
    /// - Parameter n: threads (at least 1).
    public static func set(_ n: Int) { openblas_set_num_threads(Int32(Swift.max(1, n))) }
    public static var current: Int { Int(openblas_get_num_threads()) }
}
