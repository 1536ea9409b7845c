import Foundation

/// Seconds on the monotonic clock, for timing training epochs and iterations.
public enum MonotonicClock {
    /// - Returns: seconds since an arbitrary start, never going back.
    public static func seconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
