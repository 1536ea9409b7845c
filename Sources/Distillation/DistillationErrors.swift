/// An error that ends a distillation run (not a programming error): reported to the user.
public struct DistillationError: Error, CustomStringConvertible {
    public let description: String
    /// - Parameter description: the sentence shown to the user.
    public init(_ description: String) { self.description = description }
}

/// The outer loss or its gradient stopped being finite (nothing was updated); usually a rate
/// too large for the task.
public struct Diverged: Error, CustomStringConvertible {
    /// 1-based.
    public let epoch: Int
    public let iteration: Int
    /// The outer loss (finite if only its gradient was not).
    public let loss: Double

    public var description: String {
        "the outer loss became \(loss.isFinite ? "finite but its gradient is not" : String(loss)) in epoch \(epoch), iteration \(iteration)"
    }
}
