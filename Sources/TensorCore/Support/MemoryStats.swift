import CTensorSupport

/// What tensor storage and the process hold right now; tests and benchmarks use it to prove
/// that graphs are freed.
public enum MemoryStats {
    /// Tensor buffers currently allocated.
    public static var liveBuffers: Int { Int(td_live_buffers()) }
    /// Buffers allocated minus freed by the calling thread (exact for work on one thread,
    /// whatever other threads do).
    public static var threadNetBuffers: Int { Int(td_thread_net_buffers()) }
    /// Bytes of tensor storage currently allocated.
    public static var liveBytes: Int { Int(td_live_bytes()) }
    /// The most tensor storage allocated at once since the last `resetPeak()`.
    public static var peakBytes: Int { Int(td_peak_bytes()) }
    public static func resetPeak() { td_reset_peak_bytes() }
    /// The process's resident set size now, in bytes.
    public static var residentBytes: Int { Int(td_resident_bytes()) }
    /// The process's peak resident set size, in bytes.
    public static var peakResidentBytes: Int { Int(td_peak_resident_bytes()) }
}
