/// Pooling over the spatial dimensions of [N, C, H, W].
extension Tensor {
    /// 2-D max-pooling (stride defaults to the kernel; padding counts as −∞, as in PyTorch).
    /// The gradient goes to the first maximum of each window.
    ///
    /// - Parameters:
    ///   - kernel: (kh, kw).
    ///   - stride: the step between windows (default: the kernel).
    ///   - padding: rows and columns of −∞ on each side.
    /// - Returns: [N, C, outH, outW].
    public func maxPool2d(kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) -> Tensor {
        precondition(rank == 4, "maxPool2d: needs [N, C, H, W], got \(shape)")
        let s = stride ?? kernel
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        precondition(
            kernel.0 > 0 && kernel.1 > 0 && s.0 > 0 && s.1 > 0 && padding.0 >= 0 && padding.1 >= 0
                && 2 * padding.0 <= kernel.0 && 2 * padding.1 <= kernel.1
                && h + 2 * padding.0 >= kernel.0 && w + 2 * padding.1 >= kernel.1,
            "maxPool2d: kernel \(kernel), stride \(s), padding \(padding) do not fit input \(shape)")
        let (oh, ow) = ((h + 2 * padding.0 - kernel.0) / s.0 + 1, (w + 2 * padding.1 - kernel.1) / s.1 + 1)
        let index: [Int32]
        switch dtype {
        case .float32:
            index = maxPoolIndices(
                pointer(Float.self), n: n, c: c, h: h, w: w, kernel: kernel, stride: s, padding: padding, outH: oh,
                outW: ow)
        case .float64:
            index = maxPoolIndices(
                pointer(Double.self), n: n, c: c, h: h, w: w, kernel: kernel, stride: s, padding: padding, outH: oh,
                outW: ow)
        }
        return gather(flatIndices: index, shape: [n, c, oh, ow])
    }

    /// 2-D average pooling with a k×k kernel and stride k; rows and columns left over at the
    /// bottom and right are dropped (PyTorch's floor mode).
    ///
    /// - Parameter k: the kernel and stride.
    /// - Returns: [N, C, H / k, W / k].
    public func avgPool2d(_ k: Int) -> Tensor {
        precondition(
            rank == 4 && k > 0 && shape[2] >= k && shape[3] >= k, "avgPool2d: kernel \(k) does not fit input \(shape)")
        let (n, c, h, w) = (shape[0], shape[1], shape[2] / k, shape[3] / k)
        let cropped = slice(axis: 2, 0..<(h * k)).slice(axis: 3, 0..<(w * k))
        return cropped.reshaped([n, c, h, k, w, k]).mean(axes: [3, 5])
    }
}
