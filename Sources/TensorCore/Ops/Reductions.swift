/// Sums, means and maxima over axes, and the broadcast that is the adjoint of a sum.
extension Tensor {
    /// Sums over the dimensions needed to give `target`, the inverse of broadcasting
    /// `target` to this shape (a gradient flowing back through a broadcast).
    ///
    /// - Parameter target: a shape that broadcasts to this one.
    /// - Returns: the sums, of shape `target`.
    public func sum(toShape target: [Int]) -> Tensor {
        if target == shape { return self }
        precondition(
            target.count <= rank && Shape.broadcast(target, shape) == shape,
            "sum(toShape:): \(shape) cannot be reduced to \(target)")
        let kept = [Int](repeating: 1, count: rank - target.count) + target
        let out = Tensor.uninitialized(kept, dtype)
        func run<T: TensorScalar>(_: T.Type) {
            sumReduce(pointer(T.self), shape: shape, out.pointer(T.self), outShape: kept)
        }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        let source = shape
        let reduced = Tensor.record("sumToShape", out, [self]) { c in [c.grad.broadcast(to: source)] }
        return reduced.reshaped(target)
    }

    /// This tensor repeated along broadcast dimensions to `target` (NumPy rules).
    ///
    /// - Parameter target: the shape to broadcast to.
    /// - Returns: self repeated to `target`.
    public func broadcast(to target: [Int]) -> Tensor {
        if target == shape { return self }
        precondition(
            Shape.broadcast(shape, target) == target, "broadcast(to:): \(shape) does not broadcast to \(target)")
        let out = Tensor.uninitialized(target, dtype)
        let strides = Shape.broadcastStrides(shape, to: target)
        func run<T: TensorScalar>(_: T.Type) {
            stridedCopy(pointer(T.self), strides: strides, out.pointer(T.self), shape: target)
        }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        let source = shape
        return Tensor.record("broadcast", out, [self]) { c in [c.grad.sum(toShape: source)] }
    }

    /// Sum of all elements (a scalar).
    ///
    /// - Returns: the sum of all elements, a scalar.
    public func sum() -> Tensor { sum(toShape: []) }

    /// Sum over `axes` (negative axes count from the end), keeping them as size 1 if asked.
    ///
    /// - Parameters:
    ///   - axes: the axes summed over.
    ///   - keepingDims: keep them as size 1.
    /// - Returns: the sums.
    public func sum(axes: [Int], keepingDims: Bool = false) -> Tensor {
        let axes = Set(axes.map { Shape.axis($0, rank: rank, op: "sum(axes:)") })
        let kept = shape.indices.map { axes.contains($0) ? 1 : shape[$0] }
        let s = sum(toShape: kept)
        return keepingDims ? s : s.reshaped(shape.indices.filter { !axes.contains($0) }.map { shape[$0] })
    }

    /// - Parameters:
    ///   - axis: the axis summed over.
    ///   - keepingDims: keep it as size 1.
    /// - Returns: the sums.
    public func sum(axis: Int, keepingDims: Bool = false) -> Tensor { sum(axes: [axis], keepingDims: keepingDims) }

    /// - Returns: the mean of all elements, a scalar.
    public func mean() -> Tensor { sum() * (1 / Double(Swift.max(count, 1))) }

    /// - Parameters:
    ///   - axes: the axes averaged over.
    ///   - keepingDims: keep them as size 1.
    /// - Returns: the means.
    public func mean(axes: [Int], keepingDims: Bool = false) -> Tensor {
        let n = axes.map { shape[Shape.axis($0, rank: rank, op: "mean(axes:)")] }.reduce(1, *)
        return sum(axes: axes, keepingDims: keepingDims) * (1 / Double(Swift.max(n, 1)))
    }

    /// Maxima along `axis` and their flat indices into this tensor. The gradient flows to the
    /// first maximal element of each slice (a gather, whose adjoint is a scatter-add).
    ///
    /// - Parameters:
    ///   - axis: the axis maximised over.
    ///   - keepingDims: keep it as size 1.
    /// - Returns: the maxima and their flat indices.
    public func max(axis: Int, keepingDims: Bool = false) -> (values: Tensor, indices: [Int32]) {
        let a = Shape.axis(axis, rank: rank, op: "max(axis:)")
        let (outer, length, inner) = Shape.split(shape, at: a)
        precondition(length > 0, "max(axis:): axis \(axis) of shape \(shape) is empty")
        let index: [Int32]
        switch dtype {
        case .float32: index = argmaxFlat(pointer(Float.self), outer: outer, length: length, inner: inner)
        case .float64: index = argmaxFlat(pointer(Double.self), outer: outer, length: length, inner: inner)
        }
        var outShape = shape
        if keepingDims { outShape[a] = 1 } else { outShape.remove(at: a) }
        return (gather(flatIndices: index, shape: outShape), index)
    }

    /// Positions of the maxima along `axis` (0..<shape[axis]), e.g. predicted classes of
    /// logits [N, C] with `axis: 1`. Not differentiable.
    ///
    /// - Parameter axis: the axis searched.
    /// - Returns: the position of each maximum.
    public func argmax(axis: Int) -> [Int] {
        let a = Shape.axis(axis, rank: rank, op: "argmax")
        let (_, length, inner) = Shape.split(shape, at: a)
        precondition(length > 0, "argmax: axis \(axis) of shape \(shape) is empty")
        let flat: [Int32]
        switch dtype {
        case .float32:
            flat = argmaxFlat(pointer(Float.self), outer: count / (length * inner), length: length, inner: inner)
        case .float64:
            flat = argmaxFlat(pointer(Double.self), outer: count / (length * inner), length: length, inner: inner)
        }
        return flat.map { (Int($0) / inner) % length }
    }
}
