/// Log-softmax and softmax along an axis.
extension Tensor {
    /// x − log Σ exp(x) along `axis`, computed stably. Backward: g − softmax·Σg.
    ///
    /// - Parameter axis: the axis normalised over.
    /// - Returns: x − log Σ eˣ along `axis`.
    public func logSoftmax(axis: Int = -1) -> Tensor {
        let a = Shape.axis(axis, rank: rank, op: "logSoftmax")
        let (outer, length, inner) = Shape.split(shape, at: a)
        let out = Tensor.uninitialized(shape, dtype)
        func run<T: TensorScalar>(_: T.Type) {
            TensorCore.logSoftmax(pointer(T.self), outer: outer, length: length, inner: inner, out.pointer(T.self))
        }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        return Tensor.record("logSoftmax", out, [self]) { c in
            [c.grad - c.output.exp() * c.grad.sum(axis: a, keepingDims: true)]
        }
    }

    /// - Parameter axis: the axis normalised over.
    /// - Returns: eˣ / Σ eˣ along `axis`.
    public func softmax(axis: Int = -1) -> Tensor { logSoftmax(axis: axis).exp() }
}
