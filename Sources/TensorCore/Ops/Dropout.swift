/// Dropout with an explicit mask, so a training step can be replayed exactly.
extension Tensor {
    /// A constant mask of `shape`: 0 with probability `p`, else 1/(1−p) (inverted dropout).
    public static func dropoutMask(
        _ shape: [Int], probability p: Double, dtype: DType = .float32,
        using rng: inout RandomGenerator
    ) -> Tensor {
        precondition(p >= 0 && p < 1, "dropoutMask: probability \(p) must be in [0, 1)")
        let keep = 1 / (1 - p)
        let values = (0..<shape.reduce(1, *)).map { _ in rng.uniform() < p ? 0 : keep }
        return Tensor(values, shape: shape, dtype: dtype)
    }

    /// self · mask, where mask comes from `dropoutMask`.
    public func dropout(mask: Tensor) -> Tensor {
        precondition(mask.shape == shape, "dropout: mask \(mask.shape) does not match \(shape)")
        return self * mask
    }
}
