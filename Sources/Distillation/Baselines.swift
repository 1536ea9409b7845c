import Foundation
import Models
import TensorCore

/// The baselines that belong beside every distillation result: the same number of real
/// examples — drawn at random, or the per-class k-means centroids — with hard labels, trained
/// exactly like a distilled set (the same rows per step, steps and epochs, one fixed rate),
/// and each reported at its best rate of a small grid: chosen on the corpus's validation split
/// when it has one, else on the test split (then the baseline's most favourable case).
public enum Baselines {
    public static let learningRateGrid = [0.001, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0]

    /// The outcome of one baseline: the best rate of the grid and its accuracies.
    public struct Outcome: Sendable {
        public let learningRate: Double
        public let accuracy: AccuracySummary
    }

    /// Real inputs in a distilled set's layout, with one-hot labels of `rowClasses` and the
    /// fixed rate `learningRate` at every step.
    /// `lengths` gives each row's length per step (sentences snapped to words), or nil.
    ///
    /// - Parameters:
    ///   - inputs: per step, the rows [N, sample…].
    ///   - rowClasses: the class of each row (its one-hot label).
    ///   - outputs: the model's logit count.
    ///   - epochs: passes over the steps.
    ///   - learningRate: the one inner rate of every step.
    ///   - lengths: per step, each row's length (text), or nil.
    /// - Returns: the rows as a distilled set with fixed labels and rates.
    public static func set(
        inputs: [Tensor], rowClasses: [Int], outputs: Int, epochs: Int, learningRate: Double,
        lengths: [[Int]]? = nil
    ) -> DistilledSet {
        var rng = RandomGenerator(seed: 0)
        let labels = inputs.map { _ in
            DistilledSet.initialLabels(rowClasses, outputs: outputs, mode: .oneHot, dtype: inputs[0].dtype, using: &rng)
        }
        let rho = Foundation.log(Foundation.expm1(learningRate))
        return DistilledSet(
            inputs: inputs, labels: labels, rawRates: .full([inputs.count * epochs], rho, dtype: inputs[0].dtype),
            epochs: epochs, rowClasses: rowClasses, labelSoftmax: false, lengths: lengths)
    }

    /// Training rows by class.
    static func rowsByClass(_ data: LabelledData) -> [[Int]] {
        var rows = [[Int]](repeating: [], count: data.classes)
        for (i, c) in data.labels.enumerated() { rows[Int(c)].append(i) }
        return rows
    }

    /// Per step, one random training example of each row's class (without repeats within a draw).
    ///
    /// - Parameters:
    ///   - data: the training split.
    ///   - rowClasses: the class each row must be drawn from.
    ///   - steps: how many steps of rows.
    ///   - rng: the draw's stream.
    /// - Returns: per step, the rows [N, sample…].
    /// - Throws: `DistillationError` when a class has fewer examples than rows.
    public static func randomSamples(
        _ data: LabelledData, rowClasses: [Int], steps: Int, using rng: inout RandomGenerator
    ) throws -> [Tensor] {
        try randomExamples(data, rowClasses: rowClasses, steps: steps, using: &rng).map(\.input)
    }

    /// The same draw as `randomSamples`, with each text's length.
    ///
    /// - Parameters:
    ///   - data: the training split.
    ///   - rowClasses: the class of each row of a step.
    ///   - steps: how many steps to draw.
    ///   - rng: the draw's stream.
    /// - Returns: per step, the examples and (text) their lengths.
    /// - Throws: when a class has fewer examples than rows.
    public static func randomExamples(
        _ data: LabelledData, rowClasses: [Int], steps: Int,
        using rng: inout RandomGenerator
    ) throws -> [(input: Tensor, lengths: [Int]?)] {
        var pools = rowsByClass(data).map { pool in
            var p = pool
            for i in stride(from: p.count - 1, to: 0, by: -1) { p.swapAt(i, rng.below(i + 1)) }
            return p
        }
        return try (0..<steps).map { _ in
            let rows = try rowClasses.map { c -> Int in
                guard let r = pools[c].popLast() else {
                    throw DistillationError.tooFewExamples(
                        classIndex: c, available: rowsByClass(data)[c].count,
                        needed: rowClasses.filter { $0 == c }.count * steps)
                }
                return r
            }
            return data.batch(rows)
        }
    }

    /// Per step, each row filled with real texts of its class one after another, each without
    /// its padding, the last cut where the row ends: a row of real words with no padding (a
    /// recurrent model reads every position, so every position can learn). Texts are drawn
    /// without repeats until a class runs out, then its pool is shuffled again.
    ///
    /// - Parameters:
    ///   - data: a text training split (its batches carry lengths).
    ///   - rowClasses: the class of each row of a step.
    ///   - steps: how many steps to fill.
    ///   - rng: the draw's stream.
    /// - Returns: per step, the rows [N, L, D].
    /// - Throws: `DistillationError` for images (no lengths) or a class without examples.
    public static func packedTexts(
        _ data: LabelledData, rowClasses: [Int], steps: Int, using rng: inout RandomGenerator
    ) throws -> [Tensor] {
        let byClass = rowsByClass(data)
        if let c = Set(rowClasses).sorted().first(where: { byClass[$0].isEmpty }) {
            throw DistillationError.tooFewExamples(classIndex: c, available: 0, needed: 1)
        }
        var pools = byClass.map { _ in [Int]() }
        func next(_ c: Int) -> Int {
            if pools[c].isEmpty { pools[c] = rng.permutation(byClass[c].count).map { byClass[c][$0] } }
            return pools[c].removeLast()
        }
        let (first, firstLengths) = data.batch([byClass[rowClasses[0]][0]])
        guard firstLengths != nil else { throw DistillationError.packedStartNeedsText }
        let maxlen = first.shape[1]
        return (0..<steps).map { _ in
            Tensor.concat(
                rowClasses.map { c in
                    var pieces: [Tensor] = []
                    var filled = 0
                    while filled < maxlen {
                        let (input, lengths) = data.batch([next(c)])
                        let take = Swift.min(Swift.max(lengths?.first ?? maxlen, 1), maxlen - filled)
                        pieces.append(input.slice(axis: 1, 0..<take))
                        filled += take
                    }
                    return Tensor.concat(pieces, axis: 1)
                }, axis: 0)
        }
    }

    /// Per class, k-means centroids of its training inputs (flattened), k = its rows per step × steps;
    /// dealt out to the steps in order.
    ///
    /// - Parameters:
    ///   - data: the training split.
    ///   - rowClasses: the class of each row.
    ///   - steps: how many steps of rows.
    ///   - rng: the k-means seeding stream.
    /// - Returns: per step, the centroids laid out as the rows [N, sample…].
    /// - Throws: `DistillationError` when a class has fewer examples than centroids.
    public static func centroids(_ data: LabelledData, rowClasses: [Int], steps: Int, using rng: inout RandomGenerator)
        throws -> [Tensor]
    {
        let byClass = rowsByClass(data)
        var perClass: [Int: [Tensor]] = [:]
        for c in Set(rowClasses).sorted() {
            let k = rowClasses.filter { $0 == c }.count * steps
            guard byClass[c].count >= k else {
                throw DistillationError.tooFewExamples(classIndex: c, available: byClass[c].count, needed: k)
            }
            let inputs = data.batch(byClass[c]).input
            let sampleShape = Array(inputs.shape.dropFirst())
            let flat = inputs.reshaped([byClass[c].count, sampleShape.reduce(1, *)])
            let centers = KMeans.centroids(of: flat, k: k, using: &rng)
            perClass[c] = (0..<k).map { centers.slice(axis: 0, $0..<($0 + 1)).reshaped([1] + sampleShape) }
        }
        var next = [Int: Int]()
        return (0..<steps).map { _ in
            Tensor.concat(
                rowClasses.map { c in
                    defer { next[c, default: 0] += 1 }
                    return perClass[c, default: []][next[c, default: 0]]
                }, axis: 0)
        }
    }

    /// Accuracy of each rate of the grid over `draws` draws (draw d: inputs `makeInputs(d)`,
    /// and the fixed init or a fresh one); the best rate by mean accuracy, on `choose` when
    /// given (a validation split: then only the best rate is tested on `test`), else on `test`.
    /// `ratesDone(k)` is called as the k-th rate of the grid is done.
    ///
    /// - Parameters:
    ///   - model: the network trained on each draw.
    ///   - test: the split the accuracy is reported on.
    ///   - choose: the split the rate is chosen on, or nil to choose on `test`.
    ///   - rowClasses, epochs, lengths: the layout of the set each draw becomes.
    ///   - draws: how many draws (inputs and, without `fixedInit`, inits).
    ///   - fixedInit: one init for every draw, or nil for fresh ones.
    ///   - seed: the stream of inits and dropout masks.
    ///   - grid: the inner rates tried.
    ///   - ratesDone: called as each rate is done.
    ///   - makeInputs: the inputs of draw d.
    /// - Returns: the best rate and its accuracies on `test`.
    public static func evaluate(
        _ model: any Model, test: LabelledData, choose: LabelledData? = nil, rowClasses: [Int], epochs: Int,
        draws: Int, fixedInit: [Tensor]?, seed: UInt64, grid: [Double] = learningRateGrid, lengths: [[Int]]? = nil,
        ratesDone: (Int) -> Void = { _ in }, makeInputs: (Int) throws -> [Tensor]
    ) rethrows -> Outcome {
        let inputs = try (0..<draws).map(makeInputs)
        precondition(!grid.isEmpty, "Baselines.evaluate: an empty rate grid")
        func accuracies(_ lr: Double, on split: LabelledData) -> AccuracySummary {
            AccuracySummary(
                Parallel.map(count: draws) { d in
                    let set = Baselines.set(
                        inputs: inputs[d], rowClasses: rowClasses, outputs: model.outputCount, epochs: epochs,
                        learningRate: lr, lengths: lengths)
                    var rng = RandomGenerator(seed: seed, stream: [0xBA5E, UInt64(d)])
                    let initial = fixedInit ?? model.initialParameters(dtype: set.dtype, using: &rng)
                    return ScheduleEvaluation.accuracy(model, on: set, from: initial, test: split, seed: rng.next())
                })
        }
        var best = Outcome(learningRate: grid[0], accuracy: AccuracySummary([]))
        for (k, lr) in grid.enumerated() {
            defer { ratesDone(k + 1) }
            let summary = accuracies(lr, on: choose ?? test)
            if best.accuracy.values.isEmpty || summary.mean > best.accuracy.mean {
                best = Outcome(learningRate: lr, accuracy: summary)
            }
        }
        guard choose != nil else { return best }
        return Outcome(learningRate: best.learningRate, accuracy: accuracies(best.learningRate, on: test))
    }
}
