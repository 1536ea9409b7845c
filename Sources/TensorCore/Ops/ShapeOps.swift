/// Reshape, permute, slice and concatenate.
extension Tensor {
    /// The same values with a new shape (shares storage; no copy). One dimension may be -1.
    ///
    /// - Parameter newShape: the new shape (one entry may be −1: inferred).
    /// - Returns: the same elements in that shape.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var target = newShape
        if let i = target.firstIndex(of: -1) {
            let known = target.enumerated().filter { $0.offset != i }.map(\.element).reduce(1, *)
            precondition(
                known > 0 && count % known == 0, "reshaped: cannot infer -1 in \(newShape) for \(count) elements")
            target[i] = count / known
        }
        precondition(
            target.allSatisfy { $0 >= 0 } && target.reduce(1, *) == count,
            "reshaped: shape \(shape) (\(count) elements) cannot become \(newShape)")
        if target == shape { return self }
        let source = shape
        return Tensor.record("reshape", Tensor(shape: target, storage: storage), [self]) { c in
            [c.grad.reshaped(source)]
        }
    }

    /// Dimensions reordered: output dimension i is input dimension `order[i]`.
    ///
    /// - Parameter order: a permutation of the axes.
    /// - Returns: the tensor with its axes in that order (a copy).
    public func permuted(_ order: [Int]) -> Tensor {
        precondition(
            order.sorted() == Array(0..<rank), "permuted: \(order) is not a permutation of the axes of \(shape)")
        if order == Array(0..<rank) { return self }
        let outShape = order.map { shape[$0] }
        let inStrides = Shape.strides(shape)
        let strides = order.map { inStrides[$0] }
        let out = Tensor.uninitialized(outShape, dtype)
        func run<T: TensorScalar>(_: T.Type) {
            stridedCopy(pointer(T.self), strides: strides, out.pointer(T.self), shape: outShape)
        }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        var inverse = order
        for (i, o) in order.enumerated() { inverse[o] = i }
        return Tensor.record("permute", out, [self]) { c in [c.grad.permuted(inverse)] }
    }

    /// The transpose of a 2-D tensor.
    ///
    /// - Returns: the 2-D tensor transposed.
    public func transposed() -> Tensor {
        precondition(rank == 2, "transposed: needs a 2-D tensor, got \(shape)")
        return permuted([1, 0])
    }

    /// Elements `range` along `axis`.
    ///
    /// - Parameters:
    ///   - axis: the axis sliced.
    ///   - range: the positions kept.
    /// - Returns: those positions, a copy.
    public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
        let a = Shape.axis(axis, rank: rank, op: "slice")
        precondition(
            range.lowerBound >= 0 && range.upperBound <= shape[a],
            "slice: range \(range) out of bounds for axis \(a) of shape \(shape)")
        if range.count == shape[a] { return self }
        let (outer, length, inner) = Shape.split(shape, at: a)
        var outShape = shape
        outShape[a] = range.count
        let out = Tensor.uninitialized(outShape, dtype)
        func run<T: TensorScalar>(_: T.Type) {
            sliceCopy(
                pointer(T.self), outer: outer, length: length, inner: inner, start: range.lowerBound,
                count: range.count, out.pointer(T.self))
        }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        return Tensor.record("slice", out, [self], slice: SlicePlacement(axis: a, range: range)) { c in
            [c.grad.padded(axis: a, before: range.lowerBound, after: length - range.upperBound)]
        }
    }

    /// Zeros added before and after along `axis`; the adjoint of `slice`.
    ///
    /// - Parameters:
    ///   - axis: the axis padded.
    ///   - before: zeros before.
    ///   - after: zeros after.
    /// - Returns: the padded tensor.
    public func padded(axis: Int, before: Int, after: Int) -> Tensor {
        let a = Shape.axis(axis, rank: rank, op: "padded")
        precondition(before >= 0 && after >= 0, "padded: negative padding \(before), \(after)")
        if before == 0 && after == 0 { return self }
        let (outer, length, inner) = Shape.split(shape, at: a)
        var outShape = shape
        outShape[a] = length + before + after
        let out = Tensor.uninitialized(outShape, dtype)
        func run<T: TensorScalar>(_: T.Type) {
            padCopy(
                pointer(T.self), outer: outer, length: outShape[a], inner: inner, start: before,
                count: length, out.pointer(T.self))
        }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        return Tensor.record("pad", out, [self]) { c in [c.grad.slice(axis: a, before..<(before + length))] }
    }

    /// Tensors joined along `axis`; all other dimensions must agree.
    ///
    /// - Parameters:
    ///   - parts: tensors that agree on every other axis.
    ///   - axis: the axis joined along.
    /// - Returns: the parts side by side.
    public static func concat(_ parts: [Tensor], axis: Int) -> Tensor {
        precondition(!parts.isEmpty, "concat: no tensors")
        let first = parts[0]
        let a = Shape.axis(axis, rank: first.rank, op: "concat")
        for p in parts {
            precondition(
                p.rank == first.rank && p.dtype == first.dtype
                    && p.shape.enumerated().allSatisfy { $0.offset == a || $0.element == first.shape[$0.offset] },
                "concat: shapes \(parts.map(\.shape)) (\(parts.map(\.dtype))) differ outside axis \(a)")
        }
        if parts.count == 1 { return first }
        let lengths = parts.map { $0.shape[a] }
        var outShape = first.shape
        outShape[a] = lengths.reduce(0, +)
        let (outer, total, inner) = Shape.split(outShape, at: a)
        let out = Tensor.uninitialized(outShape, first.dtype)
        func run<T: TensorScalar>(_: T.Type) {
            let dst = out.pointer(T.self)
            var start = 0
            for (p, len) in zip(parts, lengths) {
                let src = p.pointer(T.self)
                for o in 0..<outer {
                    (dst + (o * total + start) * inner).update(from: src + o * len * inner, count: len * inner)
                }
                start += len
            }
        }
        if first.dtype == .float32 { run(Float.self) } else { run(Double.self) }
        return record("concat", out, parts) { c in
            var start = 0
            return lengths.enumerated().map { i, len in
                defer { start += len }
                return c.needsGrad[i] ? c.grad.slice(axis: a, start..<(start + len)) : nil
            }
        }
    }

    /// Tensors of one shape stacked along a new axis.
    ///
    /// - Parameters:
    ///   - parts: tensors of one shape.
    ///   - axis: where the new axis goes.
    /// - Returns: the parts stacked along a new axis.
    public static func stack(_ parts: [Tensor], axis: Int = 0) -> Tensor {
        precondition(!parts.isEmpty, "stack: no tensors")
        let shape = parts[0].shape
        precondition(parts.allSatisfy { $0.shape == shape }, "stack: shapes differ: \(parts.map(\.shape))")
        let a = axis < 0 ? axis + shape.count + 1 : axis
        precondition(a >= 0 && a <= shape.count, "stack: axis \(axis) out of range for rank \(shape.count)")
        var expanded = shape
        expanded.insert(1, at: a)
        return concat(parts.map { $0.reshaped(expanded) }, axis: a)
    }
}
