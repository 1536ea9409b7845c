/// Training losses. All return a scalar averaged over the batch (the first dimension).
extension Tensor {
    /// The soft-label loss of dataset distillation: (1/N) Σᵢ Σ_c Y_ic · (−log softmax(zᵢ)_c),
    /// with the RAW target weights Y (no softmax, no normalisation, negative entries allowed),
    /// so it is linear in Y. Logits [N, C], targets [N, C].
    ///
    /// - Parameters:
    ///   - logits: [N, C].
    ///   - targets: [N, C], any real numbers (raw soft labels).
    /// - Returns: the mean over rows of −Σ_c targets · log-softmax(logits), a scalar.
    public static func softTargetCrossEntropy(logits: Tensor, targets: Tensor) -> Tensor {
        precondition(
            logits.rank == 2 && targets.shape == logits.shape,
            "softTargetCrossEntropy: logits \(logits.shape) and targets \(targets.shape) must both be [N, C]")
        return -(logits.logSoftmax(axis: 1) * targets).sum() * (1 / Double(Swift.max(logits.shape[0], 1)))
    }

    /// Hard-label cross-entropy: mean of −log softmax(zᵢ)[labelᵢ]. Logits [N, C].
    ///
    /// - Parameters:
    ///   - logits: [N, C].
    ///   - labels: the class of each row.
    /// - Returns: the mean cross-entropy, a scalar.
    public static func crossEntropy(logits: Tensor, labels: [Int32]) -> Tensor {
        precondition(
            logits.rank == 2 && logits.shape[0] == labels.count,
            "crossEntropy: logits \(logits.shape) for \(labels.count) labels")
        let classes = logits.shape[1]
        precondition(
            labels.allSatisfy { $0 >= 0 && Int($0) < classes }, "crossEntropy: a label is outside 0..<\(classes)")
        let index = labels.enumerated().map { Int32($0.offset * classes) + $0.element }
        return -logits.logSoftmax(axis: 1).gather(flatIndices: index, shape: [labels.count]).mean()
    }

    /// Binary cross-entropy on logits, mean of softplus(z) − z·y: stable for any z, and for
    /// soft (even out-of-range) float targets y of the same shape.
    ///
    /// - Parameters:
    ///   - logits: [N, 1].
    ///   - targets: [N, 1], in [0, 1] (or raw soft labels).
    /// - Returns: the mean binary cross-entropy, a scalar.
    public static func binaryCrossEntropy(logits: Tensor, targets: Tensor) -> Tensor {
        precondition(
            logits.shape == targets.shape,
            "binaryCrossEntropy: logits \(logits.shape) and targets \(targets.shape) differ")
        return (logits.softplus() - logits * targets).mean()
    }
}
