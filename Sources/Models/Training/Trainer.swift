import Foundation
import TensorCore

/// Ordinary training on real data: Adam over shuffled minibatches, the rate halved every
/// `decayEpochs`. This is the "full data" figure every distillation result is compared with.
public struct Trainer {
    public var epochs = 10
    public var batchSize = 64
    public var learningRate = 1e-3
    public var decayEpochs: Int? = nil
    public var seed: UInt64 = 1

    public init() {}

    public struct Epoch: Sendable {
        public let epoch: Int
        public let loss: Double
        public let testAccuracy: Double
        public let examplesPerSecond: Double
    }

    /// Trains from a fresh initialisation; `progress(batchesDone, batchesTotal, lastLoss)` is
    /// called after each batch and `epochDone` after each epoch's test evaluation. When
    /// `shouldStop` says so (checked after each batch), returns at once with the epochs finished.
    public func train(
        _ model: any Model, on data: LabelledData, test: LabelledData,
        progress: (Int, Int, Double) -> Void = { _, _, _ in },
        epochDone: (Epoch) -> Void = { _ in }, shouldStop: () -> Bool = { false }
    ) -> (parameters: [Tensor], history: [Epoch]) {
        var rng = RandomGenerator(seed: seed)
        let parameters = model.initialParameters(using: &rng).map { $0.requiringGrad() }
        let adam = Adam(parameters: parameters, learningRate: learningRate)
        let schedule = StepDecay(baseLearningRate: learningRate, stepSize: decayEpochs ?? Int.max)
        let batchesPerEpoch = (data.count + batchSize - 1) / batchSize
        var history: [Epoch] = []
        var done = 0
        for epoch in 0..<epochs {
            schedule.apply(to: adam, epoch: epoch)
            let order = rng.permutation(data.count)
            var total = 0.0
            let start = MonotonicClock.seconds()
            for b in 0..<batchesPerEpoch {
                let rows = Array(order[(b * batchSize)..<Swift.min((b + 1) * batchSize, data.count)])
                let (input, lengths) = data.batch(rows)
                var context = ForwardContext(training: true, rng: rng.fork())
                let logits = model.forward(parameters, input, lengths: lengths, context: &context)
                let loss = model.loss(logits: logits, labels: rows.map { data.labels[$0] })
                adam.step(gradients(of: loss, withRespectTo: parameters))
                total += loss.item * Double(rows.count)
                done += 1
                progress(done, batchesPerEpoch * epochs, loss.item)
                if shouldStop() { return (parameters, history) }
            }
            let seconds = MonotonicClock.seconds() - start
            let e = Epoch(
                epoch: epoch, loss: total / Double(data.count), testAccuracy: Trainer.accuracy(model, parameters, test),
                examplesPerSecond: Double(data.count) / seconds)
            history.append(e)
            epochDone(e)
        }
        return (parameters, history)
    }

    /// Accuracy of `parameters` on every example of `data`, in batches, eval mode.
    public static func accuracy(_ model: any Model, _ parameters: [Tensor], _ data: LabelledData, batchSize: Int = 512)
        -> Double
    {
        var correct = 0
        for start in stride(from: 0, to: data.count, by: batchSize) {
            let rows = Array(start..<Swift.min(start + batchSize, data.count))
            let (input, lengths) = data.batch(rows)
            let predicted = model.predictions(parameters, input, lengths: lengths)
            correct += zip(predicted, rows).filter { $0 == Int(data.labels[$1]) }.count
        }
        return Double(correct) / Double(Swift.max(data.count, 1))
    }
}
