/// Normalisation layers, composed of differentiable ops.
extension Tensor {
    /// Local response normalisation across channels of [N, C, H, W], as PyTorch's
    /// `LocalResponseNorm(size, alpha, beta, k)`: x / (k + α·mean of x² over a window of
    /// `size` channels)^β, the window running from c − ⌊size/2⌋ to c + ⌊(size−1)/2⌋ with
    /// zeros beyond the edges.
    ///
    /// - Parameters:
    ///   - size: channels in each window.
    ///   - alpha: the scale of the sum of squares.
    ///   - beta: its exponent.
    ///   - k: the additive constant.
    /// - Returns: x / (k + α/size · Σ x²)^β, of self's shape.
    public func localResponseNorm(size: Int, alpha: Double = 1e-4, beta: Double = 0.75, k: Double = 1) -> Tensor {
        precondition(
            rank == 4 && size > 0, "localResponseNorm: needs [N, C, H, W] and a positive size, got \(shape), \(size)")
        let c = shape[1]
        let padded = squared().padded(axis: 1, before: size / 2, after: (size - 1) / 2)
        var window = padded.slice(axis: 1, 0..<c)
        for offset in 1..<size { window = window + padded.slice(axis: 1, offset..<(offset + c)) }
        return self / (window * (alpha / Double(size)) + k).pow(beta)
    }

    /// Instance normalisation of [N, C, H, W]: each sample's channel scaled to zero mean and
    /// unit variance over its H·W positions (biased variance, ε inside the root), then
    /// `weight`·x̂ + `bias` per channel (PyTorch's `GroupNorm(C, C)` / `InstanceNorm2d(affine)`).
    ///
    /// - Parameters:
    ///   - weight: a scale per channel [C], or nil.
    ///   - bias: a shift per channel [C], or nil.
    ///   - epsilon: added to the variance.
    /// - Returns: each (image, channel) plane normalised, of self's shape.
    public func instanceNorm(weight: Tensor?, bias: Tensor?, epsilon: Double = 1e-5) -> Tensor {
        precondition(rank == 4, "instanceNorm: needs [N, C, H, W], got \(shape)")
        let mean = self.mean(axes: [2, 3], keepingDims: true)
        let centred = self - mean
        let variance = centred.squared().mean(axes: [2, 3], keepingDims: true)
        var y = centred / (variance + epsilon).sqrt()
        let c = shape[1]
        if let weight { y = y * weight.reshaped([c, 1, 1]) }
        if let bias { y = y + bias.reshaped([c, 1, 1]) }
        return y
    }
}
