extension DistillationSettings {
    /// The most sets of real examples a run may draw to start from (each costs one inner
    /// training and one pass over a real batch).
    public static let maxStartCandidates = 1000

    /// What makes settings impossible to run (the CLI words each with its option).
    public enum Problem: Equatable, Sendable, CustomStringConvertible {
        case samplesPerClass(Int)
        case stepsOrEpochs(steps: Int, epochs: Int)
        case noDistilledClasses
        case unknownClass(Int, classes: Int)
        case distillLearningRate(Double)
        case learningRate(Double)
        case betas(Double, Double)
        case decay(epochs: Int, factor: Double)
        case sizes(outerEpochs: Int, batchSize: Int, nets: Int)
        case wordPull(Double)
        case wordPullNeedsReadableInputs
        case projectionWarmup(Int)
        case projectionWarmupNeedsReadable
        case wordSwaps(Int)
        case wordSwapsNeedReadableInputs
        case polishEpochs(Int, outerEpochs: Int)
        case polishNeedsReadableInputs
        case startCandidates(Int)
        case startCandidatesNeedRealStart
        case nothingLearned
        case window(Int, steps: Int)

        public var description: String {
            switch self {
            case .samplesPerClass(let n): return "samples per class must be at least 1, got \(n)"
            case .stepsOrEpochs(let s, let e): return "steps and epochs must be at least 1, got \(s) and \(e)"
            case .noDistilledClasses: return "the list of distilled classes is empty"
            case .unknownClass(let c, let n): return "class \(c) is not one of the \(n) classes"
            case .distillLearningRate(let r): return "the distill learning rate must be positive, got \(r)"
            case .learningRate(let r): return "the learning rate must be positive, got \(r)"
            case .betas(let a, let b): return "Adam betas must lie in [0, 1), got \(a) and \(b)"
            case .decay(let e, let f):
                return "decay epochs must be at least 1 and the decay factor positive, got \(e) and \(f)"
            case .sizes(let e, let b, let n):
                return "epochs must be non-negative, batch size and nets at least 1, got \(e), \(b) and \(n)"
            case .wordPull(let w): return "the word pull must be zero or positive, got \(w)"
            case .wordPullNeedsReadableInputs:
                return "a word pull needs readable distillation with inputs that are learned"
            case .projectionWarmup(let e): return "the projection warm-up must be zero or more epochs, got \(e)"
            case .projectionWarmupNeedsReadable: return "a projection warm-up needs readable distillation"
            case .wordSwaps(let n): return "the number of word swaps must be zero or positive, got \(n)"
            case .wordSwapsNeedReadableInputs:
                return "word swaps need readable distillation with inputs that are learned"
            case .polishEpochs(let p, let e):
                return "the polish must be 0 to the \(e) outer epochs, got \(p)"
            case .polishNeedsReadableInputs:
                return "a polish needs readable distillation with inputs that are learned"
            case .startCandidates(let k):
                return "the starting candidates must be 1 to \(DistillationSettings.maxStartCandidates), got \(k)"
            case .startCandidatesNeedRealStart:
                return "choosing among starting candidates needs rows that start as real examples (real or packed)"
            case .nothingLearned: return "nothing is learned: inputs, labels and rates are all fixed"
            case .window(let w, let t): return "the truncation window must be 1 to the \(t) unrolled steps, got \(w)"
            }
        }
    }

    /// Problems with the settings for a task of `classes` classes; empty when valid.
    ///
    /// - Parameter classes: the task's class count.
    /// - Returns: each problem once.
    public func problems(classes: Int) -> [Problem] {
        var p: [Problem] = []
        if perClass < 1 { p.append(.samplesPerClass(perClass)) }
        if steps < 1 || epochs < 1 { p.append(.stepsOrEpochs(steps: steps, epochs: epochs)) }
        if let c = initClasses {
            if c.isEmpty { p.append(.noDistilledClasses) }
            if let bad = c.first(where: { !(0..<classes).contains($0) }) {
                p.append(.unknownClass(bad, classes: classes))
            }
        }
        if !(distillLearningRate > 0) || !distillLearningRate.isFinite {
            p.append(.distillLearningRate(distillLearningRate))
        }
        if !(learningRate > 0) || !learningRate.isFinite { p.append(.learningRate(learningRate)) }
        if !(0..<1).contains(beta1) || !(0..<1).contains(beta2) { p.append(.betas(beta1, beta2)) }
        if decayEpochs < 1 || !(decayFactor > 0) { p.append(.decay(epochs: decayEpochs, factor: decayFactor)) }
        if outerEpochs < 0 || batchSize < 1 || nets < 1 {
            p.append(.sizes(outerEpochs: outerEpochs, batchSize: batchSize, nets: nets))
        }
        if !(wordPull >= 0) || !wordPull.isFinite { p.append(.wordPull(wordPull)) }
        if wordPull > 0 && (!readable || !learnInputs) { p.append(.wordPullNeedsReadableInputs) }
        if projectionWarmup < 0 { p.append(.projectionWarmup(projectionWarmup)) }
        if projectionWarmup > 0 && !readable { p.append(.projectionWarmupNeedsReadable) }
        if wordSwaps < 0 { p.append(.wordSwaps(wordSwaps)) }
        if wordSwaps > 0 && (!readable || !learnInputs) { p.append(.wordSwapsNeedReadableInputs) }
        if !(0...Swift.max(0, outerEpochs)).contains(polishEpochs) {
            p.append(.polishEpochs(polishEpochs, outerEpochs: outerEpochs))
        }
        if polishEpochs > 0 && (!readable || !learnInputs) { p.append(.polishNeedsReadableInputs) }
        if !(1...Self.maxStartCandidates).contains(startCandidates) { p.append(.startCandidates(startCandidates)) }
        if startCandidates > 1 && sampleInit != .real && sampleInit != .packed {
            p.append(.startCandidatesNeedRealStart)
        }
        if !learnInputs && !learnLabels && !learnRates { p.append(.nothingLearned) }
        if let window, !(1...Swift.max(1, unrolledSteps)).contains(window) {
            p.append(.window(window, steps: unrolledSteps))
        }
        return p
    }
}
