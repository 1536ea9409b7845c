/// Kim's text convolution and its max-over-time pooling as one op: for texts x [N, L, D] and
/// F filters of k positions, w [F, k·D],
///
///     out[n, f] = max over p in 0...(L − k) of  Σ_c x[n, p·D + c] · w[f, c]
///
/// (a window of k consecutive positions is k·D consecutive numbers of a text). The maximum
/// is the first maximal position, as `max(axis:)` picks it.
///
/// Composed of im2col, one product and `max(axis:)`, the backward pass multiplies the whole
/// [N·(L−k+1), F] gradient, zero everywhere but at the N·F maxima, into both factors: L−k+1
/// times the work that is needed. Here the weight gradient adds g[n, f] times the winning
/// window to row f, and the input gradient adds g[n, f]·w[f] back onto the winning window;
/// the forward pass copies windows in chunks of texts, never the whole im2col matrix.
///
/// When the backward pass is itself recorded (`createGraph: true`, the inner steps of
/// distillation), it is written with differentiable ops on the gathered winning windows, so
/// gradients of gradients are exact; both forms are checked against finite differences and
/// against each other.
extension Tensor {
    /// - Parameters:
    ///   - filters: w [F, k·D], same dtype as the texts.
    ///   - width: k, the positions a filter spans (1 ≤ k ≤ L).
    /// - Returns: the largest response of each filter in each text, [N, F].
    public func maxWindowResponse(filters w: Tensor, width k: Int) -> Tensor {
        precondition(
            rank == 3 && w.rank == 2 && dtype == w.dtype && k >= 1 && k <= shape[1] && w.shape[1] == k * shape[2],
            "maxWindowResponse: texts \(shape) and filters \(w.shape) of width \(k) should be [N, L ≥ k, D] and [F, k·D]"
        )
        let geometry = WindowGeometry(
            texts: shape[0], length: shape[1], dimension: shape[2], width: k, filters: w.shape[0])
        let out = Tensor.uninitialized([geometry.texts, geometry.filters], dtype)
        var winners = [Int32](repeating: 0, count: geometry.texts * geometry.filters)
        func run<T: TensorScalar>(_: T.Type) {
            winners.withUnsafeMutableBufferPointer { positions in
                guard let won = positions.baseAddress else { return }
                maxWindowForward(pointer(T.self), w.pointer(T.self), geometry, out.pointer(T.self), won)
            }
        }
        if out.count > 0 { if dtype == .float32 { run(Float.self) } else { run(Double.self) } }
        return Tensor.record("maxWindowResponse", out, [self, w]) { [winners] c in
            if GradMode.isEnabled { return maxWindowBackwardRecorded(c, geometry, winners) }
            return maxWindowBackwardFused(c, geometry, winners)
        }
    }
}

/// The sizes of a `maxWindowResponse`.
struct WindowGeometry {
    let texts: Int
    let length: Int
    let dimension: Int
    let width: Int
    let filters: Int
    var positions: Int { length - width + 1 }
    var window: Int { width * dimension }
    /// Flat offset of the window at `position` of text `text`.
    func offset(_ text: Int, _ position: Int32) -> Int { (text * length + Int(position)) * dimension }
}

/// The backward pass with differentiable ops: gather the winning windows [N, F, k·D], then
/// dw = Σ_n g[n, f]·window and dx = the scatter-add of g[n, f]·w[f] onto the windows.
private func maxWindowBackwardRecorded(_ c: BackwardContext, _ g: WindowGeometry, _ winners: [Int32]) -> [Tensor?] {
    let (x, w, grad) = (c.inputs[0], c.inputs[1], c.grad)
    precondition(x.count <= Int(Int32.max), "maxWindowResponse: \(x.shape) is too large for a recorded backward pass")
    var flat = [Int32](repeating: 0, count: g.texts * g.filters * g.window)
    for n in 0..<g.texts {
        for f in 0..<g.filters {
            let start = g.offset(n, winners[n * g.filters + f])
            let row = (n * g.filters + f) * g.window
            for j in 0..<g.window { flat[row + j] = Int32(start + j) }
        }
    }
    let scale = grad.reshaped([g.texts, g.filters, 1])
    let dw =
        c.needsGrad[1]
        ? (scale * x.gather(flatIndices: flat, shape: [g.texts, g.filters, g.window])).sum(axis: 0) : nil
    let dx =
        c.needsGrad[0]
        ? (scale * w.reshaped([1, g.filters, g.window])).scatterAdd(flatIndices: flat, shape: x.shape) : nil
    return [dx, dw]
}

/// The backward pass as kernels: one pass over the N·F winners for each gradient.
private func maxWindowBackwardFused(_ c: BackwardContext, _ g: WindowGeometry, _ winners: [Int32]) -> [Tensor?] {
    let (x, w, grad) = (c.inputs[0], c.inputs[1], c.grad)
    let dw = c.needsGrad[1] ? Tensor.zeros(w.shape, dtype: w.dtype) : nil
    let dx = c.needsGrad[0] ? Tensor.zeros(x.shape, dtype: x.dtype) : nil
    func run<T: TensorScalar>(_: T.Type) {
        let (xp, wp, gp) = (x.pointer(T.self), w.pointer(T.self), grad.pointer(T.self))
        let work = Swift.max(1, g.texts * g.window)
        winners.withUnsafeBufferPointer { won in
            if let dw {
                // Each part owns a range of filters (rows of dw).
                let out = dw.pointer(T.self)
                Parallel.forParts(count: g.filters, grain: Swift.max(1, 2_000_000 / work)) { _, filters in
                    for f in filters {
                        let row = out + f * g.window
                        for n in 0..<g.texts {
                            let s = gp[n * g.filters + f]
                            let src = xp + g.offset(n, won[n * g.filters + f])
                            for j in 0..<g.window { row[j] += s * src[j] }
                        }
                    }
                }
            }
            if let dx {
                // Each part owns a range of texts.
                let out = dx.pointer(T.self)
                Parallel.forParts(count: g.texts, grain: Swift.max(1, 2_000_000 / Swift.max(1, g.filters * g.window))) {
                    _, texts in
                    for n in texts {
                        for f in 0..<g.filters {
                            let s = gp[n * g.filters + f]
                            let (dst, src) = (out + g.offset(n, won[n * g.filters + f]), wp + f * g.window)
                            for j in 0..<g.window { dst[j] += s * src[j] }
                        }
                    }
                }
            }
        }
    }
    if x.dtype == .float32 { run(Float.self) } else { run(Double.self) }
    return [dx, dw]
}

/// Responses of chunks of texts (windows copied into a scratch matrix, one product with the
/// filters), then the first maximum of each filter over the positions.
private func maxWindowForward<T: TensorScalar>(
    _ x: UnsafePointer<T>, _ w: UnsafePointer<T>, _ g: WindowGeometry, _ out: UnsafeMutablePointer<T>,
    _ winners: UnsafeMutablePointer<Int32>
) {
    let chunk = Swift.max(1, 2048 / g.positions)  // texts per product: about 2,048 rows
    let flopsPerText = Swift.max(1, 2 * g.positions * g.window * g.filters)
    Parallel.forParts(count: g.texts, grain: Swift.max(1, 4_000_000 / flopsPerText)) { _, texts in
        let rows = chunk * g.positions
        let windows = UnsafeMutablePointer<T>.allocate(capacity: rows * g.window)
        let responses = UnsafeMutablePointer<T>.allocate(capacity: rows * g.filters)
        defer {
            windows.deallocate()
            responses.deallocate()
        }
        for start in stride(from: texts.lowerBound, to: texts.upperBound, by: chunk) {
            let count = Swift.min(chunk, texts.upperBound - start)
            for t in 0..<count {
                for p in 0..<g.positions {
                    (windows + (t * g.positions + p) * g.window).update(
                        from: x + g.offset(start + t, Int32(p)), count: g.window)
                }
            }
            T.gemm(
                transposeA: false, transposeB: true, m: count * g.positions, n: g.filters, k: g.window, alpha: 1,
                a: windows, lda: g.window, b: w, ldb: g.window, beta: 0, c: responses, ldc: g.filters)
            for t in 0..<count {
                let (best, won) = (out + (start + t) * g.filters, winners + (start + t) * g.filters)
                let first = responses + t * g.positions * g.filters
                best.update(from: first, count: g.filters)
                won.update(repeating: 0, count: g.filters)
                for p in 1..<g.positions {
                    let r = first + p * g.filters
                    for f in 0..<g.filters where r[f] > best[f] {
                        best[f] = r[f]
                        won[f] = Int32(p)
                    }
                }
            }
        }
    }
}
