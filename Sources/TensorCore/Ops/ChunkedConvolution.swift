/// 2-D convolution without bias, x [N, C, H, W] ⋆ w [F, C, kh, kw] → [N, F, outH, outW], as one
/// op that works through the batch a few images at a time.
///
/// Composed of ops (`im2colPlanar`, then `sharedMatmul`), a convolution writes the receptive
/// fields of the whole batch (LeNet's first layer on 1,024 MNIST digits: 80 MB), reads them
/// back for the weight gradient, and takes that gradient as one tiny product per image. Here
/// each chunk's receptive fields go into a scratch matrix that stays in cache,
/// [C·kh·kw, images·outH·outW], and are multiplied with the filters once; the backward pass
/// rebuilds them per chunk and takes the chunk's weight gradient and input gradient as one
/// product each. Chunks are spread over the cores.
///
/// When the backward pass is itself recorded (`createGraph: true`), it replays the composed
/// convolution and differentiates that with a recorded graph, so gradients of gradients are
/// exact. Both forms are checked against finite differences and each other.
extension Tensor {
    func convolvedInChunks(_ w: Tensor, stride: (Int, Int), padding: (Int, Int)) -> Tensor {
        precondition(
            rank == 4 && w.rank == 4 && w.shape[1] == shape[1] && dtype == w.dtype,
            "conv2d: input \(shape) and weight \(w.shape) do not match ([N, C, H, W] and [F, C, kh, kw])")
        let g = convGeometry("conv2d", kernel: (w.shape[2], w.shape[3]), stride: stride, padding: padding)
        let plan = ConvChunks(geometry: g, filters: w.shape[0])
        let out = Tensor.uninitialized([g.n, plan.filters, g.outH, g.outW], dtype)
        func run<T: TensorScalar>(_: T.Type) { plan.forward(pointer(T.self), w.pointer(T.self), out.pointer(T.self)) }
        if out.count > 0 { if dtype == .float32 { run(Float.self) } else { run(Double.self) } }
        return Tensor.record("conv2d", out, [self, w]) { c in
            let (x, w) = (c.inputs[0], c.inputs[1])
            if GradMode.isEnabled {
                return c.replaying { xw in
                    xw[1].reshaped([plan.filters, -1]).sharedMatmul(
                        xw[0].im2colPlanar(kernel: (g.kh, g.kw), stride: stride, padding: padding)
                    ).reshaped(c.output.shape)
                }
            }
            let dx = c.needsGrad[0] ? Tensor.uninitialized(x.shape, x.dtype) : nil
            let dw = Tensor.uninitialized(w.shape, w.dtype)
            func back<T: TensorScalar>(_: T.Type) {
                plan.backward(
                    x.pointer(T.self), w.pointer(T.self), c.grad.pointer(T.self), dx?.pointer(T.self),
                    dw.pointer(T.self))
            }
            if x.dtype == .float32 { back(Float.self) } else { back(Double.self) }
            return [dx, c.needsGrad[1] ? dw : nil]
        }
    }
}

/// How a convolution is cut into chunks of images, and its kernels.
struct ConvChunks {
    let geometry: ConvGeometry
    let filters: Int
    var positions: Int { geometry.outH * geometry.outW }
    /// Images per chunk: receptive fields of about 192k numbers (under 1 MB in float32).
    var chunk: Int { Swift.max(1, Swift.min(geometry.n, 196_608 / Swift.max(1, geometry.patch * positions))) }
    /// Chunks per part of the parallel loop: a part should be well above 100 µs of work.
    var grain: Int { Swift.max(1, 2_000_000 / Swift.max(1, 2 * filters * geometry.patch * positions * chunk)) }
    var chunks: Int { (geometry.n + chunk - 1) / chunk }

    func images(_ k: Int) -> Range<Int> { (k * chunk)..<Swift.min(geometry.n, (k + 1) * chunk) }

    func forward<T: TensorScalar>(_ x: UnsafePointer<T>, _ w: UnsafePointer<T>, _ out: UnsafeMutablePointer<T>) {
        let (p, k) = (positions, geometry.patch)
        Parallel.forParts(count: chunks, grain: grain) { _, part in
            withScratch(T.self) { cols, y in
                for index in part {
                    let batch = images(index)
                    let width = batch.count * p
                    im2colPlanar(x, geometry, cols, batch: batch, layout: (p, width))
                    T.gemm(
                        transposeA: false, transposeB: false, m: filters, n: width, k: k, alpha: 1, a: w,
                        lda: k, b: cols, ldb: width, beta: 0, c: y, ldc: width)
                    for (i, b) in batch.enumerated() {
                        for f in 0..<filters {
                            (out + (b * filters + f) * p).update(from: y + f * width + i * p, count: p)
                        }
                    }
                }
            }
        }
    }

    /// dw (always) and dx (when asked) for the output gradient g.
    func backward<T: TensorScalar>(
        _ x: UnsafePointer<T>, _ w: UnsafePointer<T>, _ g: UnsafePointer<T>, _ dx: UnsafeMutablePointer<T>?,
        _ dw: UnsafeMutablePointer<T>
    ) {
        let (p, k) = (positions, geometry.patch)
        let parts = Parallel.parts(count: chunks, grain: grain)
        // Each part sums its chunks' weight gradients into its own [F, K] (the first into dw).
        let sums = UnsafeMutablePointer<T>.allocate(capacity: Swift.max(parts - 1, 0) * filters * k)
        defer { sums.deallocate() }
        Parallel.forParts(count: chunks, grain: grain) { part, range in
            let sum = part == 0 ? dw : sums + (part - 1) * filters * k
            sum.update(repeating: 0, count: filters * k)
            withScratch(T.self) { cols, gy in
                for index in range {
                    let batch = images(index)
                    let width = batch.count * p
                    for (i, b) in batch.enumerated() {
                        for f in 0..<filters {
                            (gy + f * width + i * p).update(from: g + (b * filters + f) * p, count: p)
                        }
                    }
                    im2colPlanar(x, geometry, cols, batch: batch, layout: (p, width))
                    T.gemm(
                        transposeA: false, transposeB: true, m: filters, n: k, k: width, alpha: 1, a: gy, lda: width,
                        b: cols, ldb: width, beta: 1, c: sum, ldc: k)
                    guard let dx else { continue }
                    T.gemm(
                        transposeA: true, transposeB: false, m: k, n: width, k: filters, alpha: 1, a: w, lda: k, b: gy,
                        ldb: width, beta: 0, c: cols, ldc: width)
                    col2imPlanar(cols, geometry, dx, batch: batch, layout: (p, width))
                }
            }
        }
        for part in 0..<Swift.max(parts - 1, 0) {
            let s = sums + part * filters * k
            for j in 0..<(filters * k) { dw[j] += s[j] }
        }
    }

    /// Runs `body` with one part's scratch: a chunk's receptive fields [C·kh·kw, images·P] and
    /// its [F, images·P] outputs (or output gradients).
    private func withScratch<T: TensorScalar>(
        _: T.Type, _ body: (UnsafeMutablePointer<T>, UnsafeMutablePointer<T>) -> Void
    ) {
        let cols = UnsafeMutablePointer<T>.allocate(capacity: geometry.patch * chunk * positions)
        let rows = UnsafeMutablePointer<T>.allocate(capacity: filters * chunk * positions)
        defer {
            cols.deallocate()
            rows.deallocate()
        }
        body(cols, rows)
    }
}
