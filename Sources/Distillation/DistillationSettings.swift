import Models

/// Everything that defines a distillation run, with the reference's defaults
/// (docs/distillation.md maps each to the reference code's option).
public struct DistillationSettings: Codable, Equatable, Sendable {
    /// How the learnable labels start.
    public enum LabelInit: String, Codable, Sendable, CaseIterable {
        /// One-hot rows cycling through the distilled classes (the reference).
        case oneHot = "one-hot"
        /// One-hot smoothed by 0.1 (0.9 on the class, the rest spread evenly).
        case smoothed
        /// Uniform random in [0, 1).
        case random
    }

    /// How the distilled inputs start.
    public enum SampleInit: String, Codable, Sendable, CaseIterable {
        /// Standard-normal noise (the reference).
        case noise
        /// Each row a randomly drawn real training example of its class (text: embedded, padded or
        /// cut to maxlen; images: normalised as the training data).
        case real
        /// Text: each row filled with real training texts of its class one after another, their
        /// padding dropped, the last cut at maxlen (a row of real words with no padding, so a
        /// recurrent model reads, and readable mode can move, every position).
        case packed
        /// The k-means centroids of each class's training examples, as the k-means baseline
        /// (one row per class and step: the class mean); text rows are centroids of embedded,
        /// padded texts.
        case kmeans
    }

    /// Where each outer iteration's network starts.
    public enum InitRegime: String, Codable, Sendable, CaseIterable {
        /// One initialisation, drawn once and stored with the result.
        case fixed
        /// A fresh Xavier-normal draw every iteration; the set must teach any network.
        case random
    }

    /// Samples per distilled class per step (n).
    public var perClass = 1
    /// Distinct steps (S): each has its own inputs and labels.
    public var steps = 1
    /// Passes over the steps (E); the unroll has T = S·E steps, each with its own rate.
    public var epochs = 2
    /// The classes whose one-hot rows initialise the labels, in row order (K of them); nil: all.
    public var initClasses: [Int]? = nil
    public var labelInit = LabelInit.oneHot
    public var sampleInit = SampleInit.noise
    /// With `sampleInit == .real` or `.packed`: sets of real rows drawn; the run starts from the one whose
    /// networks, trained on it with the set's initial labels and rates, have the lowest outer
    /// loss on one fixed batch of the training split (1: the first draw, no choice).
    public var startCandidates = 1
    /// Targets are softmax(labels) instead of the raw labels (for binary tasks sigmoid).
    public var labelSoftmax = false
    /// Learn the inputs (false: only labels and rates are learned, label distillation).
    public var learnInputs = true
    public var learnLabels = true
    public var learnRates = true
    /// The initial inner learning rate η (each ρ starts at log(expm1(η))).
    public var distillLearningRate = 0.01
    /// The outer Adam's learning rate and betas.
    public var learningRate = 0.01
    public var beta1 = 0.5
    public var beta2 = 0.999
    /// The outer rate is multiplied by `decayFactor` every `decayEpochs` outer epochs.
    public var decayEpochs = 10
    public var decayFactor = 0.5
    /// Outer epochs: passes over the real training split in minibatches of `batchSize`.
    public var outerEpochs = 50
    public var batchSize = 1024
    public var initialization = InitRegime.fixed
    /// Networks per outer iteration (random regime); their meta-gradients are averaged.
    public var nets = 1
    public var seed: UInt64 = 1
    /// Readable distillation (text): the inner training sees each position's nearest vocabulary
    /// word, and the meta-gradient taken there updates the continuous rows (straight-through).
    public var readable = false
    /// Readable mode: weight λ of the pull of the rows towards their words, λ · mean over
    /// positions of ‖x − word(x)‖², added to the outer objective.
    public var wordPull = 0.0
    /// The word pull readable runs get unless told otherwise (docs/distillation.md: measured
    /// on TREC-6 Bi-LSTM, 0 lets rows drift to distance ~28 from their words, 0.1 and above hold
    /// them at their starting sentences).
    public static let readableWordPull = 0.01
    /// Readable mode: single-word swaps tried per outer iteration (0: none). The gradient at the
    /// words proposes them; the best that lowers the outer loss is kept (Distiller.swapWord).
    public var wordSwaps = 0
    /// Readable mode: outer epochs over which the inner training's view moves linearly from the
    /// continuous rows to their words, (1 − α)·x + α·word(x) with α = (epoch + 1) / warmup; 0:
    /// the words from the start. The gradient reaches x straight through either way, and the
    /// networks a set is judged by always train on its words.
    public var projectionWarmup = 0
    /// Readable mode: the last P outer epochs hold every row at its word (a polish): Adam moves
    /// only the labels and rates there, and words change only through `wordSwaps`, which are
    /// then tried in these epochs alone. 0: no polish.
    public var polishEpochs = 0
    /// How the backward pass gets the unrolled training's graph: kept whole (memory ∝ T) or
    /// rebuilt segment by segment from weights kept every ⌈√T⌉ steps (memory ∝ √T).
    public var unrollMemory = UnrollMemory.full
    /// Random truncation (RaT-BPTT, Feng et al. 2024): each iteration unrolls a random number of
    /// steps, uniform in W…T, and the meta-gradient flows through the last W of them only (a
    /// biased estimate; the evaluation always trains on all T). Nil: the whole unroll.
    public var window: Int? = nil
    /// Which steps share a learned rate: each its own (T rates, the reference), each pass over
    /// the steps one (E rates), or one for all.
    public var rates = RateSharing.perStep

    /// How the unrolled steps share their learned rates.
    public enum RateSharing: String, Codable, Sendable, CaseIterable {
        case perStep = "per-step"
        case perEpoch = "per-epoch"
        case one
    }

    /// The number of learned rates: T, E or 1.
    public var rateCount: Int {
        switch rates {
        case .perStep: return unrolledSteps
        case .perEpoch: return epochs
        case .one: return 1
        }
    }

    public init() {}

    /// The settings a run for `model` starts from: the reference's rates for that kind of
    /// network (inner η 1.5 and outer 0.1 for recurrent models; η 0.001 for AlexCifarNet; else
    /// 0.01 and 0.01).
    ///
    /// - Parameter model: the kind of network distilled for.
    /// - Returns: the defaults with that kind's rates.
    public static func defaults(for model: ModelKind) -> DistillationSettings {
        var s = DistillationSettings()
        s.distillLearningRate = model.isRecurrent ? 1.5 : model == .alexcifarnet ? 0.001 : 0.01
        s.learningRate = model.isRecurrent ? 0.1 : 0.01
        return s
    }

    /// The names the settings are stored under (format 2): each says what it is. Format 1
    /// stored the property names (`perClass`, `epochs`, `learningRate`, …), still read.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case perClass = "samplesPerClass"
        case steps = "distillSteps"
        case epochs = "innerEpochs"
        case initClasses = "distilledClasses"
        case labelInit, sampleInit, startCandidates, labelSoftmax, learnInputs, learnLabels, learnRates
        case distillLearningRate = "initialInnerLearningRate"
        case learningRate = "outerLearningRate"
        case beta1 = "outerBeta1"
        case beta2 = "outerBeta2"
        case decayEpochs = "outerDecayEpochs"
        case decayFactor = "outerDecayFactor"
        case outerEpochs
        case batchSize = "realBatchSize"
        case initialization = "initRegime"
        case nets = "netsPerIteration"
        case seed, readable, wordPull, wordSwaps, projectionWarmup, polishEpochs, unrollMemory, window, rates

        /// The key format 1 used: the property's name.
        var legacy: String {
            switch self {
            case .perClass: return "perClass"
            case .steps: return "steps"
            case .epochs: return "epochs"
            case .initClasses: return "initClasses"
            case .distillLearningRate: return "distillLearningRate"
            case .learningRate: return "learningRate"
            case .beta1: return "beta1"
            case .beta2: return "beta2"
            case .decayEpochs: return "decayEpochs"
            case .decayFactor: return "decayFactor"
            case .batchSize: return "batchSize"
            case .initialization: return "initialization"
            case .nets: return "nets"
            default: return rawValue
            }
        }
    }

    /// A key of either format.
    struct AnyKey: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    /// Reads settings written by any version: a key that is missing keeps its default.
    ///
    /// - Parameter decoder: the stored settings.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        var s = DistillationSettings()
        func read<T: Decodable>(_ key: CodingKeys, _ value: inout T) throws {
            for name in [key.rawValue, key.legacy] {
                if let v = try c.decodeIfPresent(T.self, forKey: AnyKey(stringValue: name)) {
                    value = v
                    return
                }
            }
        }
        try read(.perClass, &s.perClass)
        try read(.steps, &s.steps)
        try read(.epochs, &s.epochs)
        var classes: [Int]? = nil
        try read(.initClasses, &classes)
        s.initClasses = classes
        try read(.labelInit, &s.labelInit)
        try read(.sampleInit, &s.sampleInit)
        try read(.startCandidates, &s.startCandidates)
        try read(.labelSoftmax, &s.labelSoftmax)
        try read(.learnInputs, &s.learnInputs)
        try read(.learnLabels, &s.learnLabels)
        try read(.learnRates, &s.learnRates)
        try read(.distillLearningRate, &s.distillLearningRate)
        try read(.learningRate, &s.learningRate)
        try read(.beta1, &s.beta1)
        try read(.beta2, &s.beta2)
        try read(.decayEpochs, &s.decayEpochs)
        try read(.decayFactor, &s.decayFactor)
        try read(.outerEpochs, &s.outerEpochs)
        try read(.batchSize, &s.batchSize)
        try read(.initialization, &s.initialization)
        try read(.nets, &s.nets)
        try read(.seed, &s.seed)
        try read(.readable, &s.readable)
        try read(.wordPull, &s.wordPull)
        try read(.wordSwaps, &s.wordSwaps)
        try read(.projectionWarmup, &s.projectionWarmup)
        try read(.polishEpochs, &s.polishEpochs)
        try read(.unrollMemory, &s.unrollMemory)
        var window: Int? = nil
        try read(.window, &window)
        s.window = window
        try read(.rates, &s.rates)
        self = s
    }

    /// Whether outer epoch `epoch` (from 0) is one of the polish's: the rows held at their words.
    ///
    /// - Parameter epoch: the outer epoch.
    /// - Returns: true in the last `polishEpochs` epochs of a readable run.
    public func polishes(epoch: Int) -> Bool {
        readable && polishEpochs > 0 && epoch >= outerEpochs - polishEpochs
    }

    /// Unrolled inner steps, T = S·E.
    public var unrolledSteps: Int { steps * epochs }
}
