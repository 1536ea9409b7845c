/// Dropout with an explicit mask, so a training step can be replayed exactly.
extension Tensor {
    /// A constant mask of `shape`: 0 with probability `p`, else 1/(1−p) (inverted dropout).
    ///
    /// - Parameters:
    ///   - shape: the mask's shape.
    ///   - p: the probability of dropping an element.
    ///   - dtype: the mask's dtype.
    ///   - rng: the draw.
    /// - Returns: 0 where dropped, 1/(1 − p) elsewhere.
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
    ///
    /// - Parameter mask: a `dropoutMask` of this shape.
    /// - Returns: self ⊙ mask.
    public func dropout(mask: Tensor) -> Tensor {
        precondition(mask.shape == shape, "dropout: mask \(mask.shape) does not match \(shape)")
        return self * mask
    }
}
