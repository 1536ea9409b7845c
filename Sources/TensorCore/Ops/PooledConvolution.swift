/// A convolution followed by max-pooling, x [N, C, H, W] ⋆ w [F, C, kh, kw] then the maximum of
/// each q × q window (stride q, no padding, rows and columns left over dropped), as one op:
/// equal, value for value and gradient for gradient, to `conv2d(weight:)` then
/// `maxPool2d(kernel: (q, q))`.
///
/// LeNet pools every convolution. Composed, the first layer on 1,024 MNIST digits writes the
/// whole [N, 6, 28, 28] response (19 MB), reads it back to find each window's maximum, gathers
/// the maxima, and in the backward pass scatters their gradient into a zero response that the
/// convolution's backward copies chunk by chunk. Here each chunk of the convolution (see
/// `ChunkedConvolution.swift`) is pooled while its responses are in cache, and the backward
/// pass writes the window maxima's gradients straight into the chunk's rows.
///
/// A recorded backward pass (`createGraph: true`) replays the composed convolution and gathers
/// the same maxima, so gradients of gradients are exact.
extension Tensor {
    /// `conv2d(weight:padding:)` then `maxPool2d(kernel: pool)`, without the full response.
    ///
    /// - Parameters:
    ///   - weight: [F, C, kh, kw].
    ///   - padding: zero rows and columns added on each side before convolving (stride 1).
    ///   - pool: the window of the max-pooling, which is also its stride.
    /// - Returns: [N, F, outH / pool.0, outW / pool.1]; ties go to the first element of a window
    ///   in row-major order, as in `maxPool2d`.
    public func conv2dMaxPooled(weight w: Tensor, padding: (Int, Int) = (0, 0), pool: (Int, Int)) -> Tensor {
        precondition(
            rank == 4 && w.rank == 4 && w.shape[1] == shape[1] && dtype == w.dtype,
            "conv2dMaxPooled: input \(shape) and weight \(w.shape) do not match ([N, C, H, W] and [F, C, kh, kw])")
        let g = convGeometry("conv2dMaxPooled", kernel: (w.shape[2], w.shape[3]), stride: (1, 1), padding: padding)
        precondition(
            pool.0 > 0 && pool.1 > 0 && g.outH >= pool.0 && g.outW >= pool.1,
            "conv2dMaxPooled: pool \(pool) does not fit the \(g.outH)×\(g.outW) response of input \(shape)")
        let plan = ConvChunks(geometry: g, filters: w.shape[0])
        let windows = PoolWindows(height: g.outH, width: g.outW, pool: pool)
        precondition(
            g.n * plan.filters * plan.positions < Int(Int32.max), "conv2dMaxPooled: response of \(shape) too large")
        let out = Tensor.uninitialized([g.n, plan.filters, windows.outH, windows.outW], dtype)
        var index = [Int32](repeating: 0, count: out.count)
        func run<T: TensorScalar>(_: T.Type) {
            let y = out.pointer(T.self)
            index.withUnsafeMutableBufferPointer { index in
                guard let winners = index.baseAddress else { return }
                plan.forward(pointer(T.self), w.pointer(T.self)) { batch, rows, width in
                    for (i, b) in batch.enumerated() {
                        for f in 0..<plan.filters {
                            let plane = b * plan.filters + f
                            windows.pool(
                                rows + f * width + i * plan.positions, base: plane * plan.positions,
                                values: y + plane * windows.count, winners: winners + plane * windows.count)
                        }
                    }
                }
            }
        }
        if out.count > 0 { if dtype == .float32 { run(Float.self) } else { run(Double.self) } }
        // The backward rule must not capture `out`: the output owns its node, and so the rule.
        let (winners, pooled) = (index, out.shape)
        return Tensor.record("conv2dMaxPooled", out, [self, w]) { c in
            let (x, w) = (c.inputs[0], c.inputs[1])
            if GradMode.isEnabled {
                return c.replaying { xw in plan.composed(xw[0], xw[1]).gather(flatIndices: winners, shape: pooled) }
            }
            let dx = c.needsGrad[0] ? Tensor.uninitialized(x.shape, x.dtype) : nil
            let dw = Tensor.uninitialized(w.shape, w.dtype)
            func back<T: TensorScalar>(_: T.Type) {
                let g = c.grad.pointer(T.self)
                plan.backward(x.pointer(T.self), w.pointer(T.self), dx?.pointer(T.self), dw.pointer(T.self)) {
                    batch, rows, width in
                    rows.update(repeating: 0, count: plan.filters * width)
                    for (i, b) in batch.enumerated() {
                        for f in 0..<plan.filters {
                            let plane = b * plan.filters + f
                            let (row, base) = (rows + f * width + i * plan.positions, plane * plan.positions)
                            for q in (plane * windows.count)..<((plane + 1) * windows.count) {
                                row[Int(winners[q]) - base] = g[q]
                            }
                        }
                    }
                }
            }
            if x.dtype == .float32 { back(Float.self) } else { back(Double.self) }
            return [dx, c.needsGrad[1] ? dw : nil]
        }
    }
}
