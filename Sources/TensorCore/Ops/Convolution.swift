/// Convolution as im2col + one GEMM, in PyTorch's layouts (NCHW input, [F, C, kh, kw] weight).
extension Tensor {
    /// The geometry of a convolution over this [N, C, H, W] tensor; stops with a message naming
    /// `op` and the shapes when the kernel, stride or padding do not fit.
    func convGeometry(_ op: String, kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int)) -> ConvGeometry {
        precondition(rank == 4, "\(op): needs [N, C, H, W], got \(shape)")
        let g = ConvGeometry(
            n: shape[0], c: shape[1], h: shape[2], w: shape[3], kh: kernel.0, kw: kernel.1,
            sh: stride.0, sw: stride.1, ph: padding.0, pw: padding.1)
        precondition(
            g.kh > 0 && g.kw > 0 && g.sh > 0 && g.sw > 0 && g.ph >= 0 && g.pw >= 0
                && g.h + 2 * g.ph >= g.kh && g.w + 2 * g.pw >= g.kw,
            "\(op): kernel \(kernel), stride \(stride), padding \(padding) do not fit input \(shape)")
        return g
    }

    /// Receptive fields of x [N, C, H, W] as rows: [N, outH·outW, C·kh·kw] (see `im2col`).
    ///
    /// - Parameters:
    ///   - kernel: (kh, kw).
    ///   - stride: (vertical, horizontal).
    ///   - padding: zero rows and columns on each side.
    /// - Returns: [N, outH·outW, C·kh·kw], one row per output position.
    public func im2col(kernel: (Int, Int), stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0)) -> Tensor {
        let g = convGeometry("im2col", kernel: kernel, stride: stride, padding: padding)
        let out = Tensor.uninitialized([g.n, g.outH * g.outW, g.patch], dtype)
        func run<T: TensorScalar>(_: T.Type) { TensorCore.im2col(pointer(T.self), g, out.pointer(T.self)) }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        return Tensor.record("im2col", out, [self]) { c in [c.grad.col2im(g)] }
    }

    /// The adjoint of `im2col`: rows scatter-added back into an image.
    func col2im(_ g: ConvGeometry) -> Tensor {
        precondition(shape == [g.n, g.outH * g.outW, g.patch], "col2im: columns \(shape) do not match geometry \(g)")
        let out = Tensor.uninitialized([g.n, g.c, g.h, g.w], dtype)
        func run<T: TensorScalar>(_: T.Type) { TensorCore.col2im(pointer(T.self), g, out.pointer(T.self)) }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        return Tensor.record("col2im", out, [self]) { c in
            [c.grad.im2col(kernel: (g.kh, g.kw), stride: (g.sh, g.sw), padding: (g.ph, g.pw))]
        }
    }

    /// Receptive fields of x [N, C, H, W] in the planar layout [N, C·kh·kw, outH·outW] (see
    /// `im2colPlanar`): what a per-image product W · cols_b turns into an [F, outH·outW] image.
    ///
    /// - Parameters:
    ///   - kernel: (kh, kw).
    ///   - stride: (vertical, horizontal).
    ///   - padding: zero rows and columns on each side.
    /// - Returns: [N, C·kh·kw, outH·outW].
    public func im2colPlanar(kernel: (Int, Int), stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0)) -> Tensor {
        let g = convGeometry("im2colPlanar", kernel: kernel, stride: stride, padding: padding)
        let out = Tensor.uninitialized([g.n, g.patch, g.outH * g.outW], dtype)
        func run<T: TensorScalar>(_: T.Type) {
            let (x, y) = (pointer(T.self), out.pointer(T.self))
            Parallel.forParts(count: g.n, grain: Swift.max(1, 65_536 / Swift.max(out.count / Swift.max(g.n, 1), 1))) {
                _, images in
                TensorCore.im2colPlanar(x, g, y, batch: images)
            }
        }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        return Tensor.record("im2colPlanar", out, [self]) { c in [c.grad.col2imPlanar(g)] }
    }

    /// The adjoint of `im2colPlanar`.
    func col2imPlanar(_ g: ConvGeometry) -> Tensor {
        precondition(
            shape == [g.n, g.patch, g.outH * g.outW], "col2imPlanar: columns \(shape) do not match geometry \(g)")
        let out = Tensor.uninitialized([g.n, g.c, g.h, g.w], dtype)
        func run<T: TensorScalar>(_: T.Type) {
            let (x, y) = (pointer(T.self), out.pointer(T.self))
            Parallel.forParts(count: g.n, grain: Swift.max(1, 65_536 / Swift.max(count / Swift.max(g.n, 1), 1))) {
                _, images in
                TensorCore.col2imPlanar(x, g, y, batch: images)
            }
        }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        return Tensor.record("col2imPlanar", out, [self]) { c in
            [c.grad.im2colPlanar(kernel: (g.kh, g.kw), stride: (g.sh, g.sw), padding: (g.ph, g.pw))]
        }
    }

    /// 2-D convolution (cross-correlation, as PyTorch's Conv2d): x [N, C, H, W],
    /// weight [F, C, kh, kw], bias [F] → [N, F, outH, outW].
    ///
    /// - Parameters:
    ///   - weight: [F, C, kh, kw].
    ///   - bias: [F], or nil.
    ///   - stride: (vertical, horizontal).
    ///   - padding: zero rows and columns added on each side.
    /// - Returns: [N, F, outH, outW] (im2col, then BLAS gemm).
    public func conv2d(weight: Tensor, bias: Tensor? = nil, stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0))
        -> Tensor
    {
        precondition(
            rank == 4 && weight.rank == 4 && weight.shape[1] == shape[1],
            "conv2d: input \(shape) and weight \(weight.shape) do not match ([N, C, H, W] and [F, C, kh, kw])")
        let f = weight.shape[0]
        // In chunks of images, each W [F, C·kh·kw] · cols [C·kh·kw, images·P] (ChunkedConvolution.swift).
        let y = convolvedInChunks(weight, stride: stride, padding: padding)
        guard let bias else { return y }
        precondition(bias.shape == [f], "conv2d: bias \(bias.shape) should be [\(f)]")
        return y + bias.reshaped([f, 1, 1])
    }

    /// 1-D convolution: x [N, C, L], weight [F, C, k], bias [F] → [N, F, outL].
    ///
    /// - Parameters:
    ///   - weight: [F, C, k].
    ///   - bias: [F], or nil.
    ///   - stride: the step between windows.
    ///   - padding: zeros on each side.
    /// - Returns: [N, F, outL].
    public func conv1d(weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0) -> Tensor {
        precondition(
            rank == 3 && weight.rank == 3,
            "conv1d: needs x [N, C, L] and weight [F, C, k], got \(shape) and \(weight.shape)")
        let y = reshaped([shape[0], shape[1], 1, shape[2]])
            .conv2d(
                weight: weight.reshaped([weight.shape[0], weight.shape[1], 1, weight.shape[2]]), bias: bias,
                stride: (1, stride), padding: (0, padding))
        return y.reshaped([y.shape[0], y.shape[1], y.shape[3]])
    }
}
