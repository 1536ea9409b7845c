import Foundation
import Models
import TensorCore

/// Accuracies of several networks: mean ± sample standard deviation.
public struct AccuracySummary: Codable, Equatable, Sendable {
    public let values: [Double]

    /// - Parameter values: one accuracy per network, as a fraction (`formatted` shows percent).
    public init(_ values: [Double]) { self.values = values }

    public var mean: Double { values.reduce(0, +) / Double(Swift.max(values.count, 1)) }
    /// Sample standard deviation (n − 1), as `torch.std`; 0 for one value.
    public var std: Double {
        guard values.count > 1 else { return 0 }
        let m = mean
        return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
    }

    /// "87.40" or "62.05 ± 8.81" (percent); "—" for none (a result that was not computed).
    public var formatted: String {
        if values.isEmpty { return "—" }
        return values.count == 1
            ? String(format: "%.2f", 100 * mean) : String(format: "%.2f ± %.2f", 100 * mean, 100 * std)
    }
}

/// How a distilled set is judged: FRESH networks trained with exactly the learned schedule
/// (for t < T one plain SGD step on (X_{t mod S}, Y_{t mod S}) with η_t, train mode), then
/// tested on the whole test split in eval mode.
public enum ScheduleEvaluation {
    /// The weights after training `model` from `initial` on the learned schedule. `seed` draws
    /// the dropout masks of the training steps.
    ///
    /// - Parameters:
    ///   - model: the network.
    ///   - set: the learned schedule.
    ///   - initial: its starting parameters.
    ///   - seed: the stream of the training steps' dropout masks.
    /// - Returns: the trained parameters.
    public static func train(_ model: any Model, on set: DistilledSet, from initial: [Tensor], seed: UInt64) -> [Tensor]
    {
        let steps = withoutGradients { set.schedule() }.map {
            InnerStep(
                inputs: $0.inputs.detached(), labels: $0.labels.detached(), learningRate: $0.learningRate.detached(),
                lengths: $0.lengths)
        }
        var rng = RandomGenerator(seed: seed)
        return InnerTraining.unroll(from: initial.map { $0.detached() }, steps: steps, createGraph: false) { w, step in
            var context = ForwardContext(training: true, rng: rng.fork())
            return set.innerLoss(
                logits: model.forward(w, step.inputs, lengths: step.lengths, context: &context), labels: step.labels)
        }
    }

    /// The seed of the training steps' dropout masks when a run's set is evaluated from its
    /// fixed init: one value, so the evaluations during a run and the final one agree.
    ///
    /// - Parameter runSeed: the run's `--seed`.
    /// - Returns: the evaluation's seed.
    public static func evaluationSeed(_ runSeed: UInt64) -> UInt64 { runSeed &+ 0xEAA1 }

    /// Test accuracy of one network trained from `initial`.
    ///
    /// - Returns: the fraction of `test` classified right after training on `set` from `initial`.
    ///
    /// - Parameters:
    ///   - model: the architecture.
    ///   - set: the schedule trained on.
    ///   - initial: the network's starting parameters.
    ///   - test: the split tested on.
    ///   - seed: the dropout masks' stream.
    public static func accuracy(
        _ model: any Model, on set: DistilledSet, from initial: [Tensor], test: LabelledData, seed: UInt64
    ) -> Double {
        Trainer.accuracy(model, train(model, on: set, from: initial, seed: seed), test)
    }

    /// Test accuracies of `nets` networks, each from a fresh Xavier-normal draw (network i
    /// uses the stream (seed, i), so results do not depend on how many are asked for, nor on
    /// how the networks are spread over the cores).
    /// `finished(k)` is called (one call at a time) as the k-th network is done.
    ///
    /// - Parameters:
    ///   - model: the architecture.
    ///   - set: the schedule every network trains on.
    ///   - test: the split tested on.
    ///   - nets: how many fresh networks.
    ///   - seed: the evaluation's stream.
    ///   - finished: progress, one call per finished network.
    /// - Returns: one accuracy per network.
    public static func randomInits(
        _ model: any Model, on set: DistilledSet, test: LabelledData, nets: Int, seed: UInt64,
        finished: @escaping (Int) -> Void = { _ in }
    ) -> AccuracySummary {
        randomInits(model, on: { _ in set }, test: test, nets: nets, seed: seed, finished: finished)
    }

    /// The same, network i trained on `sets(i)` (e.g. a different random draw per network).
    ///
    /// - Parameters:
    ///   - model: the architecture.
    ///   - sets: the schedule network i trains on.
    ///   - test: the split tested on.
    ///   - nets: how many fresh networks.
    ///   - seed: the evaluation's stream.
    ///   - finished: progress, one call per finished network.
    /// - Returns: one accuracy per network.
    public static func randomInits(
        _ model: any Model, on sets: (Int) -> DistilledSet, test: LabelledData, nets: Int,
        seed: UInt64, finished: @escaping (Int) -> Void = { _ in }
    ) -> AccuracySummary {
        let counter = FinishedCounter(report: finished)
        return AccuracySummary(
            Parallel.map(count: nets) { i in
                let set = sets(i)
                var rng = RandomGenerator(seed: seed, stream: [0xE7A1, UInt64(i)])
                let initial = model.initialParameters(dtype: set.dtype, using: &rng)
                defer { counter.increment() }
                return accuracy(model, on: set, from: initial, test: test, seed: rng.next())
            })
    }
}

/// Counts finished work items across threads and reports each count, one report at a time.
final class FinishedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private let report: (Int) -> Void

    init(report: @escaping (Int) -> Void) { self.report = report }

    func increment() {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        report(count)
    }
}
