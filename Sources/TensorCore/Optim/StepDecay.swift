/// Step decay: lr(epoch) = base · γ^⌊epoch / stepSize⌋ (PyTorch's StepLR; distillation
/// halves the rate, γ = 0.5, every `decayEpochs`).
public struct StepDecay: Sendable {
    public let baseLearningRate: Double
    public let stepSize: Int
    public let gamma: Double

    /// - Parameters:
    ///   - baseLearningRate: the rate of the first epochs.
    ///   - stepSize: epochs between decays.
    ///   - gamma: the factor at each decay.
    public init(baseLearningRate: Double, stepSize: Int, gamma: Double = 0.5) {
        precondition(stepSize > 0 && gamma > 0, "StepDecay: stepSize must be positive and gamma > 0")
        self.baseLearningRate = baseLearningRate
        self.stepSize = stepSize
        self.gamma = gamma
    }

    /// - Parameter epoch: the epoch (from 0).
    /// - Returns: base · gamma^(epoch / stepSize).
    public func learningRate(epoch: Int) -> Double {
        baseLearningRate * _pow(gamma, Swift.max(epoch, 0) / stepSize)
    }

    /// Sets the optimizer's rate for `epoch`.
    ///
    /// - Parameters:
    ///   - optimizer: whose rate is set.
    ///   - epoch: the epoch (from 0).
    public func apply(to optimizer: Optimizer, epoch: Int) {
        optimizer.learningRate = learningRate(epoch: epoch)
    }
}
