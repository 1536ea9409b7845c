/// Matrix product through BLAS gemm, with transposes folded into the call.
extension Tensor {
    /// op(self) · op(other) for 2-D tensors, where op transposes when asked.
    ///
    /// - Parameters:
    ///   - other: the right factor, 2-D, same dtype.
    ///   - transposeSelf: use selfᵀ.
    ///   - transposeOther: use otherᵀ.
    /// - Returns: the product [m, n].
    public func matmul(_ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false) -> Tensor {
        precondition(
            rank == 2 && other.rank == 2 && dtype == other.dtype,
            "matmul: needs two 2-D tensors of one dtype, got \(shape) (\(dtype)) and \(other.shape) (\(other.dtype))")
        let (m, k) = transposeSelf ? (shape[1], shape[0]) : (shape[0], shape[1])
        let (k2, n) = transposeOther ? (other.shape[1], other.shape[0]) : (other.shape[0], other.shape[1])
        precondition(
            k == k2,
            "matmul: inner dimensions differ: \(shape)\(transposeSelf ? "ᵀ" : "") · \(other.shape)\(transposeOther ? "ᵀ" : "")"
        )
        let out = Tensor.uninitialized([m, n], dtype)
        func run<T: TensorScalar>(_: T.Type) {
            if k == 0 {
                out.pointer(T.self).update(repeating: 0, count: m * n)
                return
            }
            T.gemm(
                transposeA: transposeSelf, transposeB: transposeOther, m: m, n: n, k: k, alpha: 1,
                a: pointer(T.self), lda: shape[1], b: other.pointer(T.self), ldb: other.shape[1],
                beta: 0, c: out.pointer(T.self), ldc: n)
        }
        if m * n > 0 { if dtype == .float32 { run(Float.self) } else { run(Double.self) } }
        return Tensor.record("matmul", out, [self, other]) { c in
            let (a, b, g) = (c.inputs[0], c.inputs[1], c.grad)
            let ga: Tensor?
            let gb: Tensor?
            switch (transposeSelf, transposeOther) {
            case (false, false):  // C = A B
                ga = c.needsGrad[0] ? g.matmul(b, transposeOther: true) : nil
                gb = c.needsGrad[1] ? a.matmul(g, transposeSelf: true) : nil
            case (true, false):  // C = Aᵀ B
                ga = c.needsGrad[0] ? b.matmul(g, transposeOther: true) : nil
                gb = c.needsGrad[1] ? a.matmul(g) : nil
            case (false, true):  // C = A Bᵀ
                ga = c.needsGrad[0] ? g.matmul(b) : nil
                gb = c.needsGrad[1] ? g.matmul(a, transposeSelf: true) : nil
            case (true, true):  // C = Aᵀ Bᵀ
                ga = c.needsGrad[0] ? b.matmul(g, transposeSelf: true, transposeOther: true) : nil
                gb = c.needsGrad[1] ? g.matmul(a, transposeSelf: true, transposeOther: true) : nil
            }
            return [ga, gb]
        }
    }

    /// x·Wᵀ + b for x [N, in], W [out, in] (PyTorch's nn.Linear layout), b [out].
    ///
    /// - Parameters:
    ///   - weight: W [out, in].
    ///   - bias: b [out], or nil.
    /// - Returns: [N, out].
    public func linear(weight: Tensor, bias: Tensor?) -> Tensor {
        guard let bias, rank == 2, weight.rank == 2, bias.shape == [weight.shape[0]], shape[1] == weight.shape[1],
            dtype == weight.dtype, dtype == bias.dtype
        else {
            let y = matmul(weight, transposeOther: true)
            return bias.map { y + $0 } ?? y
        }
        // One op: the rows start as b and the product is added onto them (gemm with β = 1),
        // instead of a product and then a pass adding b. Equal in floating point: each entry is
        // b + Σ x·w either way.
        let (n, out, k) = (shape[0], weight.shape[0], shape[1])
        let y = Tensor.uninitialized([n, out], dtype)
        func run<T: TensorScalar>(_: T.Type) {
            let (yp, bp) = (y.pointer(T.self), bias.pointer(T.self))
            for r in 0..<n { (yp + r * out).update(from: bp, count: out) }
            guard k > 0 else { return }
            T.gemm(
                transposeA: false, transposeB: true, m: n, n: out, k: k, alpha: 1, a: pointer(T.self), lda: k,
                b: weight.pointer(T.self), ldb: k, beta: 1, c: yp, ldc: out)
        }
        if n * out > 0 { if dtype == .float32 { run(Float.self) } else { run(Double.self) } }
        return Tensor.record("linear", y, [self, weight, bias]) { c in
            let (x, w, g) = (c.inputs[0], c.inputs[1], c.grad)
            return [
                c.needsGrad[0] ? g.matmul(w) : nil, c.needsGrad[1] ? g.matmul(x, transposeSelf: true) : nil,
                c.needsGrad[2] ? g.sum(toShape: [out]) : nil,
            ]
        }
    }

    /// The same matrix times every matrix of a batch: self [M, K] (or [K, M] with
    /// `transposeSelf`) · b_i for b [N, K, P] → [N, M, P]. One GEMM per batch element.
    ///
    /// - Parameters:
    ///   - b: [N, K, P].
    ///   - transposeSelf: use selfᵀ.
    /// - Returns: [N, M, P].
    public func sharedMatmul(_ b: Tensor, transposeSelf: Bool = false) -> Tensor {
        precondition(
            rank == 2 && b.rank == 3 && dtype == b.dtype,
            "sharedMatmul: needs [M, K] and [N, K, P], got \(shape) and \(b.shape)")
        let (m, k) = transposeSelf ? (shape[1], shape[0]) : (shape[0], shape[1])
        precondition(
            b.shape[1] == k, "sharedMatmul: inner dimensions differ: \(shape)\(transposeSelf ? "ᵀ" : "") · \(b.shape)")
        let (n, p) = (b.shape[0], b.shape[2])
        let out = Tensor.uninitialized([n, m, p], dtype)
        func run<T: TensorScalar>(_: T.Type) {
            let a = pointer(T.self)
            let x = b.pointer(T.self)
            let y = out.pointer(T.self)
            if k == 0 {
                y.update(repeating: 0, count: n * m * p)
                return
            }
            let lda = shape[1]
            Parallel.forParts(count: n, grain: Swift.max(1, 4_000_000 / Swift.max(2 * m * k * p, 1))) { _, items in
                for i in items {
                    T.gemm(
                        transposeA: transposeSelf, transposeB: false, m: m, n: p, k: k, alpha: 1, a: a, lda: lda,
                        b: x + i * k * p, ldb: p, beta: 0, c: y + i * m * p, ldc: p)
                }
            }
        }
        if out.count > 0 { if dtype == .float32 { run(Float.self) } else { run(Double.self) } }
        return Tensor.record("sharedMatmul", out, [self, b]) { c in
            let (a, x, g) = (c.inputs[0], c.inputs[1], c.grad)
            // Y_i = A X_i: dA = Σ G_i X_iᵀ, dX_i = Aᵀ G_i. Y_i = Aᵀ X_i: dA = Σ X_i G_iᵀ, dX_i = A G_i.
            let ga = c.needsGrad[0] ? (transposeSelf ? x.batchOuterSum(g) : g.batchOuterSum(x)) : nil
            let gx = c.needsGrad[1] ? a.sharedMatmul(g, transposeSelf: !transposeSelf) : nil
            return [ga, gx]
        }
    }

    /// Σ_i self_i · other_iᵀ for self [N, M, P] and other [N, K, P] → [M, K]: the weight
    /// gradient of `sharedMatmul`, accumulated in one GEMM output.
    ///
    /// - Parameter other: [N, K, P].
    /// - Returns: [M, K].
    public func batchOuterSum(_ other: Tensor) -> Tensor {
        precondition(
            rank == 3 && other.rank == 3 && shape[0] == other.shape[0] && shape[2] == other.shape[2]
                && dtype == other.dtype,
            "batchOuterSum: needs [N, M, P] and [N, K, P], got \(shape) and \(other.shape)")
        let (n, m, p, k) = (shape[0], shape[1], shape[2], other.shape[1])
        let out = Tensor.uninitialized([m, k], dtype)
        func run<T: TensorScalar>(_: T.Type) {
            let g = pointer(T.self)
            let x = other.pointer(T.self)
            let y = out.pointer(T.self)
            y.update(repeating: 0, count: m * k)
            if p == 0 { return }
            // Each part sums its images into its own [M, K] (the first part into the output).
            let grain = Swift.max(1, 4_000_000 / Swift.max(2 * m * k * p, 1))
            let parts = Parallel.parts(count: n, grain: grain)
            let scratch = UnsafeMutablePointer<T>.allocate(capacity: Swift.max(parts - 1, 0) * m * k)
            defer { scratch.deallocate() }
            scratch.update(repeating: 0, count: Swift.max(parts - 1, 0) * m * k)
            Parallel.forParts(count: n, grain: grain) { part, items in
                let sum = part == 0 ? y : scratch + (part - 1) * m * k
                for i in items {
                    T.gemm(
                        transposeA: false, transposeB: true, m: m, n: k, k: p, alpha: 1, a: g + i * m * p, lda: p,
                        b: x + i * k * p, ldb: p, beta: 1, c: sum, ldc: k)
                }
            }
            for part in 0..<Swift.max(parts - 1, 0) {
                for j in 0..<(m * k) { y[j] += scratch[part * m * k + j] }
            }
        }
        if out.count > 0 { if dtype == .float32 { run(Float.self) } else { run(Double.self) } }
        return Tensor.record("batchOuterSum", out, [self, other]) { c in
            let (g, x, s) = (c.inputs[0], c.inputs[1], c.grad)
            // S = Σ G_i X_iᵀ: dG_i = S̄ X_i, dX_i = S̄ᵀ G_i.
            return [
                c.needsGrad[0] ? s.sharedMatmul(x) : nil, c.needsGrad[1] ? s.sharedMatmul(g, transposeSelf: true) : nil,
            ]
        }
    }
}
