/// Adam (Kingma & Ba), computed as PyTorch does:
/// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − (lr/(1−β₁ᵗ)) · m / (√v/√(1−β₂ᵗ) + ε).
/// Dataset distillation uses betas (0.5, 0.999).
public final class Adam: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Double
    public let betas: (Double, Double)
    public let epsilon: Double
    public private(set) var stepCount = 0
    private let m: [Tensor]
    private let v: [Tensor]

    /// - Parameters:
    ///   - parameters: the leaves updated in place.
    ///   - learningRate: the step size.
    ///   - betas: the moments' decay rates.
    ///   - epsilon: added to the second moment's root.
    public init(
        parameters: [Tensor], learningRate: Double, betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8
    ) {
        precondition(
            learningRate >= 0 && (0..<1).contains(betas.0) && (0..<1).contains(betas.1) && epsilon >= 0,
            "Adam: invalid hyperparameters lr \(learningRate), betas \(betas), eps \(epsilon)")
        self.parameters = parameters
        self.learningRate = learningRate
        self.betas = betas
        self.epsilon = epsilon
        self.m = stateBuffers(for: parameters)
        self.v = stateBuffers(for: parameters)
    }

    /// The moment estimates (first, second) per parameter, for checkpoints.
    public var moments: (first: [Tensor], second: [Tensor]) { (m, v) }

    /// Restores a state saved from `moments` and `stepCount`, so that training resumes exactly.
    ///
    /// - Parameters:
    ///   - stepCount: steps taken.
    ///   - first: the first moments, one per parameter.
    ///   - second: the second moments, one per parameter.
    public func restore(stepCount: Int, first: [Tensor], second: [Tensor]) {
        precondition(
            stepCount >= 0 && first.count == m.count && second.count == v.count, "Adam.restore: state does not fit")
        for (dst, src) in zip(m + v, first + second) {
            precondition(dst.shape == src.shape, "Adam.restore: moment \(src.shape) for parameter \(dst.shape)")
            dst.storage.raw.copyMemory(
                from: src.converted(to: dst.dtype).storage.raw, byteCount: dst.count * dst.dtype.size)
        }
        self.stepCount = stepCount
    }

    /// One Adam step on every parameter, in place (bias-corrected moments, PyTorch's update).
    ///
    /// - Parameter grads: one gradient per parameter, of its shape and dtype.
    public func step(_ grads: [Tensor]) {
        checkGradients(grads, "Adam")
        stepCount += 1
        let c1 = 1 - _pow(betas.0, stepCount)
        let c2 = 1 - _pow(betas.1, stepCount)
        for i in parameters.indices {
            func run<T: TensorScalar>(_: T.Type) {
                let p = parameters[i].pointer(T.self)
                let g = grads[i].pointer(T.self)
                let mi = m[i].pointer(T.self)
                let vi = v[i].pointer(T.self)
                let (b1, b2, eps) = (T(betas.0), T(betas.1), T(epsilon))
                let stepSize = T(learningRate / c1)
                let root2 = T(c2.squareRoot())
                for j in 0..<parameters[i].count {
                    mi[j] = b1 * mi[j] + (1 - b1) * g[j]
                    vi[j] = b2 * vi[j] + (1 - b2) * g[j] * g[j]
                    p[j] -= stepSize * mi[j] / (vi[j].squareRoot() / root2 + eps)
                }
            }
            if parameters[i].dtype == .float32 { run(Float.self) } else { run(Double.self) }
        }
    }
}

/// x^n for a small non-negative integer n.
func _pow(_ x: Double, _ n: Int) -> Double {
    var r = 1.0
    for _ in 0..<n { r *= x }
    return r
}
