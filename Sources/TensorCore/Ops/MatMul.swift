/// Matrix product through BLAS gemm, with transposes folded into the call.
extension Tensor {
    /// op(self) · op(other) for 2-D tensors, where op transposes when asked.
    public func matmul(_ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false) -> Tensor {
        precondition(rank == 2 && other.rank == 2 && dtype == other.dtype,
                     "matmul: needs two 2-D tensors of one dtype, got \(shape) (\(dtype)) and \(other.shape) (\(other.dtype))")
        let (m, k) = transposeSelf ? (shape[1], shape[0]) : (shape[0], shape[1])
        let (k2, n) = transposeOther ? (other.shape[1], other.shape[0]) : (other.shape[0], other.shape[1])
        precondition(k == k2, "matmul: inner dimensions differ: \(shape)\(transposeSelf ? "ᵀ" : "") · \(other.shape)\(transposeOther ? "ᵀ" : "")")
        let out = Tensor.uninitialized([m, n], dtype)
        func run<T: TensorScalar>(_: T.Type) {
            if k == 0 { out.pointer(T.self).update(repeating: 0, count: m * n); return }
            T.gemm(transposeA: transposeSelf, transposeB: transposeOther, m: m, n: n, k: k, alpha: 1,
                   a: pointer(T.self), lda: shape[1], b: other.pointer(T.self), ldb: other.shape[1],
                   beta: 0, c: out.pointer(T.self), ldc: n)
        }
        if m * n > 0 { if dtype == .float32 { run(Float.self) } else { run(Double.self) } }
        return Tensor.record("matmul", out, [self, other]) { c in
            let (a, b, g) = (c.inputs[0], c.inputs[1], c.grad)
            let ga: Tensor?, gb: Tensor?
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
    public func linear(weight: Tensor, bias: Tensor?) -> Tensor {
        let y = matmul(weight, transposeOther: true)
        return bias.map { y + $0 } ?? y
    }
}
