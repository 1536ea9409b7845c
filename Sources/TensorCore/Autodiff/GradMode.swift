import CTensorSupport

/// Whether ops on the current thread record the autodiff graph.
///
/// On by default. `withoutGradients` turns recording off for a block, as evaluation and
/// optimizer updates want; the mode is per thread, so nets trained on different threads are
/// independent.
public enum GradMode {
    public static var isEnabled: Bool { td_grad_enabled() != 0 }

    /// Runs `body` with recording set to `enabled`, restoring the previous mode afterwards.
    ///
    /// - Parameters:
    ///   - enabled: record ops inside `body`.
    ///   - body: the work.
    /// - Returns: what `body` returns.
    @inline(__always)
    public static func with<R>(enabled: Bool, _ body: () throws -> R) rethrows -> R {
        let previous = td_grad_enabled()
        td_set_grad_enabled(enabled ? 1 : 0)
        defer { td_set_grad_enabled(previous) }
        return try body()
    }
}

/// Runs `body` without recording any op (like PyTorch's `torch.no_grad()`).
///
/// - Parameter body: the work.
/// - Returns: what `body` returns.
@inline(__always)
public func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.with(enabled: false, body)
}
