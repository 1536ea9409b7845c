/// Stochastic gradient descent, PyTorch's update: with momentum μ and weight decay λ,
/// b ← μ·b + (g + λ·p), p ← p − lr·b (without momentum, p ← p − lr·(g + λ·p)).
public final class SGD: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Double
    public let momentum: Double
    public let weightDecay: Double
    private var buffers: [Tensor]?

    /// - Parameters:
    ///   - parameters: the leaves updated in place.
    ///   - learningRate: the step size.
    ///   - momentum: the velocity's decay (0: none).
    ///   - weightDecay: L2 added to the gradients.
    public init(parameters: [Tensor], learningRate: Double, momentum: Double = 0, weightDecay: Double = 0) {
        precondition(learningRate >= 0 && momentum >= 0 && weightDecay >= 0, "SGD: negative hyperparameter")
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
    }

    /// - Parameter grads: one gradient per parameter.
    public func step(_ grads: [Tensor]) {
        checkGradients(grads, "SGD")
        if momentum > 0 && buffers == nil { buffers = stateBuffers(for: parameters) }
        for i in parameters.indices {
            func run<T: TensorScalar>(_: T.Type) {
                let p = parameters[i].pointer(T.self)
                let g = grads[i].pointer(T.self)
                let (lr, mu, wd) = (T(learningRate), T(momentum), T(weightDecay))
                if let b = buffers?[i].pointer(T.self) {
                    for j in 0..<parameters[i].count {
                        b[j] = mu * b[j] + g[j] + wd * p[j]
                        p[j] -= lr * b[j]
                    }
                } else {
                    for j in 0..<parameters[i].count { p[j] -= lr * (g[j] + wd * p[j]) }
                }
            }
            if parameters[i].dtype == .float32 { run(Float.self) } else { run(Double.self) }
        }
    }
}
