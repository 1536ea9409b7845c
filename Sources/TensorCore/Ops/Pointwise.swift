/// Elementwise nonlinearities. Backward rules reuse the op's output where that is cheaper
/// (exp, tanh, sigmoid); they are built from differentiable ops, so second derivatives come
/// out of the same rules.
extension Tensor {
    /// - Returns: eˣ, elementwise.
    public func exp() -> Tensor {
        unary("exp", .exp) { c in [c.grad * c.output] }
    }

    /// - Returns: log x, elementwise.
    public func log() -> Tensor {
        unary("log", .log) { c in [c.grad / c.inputs[0]] }
    }

    /// - Returns: tanh x, elementwise.
    public func tanh() -> Tensor {
        unary("tanh", .tanh) { c in [c.grad * (1 - c.output.squared())] }
    }

    /// - Returns: σ(x) = 1 / (1 + e⁻ˣ), elementwise.
    public func sigmoid() -> Tensor {
        unary("sigmoid", .sigmoid) { c in [c.grad * c.output * (1 - c.output)] }
    }

    /// log(1 + eˣ), computed without overflow; its derivative is sigmoid(x).
    ///
    /// - Returns: log(1 + eˣ), elementwise.
    public func softplus() -> Tensor {
        unary("softplus", .softplus) { c in [c.grad * c.inputs[0].sigmoid()] }
    }

    /// max(x, 0). The derivative at 0 is taken as 0, as in PyTorch.
    ///
    /// - Returns: max(x, 0), elementwise.
    public func relu() -> Tensor {
        unary("relu", .relu) { c in [c.grad * c.inputs[0].positiveMask()] }
    }

    /// xᵖ elementwise, for x > 0 (computed as exp(p·log x)).
    ///
    /// - Parameter p: the exponent.
    /// - Returns: xᵖ, elementwise.
    public func pow(_ p: Double) -> Tensor {
        if p == 1 { return self }
        if p == 2 { return squared() }
        return unary("pow", .power(p)) { c in [c.grad * c.inputs[0].pow(p - 1) * p] }
    }

    /// √x for x > 0.
    ///
    /// - Returns: √x, elementwise.
    public func sqrt() -> Tensor { pow(0.5) }

    /// 1 where x > 0, else 0; a constant (its derivative is zero almost everywhere).
    ///
    /// - Returns: 1 where x > 0, else 0 (not differentiable).
    public func positiveMask() -> Tensor {
        unary("positiveMask", .positiveMask, nil)
    }
}
