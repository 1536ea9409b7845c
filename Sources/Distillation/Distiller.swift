import Foundation
import Models
import TensorCore

/// The outer loop of dataset distillation. One iteration:
///
///     w₀ = the fixed init, or a fresh Xavier-normal draw (random regime)
///     w_{t+1} = w_t − η_t ∇_w ℓ(f(X_{t mod S}; w_t), Y_{t mod S})     t < T, train mode
///     L = CE(f(x_real; w_T), y_real)                                   eval mode, one real minibatch
///     Adam step on (X, Y, ρ) with the exact dL/d(X, Y, ρ)              through all T steps
///
/// averaged over `nets` initialisations; the Adam rate decays per outer epoch (a pass over the
/// real training split). Every random choice comes from the stream (seed, epoch, iteration),
/// so a run resumed from a checkpoint continues exactly as if it had never stopped.
///
/// Readable mode (text, with a `WordProjection`): the inner steps see X_s snapped to its
/// nearest words, and dL/d(snapped X_s) updates X_s (straight-through, as PEZ); the networks
/// the set is judged by train on exactly those words. With `wordSwaps` > 0 each iteration also
/// tries single-word swaps proposed by that gradient and keeps the best (`swapWord`, WordSwaps.swift);
/// in the last `polishEpochs` the rows are held at their words, and only swaps change them.
public final class Distiller {
    /// The random stream of a new run's set and fixed init (then of its real starting rows).
    public static let initStream: UInt64 = 0x5E7

    public let model: any Model
    public let settings: DistillationSettings
    public let train: LabelledData
    public let set: DistilledSet
    /// The fixed initialisation (fixed regime only).
    public let fixedInit: [Tensor]?
    /// The projection to words of readable mode (nil otherwise).
    public let projection: WordProjection?
    public let optimizer: Adam
    /// The ranks this run's meta-gradients are summed over (`Clusters.current` when made).
    public let cluster: any Cluster = Clusters.current
    public private(set) var position = Position()
    public private(set) var history: [EpochRecord] = []
    /// How a new run with several real starting candidates chose among them (nil otherwise).
    public private(set) var start: StartChoice?
    private var permutation: [Int] = []

    /// A new run: the distilled set and the fixed init are drawn from `settings.seed`.
    /// With `sampleInit == .real` the rows start as real training examples of their classes
    /// (`.packed`: texts of their classes one after another, filling the row),
    /// with `.kmeans` as their classes' k-means centroids (both drawn from their own stream:
    /// the fixed init is the same as with noise); with `startCandidates` > 1 real sets, the
    /// best of them (StartChoice.swift).
    ///
    /// - Parameters:
    ///   - model: the architecture.
    ///   - settings: the run's settings (checked first).
    ///   - train: the real training split.
    ///   - sampleShape: one row's shape.
    ///   - projection: readable mode's words, or nil.
    /// - Throws: `DistillationError` for invalid settings or a set too large for this machine.
    public convenience init(
        model: any Model, settings: DistillationSettings, train: LabelledData, sampleShape: [Int],
        projection: WordProjection? = nil
    ) throws {
        let problems = settings.problems(classes: train.classes)
        guard problems.isEmpty else { throw DistillationError.invalidSettings(problems) }
        try MemoryEstimate.check(settings: settings, classes: train.classes, sampleShape: sampleShape)
        var rng = RandomGenerator(seed: settings.seed, stream: [Distiller.initStream])
        var set = DistilledSet(
            settings: settings, classes: train.classes, outputs: model.outputCount, sampleShape: sampleShape,
            using: &rng)
        let fixedInit = settings.initialization == .fixed ? model.initialParameters(using: &rng) : nil
        var draw = RandomGenerator(seed: settings.seed, stream: [Distiller.initStream, 0x2EA1])
        var candidates: [[Tensor]] = []
        switch settings.sampleInit {
        case .noise: break
        case .real, .packed:
            let packed = settings.sampleInit == .packed
            candidates = try (0..<settings.startCandidates).map { _ in
                try packed
                    ? Baselines.packedTexts(train, rowClasses: set.rowClasses, steps: settings.steps, using: &draw)
                    : Baselines.randomSamples(train, rowClasses: set.rowClasses, steps: settings.steps, using: &draw)
            }
            set = set.replacingInputs(candidates[0])
        case .kmeans:
            set = set.replacingInputs(
                try Baselines.centroids(train, rowClasses: set.rowClasses, steps: settings.steps, using: &draw))
        }
        try self.init(
            model: model, settings: settings, train: train, set: set, fixedInit: fixedInit, projection: projection)
        if candidates.count > 1 { start = startFromBest(of: candidates) }
    }

    /// A run over a given set (a resumed checkpoint, or a test's).
    ///
    /// - Parameters:
    ///   - model: the architecture.
    ///   - settings: the run's settings.
    ///   - train: the real training split.
    ///   - set: the set to continue from.
    ///   - fixedInit: the stored init (fixed regime), or nil.
    ///   - projection: readable mode's words, or nil.
    ///   - position: where the run stands.
    ///   - history: the epochs finished.
    /// - Throws: `DistillationError` when the set does not fit the model or the settings.
    public init(
        model: any Model, settings: DistillationSettings, train: LabelledData, set: DistilledSet, fixedInit: [Tensor]?,
        projection: WordProjection? = nil, position: Position = Position(), history: [EpochRecord] = []
    ) throws {
        guard set.labels[0].shape[1] == model.outputCount else {
            throw DistillationError.labelsDoNotFitModel(
                labels: set.labels[0].shape[1], model: model.name, outputs: model.outputCount)
        }
        if settings.readable && projection == nil {
            throw DistillationError.readableNeedsVocabulary
        }
        if let fixedInit { try model.validate(fixedInit) }
        self.model = model
        self.settings = settings
        self.train = train
        self.set = set
        self.fixedInit = fixedInit
        self.projection = settings.readable ? projection : nil
        self.position = position
        self.history = history
        optimizer = Adam(
            parameters: set.learnables(
                inputs: settings.learnInputs, labels: settings.learnLabels, rates: settings.learnRates),
            learningRate: settings.learningRate, betas: (settings.beta1, settings.beta2))
        if position.iteration > 0 { permutation = epochPermutation(position.epoch) }
    }

    public var iterationsPerEpoch: Int { (train.count + settings.batchSize - 1) / settings.batchSize }
    public var totalIterations: Int { iterationsPerEpoch * settings.outerEpochs }
    public var completedIterations: Int { position.epoch * iterationsPerEpoch + position.iteration }
    public var isFinished: Bool { position.epoch >= settings.outerEpochs }

    /// The outer learning rate in `epoch` (step decay).
    ///
    /// - Parameter epoch: the outer epoch (from 0).
    /// - Returns: the base rate halved (by the decay factor) every `decayEpochs` epochs.
    public func learningRate(epoch: Int) -> Double {
        StepDecay(baseLearningRate: settings.learningRate, stepSize: settings.decayEpochs, gamma: settings.decayFactor)
            .learningRate(epoch: epoch)
    }

    private func epochPermutation(_ epoch: Int) -> [Int] {
        var rng = RandomGenerator(seed: settings.seed, stream: [0xE0C, UInt64(epoch)])
        return rng.permutation(train.count)
    }

    /// The meta-gradient of the outer loss on `rows` of the real data, averaged over the
    /// iteration's initialisations, for `set.learnables` (with the word pull's gradient, if any);
    /// and the mean outer loss.
    ///
    /// - Parameters:
    ///   - rows: the real minibatch, as rows of the training split.
    ///   - rng: the stream of the iteration's inits, augmentation and dropout masks.
    /// - Returns: the mean outer loss, and one gradient per tensor of `optimizer.parameters`.
    public func metaGradient(rows: [Int], rng: inout RandomGenerator) -> (loss: Double, gradients: [Tensor]) {
        let (loss, gradients, projected) = outerGradient(rows: rows, rng: &rng)
        return (loss, addingWordPull(to: gradients, projected))
    }

    /// The meta-gradient of the outer loss alone (in readable mode: taken at the words, which
    /// `projected` gives), and the mean outer loss, summed over the cluster's ranks.
    ///
    /// Init 0 is drawn from `rng` (after the minibatch's augmentation), init k ≥ 1 from a stream
    /// keyed by k and `rng`'s state there, so every unit is the same on any rank and for any
    /// number of ranks. A process with several units computes them on its cores at once, each
    /// single-threaded inside; the units' shares are added in unit order, then over the ranks.
    func outerGradient(rows: [Int], rng: inout RandomGenerator) -> (
        loss: Double, gradients: [Tensor], projected: [WordProjection.Projected]
    ) {
        let learnables = optimizer.parameters
        var (input, lengths) = train.batch(rows)
        if let augment = train.augmentation { input = augment(input, &rng) }
        let labels = rows.map { train.labels[$0] }
        let (steps, projected) =
            projection.map { set.schedule(projection: $0, weight: projectionWeight) } ?? (set.schedule(), [])
        let mine = Distiller.units(nets: settings.nets, rank: cluster.rank, size: cluster.size)
        let iteration = rng
        // Init 0 draws from the iteration's own stream (one init: the same numbers as ever),
        // init k from a stream keyed by k.
        func stream(_ k: Int) -> RandomGenerator {
            var base = iteration
            return k == 0 ? iteration : RandomGenerator(seed: base.next(), stream: [0x4E7, UInt64(k)])
        }
        // With a window, this iteration's unroll length, uniform in W…T (the same for every unit).
        let unrolled = settings.window.map { w in
            var draw = iteration
            var length = RandomGenerator(seed: draw.next(), stream: [0x3A7])
            return w + length.below(steps.count - w + 1)
        }
        let schedule = unrolled.map { Array(steps.prefix($0)) } ?? steps
        func compute(_ unit: Unit) -> (loss: Double, gradients: [Tensor]) {
            var rng = stream(unit.net)
            let initial = fixedInit ?? model.initialParameters(dtype: set.dtype, using: &rng)
            var dropout = rng.fork()
            let masks = schedule.map { _ in dropout.fork() }  // step t's dropout stream, as `trained` draws it
            let part = (rows.count * unit.part / unit.parts)..<(rows.count * (unit.part + 1) / unit.parts)
            let x = unit.parts == 1 ? input : withoutGradients { input.slice(axis: 0, part) }
            let (loss, g) = UnrolledGradient.metaGradient(
                from: initial, steps: schedule, memory: settings.unrollMemory, window: settings.window,
                learnables: learnables,
                loss: { w, step, t in
                    var context = ForwardContext(training: true, rng: masks[t])
                    return set.innerLoss(
                        logits: model.forward(w, step.inputs, lengths: step.lengths, context: &context),
                        labels: step.labels)
                },
                outer: { w in
                    OuterLoss.gradient(
                        model: model, weights: w, input: x, lengths: lengths.map { Array($0[part]) },
                        labels: Array(labels[part]))
                })
            let share = Double(part.count) / Double(rows.count)
            return (loss * share, unit.parts == 1 ? g : g.map { $0 * share })
        }
        let results = mine.count == 1 ? [compute(mine[0])] : Parallel.map(count: mine.count) { compute(mine[$0]) }
        return finish(results, projected)
    }

    /// The network's weights after the inner training `steps` from `initial` (train mode, its
    /// dropout masks drawn from `dropout`), with or without the second-order graph.
    func trained(from initial: [Tensor], steps: [InnerStep], createGraph: Bool, dropout: RandomGenerator) -> [Tensor] {
        var dropout = dropout
        return InnerTraining.unroll(from: initial, steps: steps, createGraph: createGraph) { w, step in
            var context = ForwardContext(training: true, rng: dropout.fork())
            return set.innerLoss(
                logits: model.forward(w, step.inputs, lengths: step.lengths, context: &context), labels: step.labels)
        }
    }

    /// The set the networks train on: the learned one, or in readable mode its words.
    public var trainingSet: DistilledSet { projection.map { set.decoded(by: $0).set } ?? set }

    /// Runs one outer iteration and returns its outer loss. Throws if the loss or the set stops
    /// being finite (nothing is updated then).
    ///
    /// - Returns: the iteration's mean outer loss.
    /// - Throws: `Diverged` when the loss or its gradient is not finite.
    @discardableResult
    public func iterate() throws -> Double {
        precondition(!isFinished, "Distiller.iterate: the run is finished")
        let start = MonotonicClock.seconds()
        if position.iteration == 0 { permutation = epochPermutation(position.epoch) }
        optimizer.learningRate = learningRate(epoch: position.epoch)
        let b = position.iteration
        let rows = Array(permutation[(b * settings.batchSize)..<Swift.min((b + 1) * settings.batchSize, train.count)])
        var rng = RandomGenerator(seed: settings.seed, stream: [0x17E, UInt64(position.epoch), UInt64(b)])
        let (loss, atWords, projected) = outerGradient(rows: rows, rng: &rng)
        let grads = addingWordPull(to: atWords, projected)
        guard loss.isFinite, grads.allSatisfy(\.isFinite) else {
            throw Diverged(epoch: position.epoch + 1, iteration: b + 1, loss: loss)
        }
        optimizer.step(grads)
        let polishing = settings.polishes(epoch: position.epoch)
        if polishing { holdAtWords(projected) }
        if settings.wordSwaps > 0 && (settings.polishEpochs == 0 || polishing)
            && swapWord(rows: rows, gradients: Array(atWords.prefix(set.stepCount)))
        {
            position.swaps += 1
        }
        position.lossSum += loss * Double(rows.count)
        position.seconds += MonotonicClock.seconds() - start
        position.iteration += 1
        if position.iteration == iterationsPerEpoch {
            history.append(
                EpochRecord(
                    epoch: position.epoch, loss: position.lossSum / Double(train.count), accuracy: nil,
                    seconds: position.seconds, wordSwaps: settings.wordSwaps > 0 ? position.swaps : nil))
            position = Position(epoch: position.epoch + 1)
        }
        return loss
    }

    /// Records a test accuracy against the last finished epoch.
    ///
    /// - Parameter accuracy: the mean test accuracy, in percent.
    public func recordAccuracy(_ accuracy: Double) {
        if !history.isEmpty { history[history.count - 1].accuracy = accuracy }
    }

    /// Test accuracy of the set as it stands: the fixed init's network, or the mean over
    /// `nets` fresh ones (random regime).
    ///
    /// - Parameters:
    ///   - test: the split the networks are tested on.
    ///   - nets: fresh networks in the random regime.
    /// - Returns: the accuracy of each network trained on `trainingSet`.
    public func evaluate(test: LabelledData, nets: Int = 5) -> AccuracySummary {
        let seed = ScheduleEvaluation.evaluationSeed(settings.seed)
        let seen = trainingSet
        if let fixedInit {
            return AccuracySummary([
                ScheduleEvaluation.accuracy(model, on: seen, from: fixedInit, test: test, seed: seed)
            ])
        }
        return ScheduleEvaluation.randomInits(model, on: seen, test: test, nets: nets, seed: seed)
    }
}
