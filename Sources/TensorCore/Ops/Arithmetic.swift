/// Broadcasting arithmetic (NumPy rules), negation and scalar ops.
extension Tensor {
    static func binary(
        _ name: StaticString, _ op: BinaryKernel, _ a: Tensor, _ b: Tensor,
        _ backward: @escaping BackwardRule
    ) -> Tensor {
        precondition(a.dtype == b.dtype, "\(name): dtypes differ (\(a.dtype) and \(b.dtype))")
        guard let shape = Shape.broadcast(a.shape, b.shape) else {
            preconditionFailure("\(name): shapes \(a.shape) and \(b.shape) do not broadcast")
        }
        let out = uninitialized(shape, a.dtype)
        let (sa, sb) = (Shape.broadcastStrides(a.shape, to: shape), Shape.broadcastStrides(b.shape, to: shape))
        func run<T: TensorScalar>(_: T.Type) {
            applyBinary(op, a.pointer(T.self), sa, b.pointer(T.self), sb, out.pointer(T.self), shape: shape)
        }
        if a.dtype == .float32 { run(Float.self) } else { run(Double.self) }
        return record(name, out, [a, b], backward)
    }

    func unary(_ name: StaticString, _ op: UnaryKernel, _ backward: BackwardRule?) -> Tensor {
        let out = Tensor.uninitialized(shape, dtype)
        func run<T: TensorScalar>(_: T.Type) { applyUnary(op, pointer(T.self), out.pointer(T.self), count) }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        guard let backward else { return out }
        return Tensor.record(name, out, [self], backward)
    }

    /// - Parameters:
    ///   - a: the left operand.
    ///   - b: the right operand, broadcast against `a`.
    /// - Returns: a + b, of the broadcast shape.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        binary("add", .add, a, b) { c in
            [
                c.needsGrad[0] ? c.grad.sum(toShape: c.inputs[0].shape) : nil,
                c.needsGrad[1] ? c.grad.sum(toShape: c.inputs[1].shape) : nil,
            ]
        }
    }

    /// - Parameters:
    ///   - a: the left operand.
    ///   - b: the right operand, broadcast against `a`.
    /// - Returns: a − b, of the broadcast shape.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        binary("sub", .sub, a, b) { c in
            [
                c.needsGrad[0] ? c.grad.sum(toShape: c.inputs[0].shape) : nil,
                c.needsGrad[1] ? -c.grad.sum(toShape: c.inputs[1].shape) : nil,
            ]
        }
    }

    /// - Parameters:
    ///   - a: the left operand.
    ///   - b: the right operand, broadcast against `a`.
    /// - Returns: a ⊙ b, of the broadcast shape.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        binary("mul", .mul, a, b) { c in
            [
                c.needsGrad[0] ? (c.grad * c.inputs[1]).sum(toShape: c.inputs[0].shape) : nil,
                c.needsGrad[1] ? (c.grad * c.inputs[0]).sum(toShape: c.inputs[1].shape) : nil,
            ]
        }
    }

    /// - Parameters:
    ///   - a: the left operand.
    ///   - b: the right operand, broadcast against `a`.
    /// - Returns: a / b, of the broadcast shape.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        binary("div", .div, a, b) { c in
            let (x, y) = (c.inputs[0], c.inputs[1])
            return [
                c.needsGrad[0] ? (c.grad / y).sum(toShape: x.shape) : nil,
                c.needsGrad[1] ? (-(c.grad * c.output) / y).sum(toShape: y.shape) : nil,
            ]
        }
    }

    public static prefix func - (x: Tensor) -> Tensor {
        x.unary("neg", .neg) { c in [-c.grad] }
    }

    /// - Parameters:
    ///   - x: the tensor.
    ///   - s: the scalar.
    /// - Returns: x · s.
    public static func * (x: Tensor, s: Double) -> Tensor {
        x.unary("scale", .scale(s)) { c in [c.grad * s] }
    }

    /// - Parameters:
    ///   - x: the tensor.
    ///   - s: the scalar.
    /// - Returns: x + s.
    public static func + (x: Tensor, s: Double) -> Tensor {
        x.unary("shift", .shift(s)) { c in [c.grad] }
    }

    /// - Parameters:
    ///   - s: the scalar.
    ///   - x: the tensor.
    /// - Returns: s · x.
    public static func * (s: Double, x: Tensor) -> Tensor { x * s }
    /// - Parameters:
    ///   - s: the scalar.
    ///   - x: the tensor.
    /// - Returns: s + x.
    public static func + (s: Double, x: Tensor) -> Tensor { x + s }
    /// - Parameters:
    ///   - x: the tensor.
    ///   - s: the scalar.
    /// - Returns: x − s.
    public static func - (x: Tensor, s: Double) -> Tensor { x + (-s) }
    /// - Parameters:
    ///   - s: the scalar.
    ///   - x: the tensor.
    /// - Returns: s − x.
    public static func - (s: Double, x: Tensor) -> Tensor { (-x) + s }
    /// - Parameters:
    ///   - x: the tensor.
    ///   - s: the scalar.
    /// - Returns: x / s.
    public static func / (x: Tensor, s: Double) -> Tensor { x * (1 / s) }
    /// - Parameters:
    ///   - s: the scalar.
    ///   - x: the tensor.
    /// - Returns: s / x.
    public static func / (s: Double, x: Tensor) -> Tensor { Tensor(scalar: s, dtype: x.dtype) / x }

    /// x², elementwise.
    ///
    /// - Returns: x², elementwise.
    public func squared() -> Tensor {
        unary("square", .square) { c in [c.grad * c.inputs[0] * 2] }
    }
}
