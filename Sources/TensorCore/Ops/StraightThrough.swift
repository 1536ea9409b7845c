/// The straight-through estimator (Bengio et al. 2013; PEZ, Wen et al. 2023): a forward pass
/// that sees one tensor and a backward pass that treats it as the identity of another.
extension Tensor {
    /// Returns `value` exactly, recorded as if it were `self`: the gradient with respect to
    /// `self` is the gradient taken at `value`, unchanged. `value` (e.g. `self` projected to
    /// the nearest vocabulary rows) is a constant of the graph. The rule is linear, so the
    /// gradient of a gradient passes through it too.
    ///
    /// - Parameter value: what the forward pass sees, of self's shape.
    /// - Returns: `value` in the forward pass, with self's gradient.
    public func straightThrough(value: Tensor) -> Tensor {
        precondition(
            value.shape == shape && value.dtype == dtype,
            "straightThrough: value \(value.shape) (\(value.dtype)) for \(shape) (\(dtype))")
        return Tensor.record("straightThrough", value.detached(), [self]) { c in [c.grad] }
    }
}
