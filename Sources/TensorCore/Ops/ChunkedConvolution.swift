import CTensorSupport

/// 2-D convolution without bias, x [N, C, H, W] ⋆ w [F, C, kh, kw] → [N, F, outH, outW], as one
/// op that works through the batch a few images at a time.
///
/// Composed of ops (`im2colPlanar`, then `sharedMatmul`), a convolution writes the receptive
/// fields of the whole batch (LeNet's first layer on 1,024 MNIST digits: 80 MB), reads them
/// back for the weight gradient, and takes that gradient as one tiny product per image. Here
/// each chunk's receptive fields go into a scratch matrix that stays in cache,
/// [C·kh·kw, images·outH·outW], and are multiplied with the filters once; the backward pass
/// rebuilds them per chunk and takes the chunk's weight gradient and input gradient as one
/// product each. Chunks are spread over the cores. Float32 convolutions with few taps and
/// stride 1 (LeNet's) skip the receptive fields: direct kernels (`direct_conv.c`, see
/// `ConvChunks.isDirect`) compute each image's responses, weight gradient and input gradient.
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
        func run<T: TensorScalar>(_: T.Type) {
            let y = out.pointer(T.self)
            plan.forward(pointer(T.self), w.pointer(T.self)) { batch, rows, width in
                plan.scatterRows(rows, width: width, batch: batch, into: y)
            }
        }
        if out.count > 0 { if dtype == .float32 { run(Float.self) } else { run(Double.self) } }
        return Tensor.record("conv2d", out, [self, w]) { c in
            let (x, w) = (c.inputs[0], c.inputs[1])
            if GradMode.isEnabled {
                return c.replaying { xw in plan.composed(xw[0], xw[1]) }
            }
            let dx = c.needsGrad[0] ? Tensor.uninitialized(x.shape, x.dtype) : nil
            let dw = Tensor.uninitialized(w.shape, w.dtype)
            func back<T: TensorScalar>(_: T.Type) {
                let g = c.grad.pointer(T.self)
                plan.backward(x.pointer(T.self), w.pointer(T.self), dx?.pointer(T.self), dw.pointer(T.self)) {
                    batch, rows, width in plan.gatherRows(g, batch: batch, into: rows, width: width)
                }
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

    /// The same convolution as differentiable ops, [N, F, outH, outW]: what a recorded
    /// backward pass replays.
    func composed(_ x: Tensor, _ w: Tensor) -> Tensor {
        let g = geometry
        return w.reshaped([filters, -1]).sharedMatmul(
            x.im2colPlanar(kernel: (g.kh, g.kw), stride: (g.sh, g.sw), padding: (g.ph, g.pw))
        ).reshaped([g.n, filters, g.outH, g.outW])
    }

    /// Each chunk's outputs, [F, images·P] (row f holds the chunk's images side by side), handed
    /// to `emit(images, rows, width)` while they are in cache: `scatterRows` copies them into
    /// [N, F, outH, outW]; the pooled convolution pools them instead.
    func forward<T: TensorScalar>(
        _ x: UnsafePointer<T>, _ w: UnsafePointer<T>,
        emit: (Range<Int>, UnsafeMutablePointer<T>, Int) -> Void
    ) {
        let (p, k) = (positions, geometry.patch)
        Parallel.forParts(count: chunks, grain: grain) { _, part in
            withScratch(T.self) { cols, y, pad in
                for index in part {
                    let batch = images(index)
                    let width = batch.count * p
                    if isDirect(T.self) {
                        let (g, image) = (directGeometry, geometry.c * geometry.h * geometry.w)
                        for (i, b) in batch.enumerated() {
                            td_conv_forward_f32(
                                floats(x) + b * image, g.c, g.h * g.w, g.h, g.w, floats(w), g.f, g.kh, g.kw, g.ph, g.pw,
                                floats(y) + i * p, Int64(width), pad)
                        }
                    } else {
                        im2colPlanar(x, geometry, cols, batch: batch, layout: (p, width))
                        T.gemm(
                            transposeA: false, transposeB: false, m: filters, n: width, k: k, alpha: 1, a: w,
                            lda: k, b: cols, ldb: width, beta: 0, c: y, ldc: width)
                    }
                    emit(batch, y, width)
                }
            }
        }
    }

    /// A chunk's rows [F, images·P] into their places in [N, F, outH, outW].
    func scatterRows<T: TensorScalar>(
        _ rows: UnsafePointer<T>, width: Int, batch: Range<Int>, into out: UnsafeMutablePointer<T>
    ) {
        let p = positions
        for (i, b) in batch.enumerated() {
            for f in 0..<filters { (out + (b * filters + f) * p).update(from: rows + f * width + i * p, count: p) }
        }
    }

    /// The inverse of `scatterRows`: a chunk's part of [N, F, outH, outW] as rows [F, images·P].
    func gatherRows<T: TensorScalar>(
        _ g: UnsafePointer<T>, batch: Range<Int>, into rows: UnsafeMutablePointer<T>, width: Int
    ) {
        let p = positions
        for (i, b) in batch.enumerated() {
            for f in 0..<filters { (rows + f * width + i * p).update(from: g + (b * filters + f) * p, count: p) }
        }
    }

    /// dw (always) and dx (when asked); `fill(images, rows, width)` writes a chunk's output
    /// gradient as rows [F, images·P] (`gatherRows`, or the pooled convolution's scatter to
    /// its window maxima).
    func backward<T: TensorScalar>(
        _ x: UnsafePointer<T>, _ w: UnsafePointer<T>, _ dx: UnsafeMutablePointer<T>?, _ dw: UnsafeMutablePointer<T>,
        fill: (Range<Int>, UnsafeMutablePointer<T>, Int) -> Void
    ) {
        let (p, k) = (positions, geometry.patch)
        let parts = Parallel.parts(count: chunks, grain: grain)
        // Each part sums its chunks' weight gradients into its own [F, K] (the first into dw).
        let sums = UnsafeMutablePointer<T>.allocate(capacity: Swift.max(parts - 1, 0) * filters * k)
        defer { sums.deallocate() }
        let flipped = dx != nil && isDirect(T.self) ? flippedFilters(floats(w)) : nil
        defer { flipped?.deallocate() }
        Parallel.forParts(count: chunks, grain: grain) { part, range in
            let sum = part == 0 ? dw : sums + (part - 1) * filters * k
            sum.update(repeating: 0, count: filters * k)
            // The direct kernels' 16 partial sums per weight, summed once at the end of the part.
            let lanes = UnsafeMutablePointer<Float>.allocate(capacity: isDirect(T.self) ? filters * k * 16 : 1)
            defer { lanes.deallocate() }
            if isDirect(T.self) { lanes.update(repeating: 0, count: filters * k * 16) }
            defer { if isDirect(T.self) { td_conv_sum_lanes_f32(lanes, Int64(filters * k), floats(sum)) } }
            withScratch(T.self) { cols, gy, pad in
                for index in range {
                    let batch = images(index)
                    let width = batch.count * p
                    fill(batch, gy, width)
                    if isDirect(T.self) {
                        let (g, image) = (directGeometry, geometry.c * geometry.h * geometry.w)
                        for (i, b) in batch.enumerated() {
                            td_conv_weight_grad_f32(
                                floats(x) + b * image, g.c, g.h * g.w, g.h, g.w, floats(gy) + i * p, Int64(width), g.f,
                                g.kh, g.kw, g.ph, g.pw, lanes, pad)
                        }
                    } else {
                        im2colPlanar(x, geometry, cols, batch: batch, layout: (p, width))
                        T.gemm(
                            transposeA: false, transposeB: true, m: filters, n: k, k: width, alpha: 1, a: gy,
                            lda: width, b: cols, ldb: width, beta: 1, c: sum, ldc: k)
                    }
                    guard let dx else { continue }
                    if let flipped {
                        // dx: the output gradient convolved with the flipped, transposed filters.
                        let (g, image) = (directGeometry, geometry.c * geometry.h * geometry.w)
                        for (i, b) in batch.enumerated() {
                            td_conv_forward_f32(
                                floats(gy) + i * p, g.f, Int64(width), g.oh, g.ow, flipped, g.c, g.kh, g.kw,
                                g.kh - 1 - g.ph, g.kw - 1 - g.pw, floats(dx) + b * image, g.h * g.w, pad)
                        }
                        continue
                    }
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

    /// Float32, stride 1, few taps (C·kh·kw and F·kh·kw at most TD_CONV_MAX_TAPS), padding
    /// under the kernel and rows of at least 8 outputs (LeNet's layers): the direct kernels of
    /// `direct_conv.c` instead of receptive fields and products whose small sides keep BLAS far
    /// from its peak. They add in another order: equal up to rounding.
    func isDirect<T: TensorScalar>(_: T.Type) -> Bool {
        let g = geometry
        let most = Int(TD_CONV_MAX_TAPS)
        return T.self == Float.self && g.sh == 1 && g.sw == 1 && g.c * g.kh * g.kw <= most
            && filters * g.kh * g.kw <= most && g.ph < g.kh && g.pw < g.kw && g.outW >= 8
    }

    /// The geometry as the direct kernels take it.
    private var directGeometry:
        (c: Int64, h: Int64, w: Int64, f: Int64, kh: Int64, kw: Int64, ph: Int64, pw: Int64, oh: Int64, ow: Int64)
    {
        let g = geometry
        return (
            Int64(g.c), Int64(g.h), Int64(g.w), Int64(filters), Int64(g.kh), Int64(g.kw), Int64(g.ph), Int64(g.pw),
            Int64(g.outH), Int64(g.outW)
        )
    }

    /// w [F, C, kh, kw] as [C, F, kh, kw] turned by 180°: the filters of the input gradient.
    private func flippedFilters(_ w: UnsafePointer<Float>) -> UnsafeMutablePointer<Float> {
        let (c, kh, kw) = (geometry.c, geometry.kh, geometry.kw)
        let out = UnsafeMutablePointer<Float>.allocate(capacity: filters * c * kh * kw)
        for f in 0..<filters {
            for ch in 0..<c {
                for i in 0..<kh {
                    for j in 0..<kw {
                        out[((ch * filters + f) * kh + kh - 1 - i) * kw + kw - 1 - j] =
                            w[((f * c + ch) * kh + i) * kw + j]
                    }
                }
            }
        }
        return out
    }

    /// Runs `body` with one part's scratch: a chunk's receptive fields [C·kh·kw, images·P] (the
    /// products' path only), its [F, images·P] outputs (or output gradients), and the padded
    /// image of the direct kernels (their path only).
    private func withScratch<T: TensorScalar>(
        _: T.Type, _ body: (UnsafeMutablePointer<T>, UnsafeMutablePointer<T>, UnsafeMutablePointer<Float>) -> Void
    ) {
        let g = geometry
        let cols = UnsafeMutablePointer<T>.allocate(capacity: isDirect(T.self) ? 1 : g.patch * chunk * positions)
        let rows = UnsafeMutablePointer<T>.allocate(capacity: filters * chunk * positions)
        let d = directGeometry
        let padded =
            isDirect(T.self)
            ? Int(
                Swift.max(
                    td_conv_scratch_count(d.c, d.h, d.w, d.kh, d.kw, d.ph, d.pw),
                    td_conv_scratch_count(d.f, d.oh, d.ow, d.kh, d.kw, d.kh - 1 - d.ph, d.kw - 1 - d.pw))) : 1
        let pad = UnsafeMutablePointer<Float>.allocate(capacity: padded)
        defer {
            cols.deallocate()
            rows.deallocate()
            pad.deallocate()
        }
        body(cols, rows, pad)
    }
}

/// A float32 buffer seen as such (callers have checked `T.self == Float.self`).
private func floats<T>(_ p: UnsafePointer<T>) -> UnsafePointer<Float> {
    UnsafeRawPointer(p).assumingMemoryBound(to: Float.self)
}

private func floats<T>(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<Float> {
    UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
}
