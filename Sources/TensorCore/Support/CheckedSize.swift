/// Sizes read from files, multiplied without overflow: a header may promise anything.
public enum CheckedSize {
    /// The product of `factors`, or nil when one is negative or the product overflows `Int`.
    ///
    /// - Parameter factors: non-negative sizes.
    /// - Returns: their product, or nil when it overflows `Int`.
    public static func product(_ factors: [Int]) -> Int? {
        var total = 1
        for f in factors {
            guard f >= 0 else { return nil }
            let (p, overflow) = total.multipliedReportingOverflow(by: f)
            if overflow { return nil }
            total = p
        }
        return total
    }
}
