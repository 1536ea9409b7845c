import Models
import TensorCore

/// Choosing which epoch's set to keep by its accuracy on a part of the training split held out
/// from distillation (never the test split). The accuracy of a set evaluated every few epochs
/// moves by several points between neighbouring evaluations; without a selection the run keeps
/// whatever its last epoch left.
public struct ValidationSelection {
    /// The held-out examples the sets are judged on.
    public let heldOut: LabelledData
    /// The best evaluation so far: its epoch (1-based) and mean accuracy.
    public private(set) var best: (epoch: Int, accuracy: Double)?
    private var snapshot: [Tensor] = []

    /// - Parameter heldOut: the examples the sets are judged on.
    public init(heldOut: LabelledData) { self.heldOut = heldOut }

    /// `count` examples of `data` held out (drawn from the stream of `seed`), and the rest.
    ///
    /// - Parameters:
    ///   - data: the training split.
    ///   - count: examples held out (0 < count < data.count).
    ///   - seed: the run's seed.
    /// - Returns: the examples to distil from, and the held-out ones.
    public static func split(_ data: LabelledData, count: Int, seed: UInt64) -> (
        train: LabelledData, heldOut: LabelledData
    ) {
        precondition(count > 0 && count < data.count, "ValidationSelection: hold out 1..<\(data.count), not \(count)")
        var rng = RandomGenerator(seed: seed, stream: [0x7A1])
        let order = rng.permutation(data.count)
        return (data.subset(Array(order[count...]).sorted()), data.subset(Array(order[..<count]).sorted()))
    }

    /// Evaluates the distiller's set on the held-out examples and keeps a copy if it is the best.
    ///
    /// - Parameters:
    ///   - distiller: the run.
    ///   - epoch: the epoch just finished (1-based).
    /// - Returns: the held-out accuracy, and whether the set was kept.
    public mutating func consider(_ distiller: Distiller, epoch: Int) -> (AccuracySummary, kept: Bool) {
        let accuracy = distiller.evaluate(test: heldOut)
        guard best.map({ accuracy.mean > $0.accuracy }) ?? true else { return (accuracy, false) }
        best = (epoch, accuracy.mean)
        snapshot = Self.leaves(distiller.set).map { Tensor($0.doubles, shape: $0.shape, dtype: $0.dtype) }
        return (accuracy, true)
    }

    /// Puts the kept set back into the distiller's leaves.
    ///
    /// - Parameter distiller: the run whose set is replaced.
    public func restore(into distiller: Distiller) {
        for (leaf, kept) in zip(Self.leaves(distiller.set), snapshot) { leaf.overwrite(from: 0, with: kept) }
    }

    private static func leaves(_ set: DistilledSet) -> [Tensor] { set.inputs + set.labels + [set.rawRates] }
}
