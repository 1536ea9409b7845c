import TensorCore

/// One step of the learned training schedule: distilled inputs, their raw soft labels, and
/// the step's learning rate η (a scalar tensor; during distillation η = softplus(ρ)); for
/// sentences that end before maxlen (readable text), each row's length.
public struct InnerStep {
    public let inputs: Tensor
    public let labels: Tensor
    public let learningRate: Tensor
    /// Each row's length (text), or nil: every position counts.
    public let lengths: [Int]?

    /// - Parameters:
    ///   - inputs: the step's rows.
    ///   - labels: their raw soft labels.
    ///   - learningRate: η, a scalar tensor.
    ///   - lengths: each row's length, or nil.
    public init(inputs: Tensor, labels: Tensor, learningRate: Tensor, lengths: [Int]? = nil) {
        precondition(
            learningRate.count == 1, "InnerStep: learning rate must be a scalar, got shape \(learningRate.shape)")
        precondition(
            (lengths?.count ?? inputs.shape[0]) == inputs.shape[0],
            "InnerStep: \(lengths?.count ?? 0) lengths for \(inputs.shape[0]) rows")
        self.inputs = inputs
        self.labels = labels
        self.learningRate = learningRate
        self.lengths = lengths
    }
}

/// The inner training of dataset distillation: plain SGD on the distilled steps,
///     w_{t+1} = w_t − η_t · ∇_w ℓ(f(X_t; w_t), Y_t),
/// unrolled so that the outer loss can be differentiated through every step.
public enum InnerTraining {
    /// The inner loss ℓ of one step for parameters w (the model's forward pass and the
    /// soft-label loss, with whatever train-mode details such as dropout masks it needs).
    public typealias StepLoss = (_ parameters: [Tensor], _ step: InnerStep) -> Tensor

    /// Runs the schedule from `initial`.
    ///
    /// With `createGraph: true` every step's gradient is recorded (second-order graph), so the
    /// returned weights are differentiable functions of the steps' inputs, labels and rates:
    /// this is the exact meta-gradient's forward pass, and memory grows linearly in the steps.
    /// With `createGraph: false` (evaluating a learned schedule) each step's weights are
    /// constants and memory stays flat.
    ///
    /// - Parameters:
    ///   - initial: the network's starting parameters.
    ///   - steps: the schedule, one SGD step each.
    ///   - createGraph: record every step's gradient (the meta-gradient's forward pass).
    ///   - loss: the inner loss of a step for given parameters.
    /// - Returns: the parameters after the last step.
    public static func unroll(
        from initial: [Tensor], steps: [InnerStep], createGraph: Bool,
        loss: StepLoss
    ) -> [Tensor] {
        var weights = initial.map { $0.requiresGrad ? $0 : $0.detached().requiringGrad() }
        for step in steps { weights = self.step(weights, step, createGraph: createGraph, loss: loss) }
        return weights
    }

    /// One SGD step of the schedule, w − η · ∇_w ℓ: recorded (`createGraph`, the weights
    /// returned are differentiable functions of w and the step), or as constants that require a
    /// gradient (the next step's inner gradient is taken with respect to them).
    ///
    /// - Parameters:
    ///   - weights: the parameters before the step.
    ///   - step: its inputs, labels and rate.
    ///   - createGraph: record the step's gradient.
    ///   - loss: the inner loss for given parameters.
    /// - Returns: the parameters after the step.
    public static func step(_ weights: [Tensor], _ step: InnerStep, createGraph: Bool, loss: StepLoss) -> [Tensor] {
        let l = loss(weights, step)
        precondition(l.count == 1, "InnerTraining: the step loss must be a scalar, got shape \(l.shape)")
        let grads = gradients(of: l, withRespectTo: weights, createGraph: createGraph)
        if createGraph {
            let eta = step.learningRate.reshaped([])
            return zip(weights, grads).map { w, g in w - eta * g }
        }
        let eta = step.learningRate.item
        return withoutGradients { zip(weights, grads).map { w, g in w - g * eta } }.map { $0.requiringGrad() }
    }
}
