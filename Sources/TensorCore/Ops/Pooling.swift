/// Pooling over the spatial dimensions of [N, C, H, W].
extension Tensor {
    /// 2-D max-pooling without padding (stride defaults to the kernel). The gradient goes to
    /// the first maximum of each window.
    public func maxPool2d(kernel: (Int, Int), stride: (Int, Int)? = nil) -> Tensor {
        precondition(rank == 4, "maxPool2d: needs [N, C, H, W], got \(shape)")
        let s = stride ?? kernel
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        precondition(kernel.0 > 0 && kernel.1 > 0 && s.0 > 0 && s.1 > 0 && h >= kernel.0 && w >= kernel.1,
                     "maxPool2d: kernel \(kernel), stride \(s) do not fit input \(shape)")
        let (oh, ow) = ((h - kernel.0) / s.0 + 1, (w - kernel.1) / s.1 + 1)
        let index: [Int32]
        switch dtype {
        case .float32: index = maxPoolIndices(pointer(Float.self), n: n, c: c, h: h, w: w, kernel: kernel, stride: s, outH: oh, outW: ow)
        case .float64: index = maxPoolIndices(pointer(Double.self), n: n, c: c, h: h, w: w, kernel: kernel, stride: s, outH: oh, outW: ow)
        }
        return gather(flatIndices: index, shape: [n, c, oh, ow])
    }
}
