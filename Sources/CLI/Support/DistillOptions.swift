import ArgumentParser
import Distillation
import Foundation
import Models

/// Distillation settings from the command line, with per-model defaults for the rates.
struct DistillOptions: ParsableArguments {
    @Option(help: "Distilled samples per class per step.") var samplesPerClass: Int = 1
    @Option(help: "Distinct distill steps (S), each with its own samples.") var distillSteps: Int = 1
    @Option(help: "Passes over the steps (E); T = S × E learned rates.") var distillEpochs: Int = 2
    @Option(
        help: ArgumentHelp(
            "Classes that get samples: a count K (classes 0..K-1) or a list like 0,2,4. Rows start as one-hots of these classes in a space of all classes.",
            valueName: "classes"))
    var distillClasses: String?
    @Option(help: "Label initialisation: one-hot, smoothed or random.") var labelInit: DistillationSettings.LabelInit =
        .oneHot
    @Option(
        help:
            "How the rows start: noise (standard normal), real (a random training example of the row's class), packed (text: real texts of the row's class one after another, filling all --maxlen positions, so a recurrent model reads and --readable can move every one) or kmeans (the k-means centroids of the row's class, as the k-means baseline; one row per class: its mean)."
    )
    var sampleInit: DistillationSettings.SampleInit = .noise
    @Option(
        help: ArgumentHelp(
            "With --sample-init real or packed: draw this many sets of real rows and start from the one whose networks (the run's init, trained on it with the initial labels and rates) have the lowest loss on one fixed batch of the training split (1: the first draw). Each candidate costs one inner training and one pass over the batch.",
            valueName: "sets"))
    var startCandidates: Int = 1
    @Flag(
        help:
            "Text: the inner training sees each position's nearest vocabulary word (or <pad>), and the meta-gradient taken there moves the continuous rows (straight-through). The decoded sentences are then exactly what networks train on. Each position holds one word, so --maxlen is the room a sentence has (TREC-6's TextCNN set read best at --maxlen 80; docs/distillation.md)."
    )
    var readable = false
    @Option(
        help:
            "With --readable: weight λ of the pull of each row towards its word, λ · mean ‖x − word(x)‖² (default 0.01 with --readable; 0 lets the rows drift far from every word, 0.1 and more freeze the words)."
    )
    var wordPull: Double?
    @Option(
        help: ArgumentHelp(
            "With --readable: single-word swaps tried per outer iteration (0: none). The gradient at the words proposes them (its \(Distiller.swapProposals) best words per position, as GCG); each trial re-runs the inner training on the iteration's minibatch, and the best swap that lowers the outer loss (there and on a second minibatch) is kept. Each trial re-runs the inner training without the second-order graph. Measured on TREC-6, it did not help (docs/distillation.md).",
            valueName: "trials"))
    var wordSwaps: Int = 0
    @Option(
        help: ArgumentHelp(
            "With --readable: outer epochs over which the inner training's view moves from the continuous rows to their words ((1 − α)·x + α·word(x), α rising linearly to 1; 0: words from the start). The set is always judged, and written, as its words. Measured on TREC-6, it did not help (docs/distillation.md).",
            valueName: "epochs"))
    var projectionWarmup: Int = 0
    @Option(
        help: ArgumentHelp(
            "With --readable: hold every row at its word in the last this many outer epochs (a polish): only the labels and rates learn there, and with --word-swaps the words change by swaps, tried in these epochs alone (0: no polish; docs/distillation.md).",
            valueName: "epochs"))
    var polishEpochs: Int = 0
    @Flag(
        help:
            "Keep the inputs fixed: learn only labels and rates (label distillation; use with --sample-init real, and --readable to train on the sentences as words with their lengths)."
    )
    var fixedInputs = false
    @Flag(help: "Use softmax(labels) as targets (the reference's label-softmax mode).") var labelSoftmax = false
    @Flag(help: "Keep labels fixed (hard-label distillation).") var fixedLabels = false
    @Flag(help: "Keep the learning rates fixed.") var fixedRates = false
    @Option(help: "Initial inner learning rate (default: 1.5 for recurrent models, 0.001 for alexcifarnet, else 0.01).")
    var distillLr: Double?
    @Option(help: "Outer Adam learning rate (default: 0.01 for textcnn, 0.1 for recurrent models).") var lr: Double?
    @Option(help: "Halve the outer rate every this many epochs.") var decayEpochs: Int = 10
    @Option(help: "Outer epochs (passes over the real training split); the reference ran 100–350.") var epochs: Int = 30
    @Option(help: "Real examples per outer iteration.") var batchSize: Int = 1024
    @Option(help: "fixed: one stored init; random: a fresh init every iteration.") var `init`:
        DistillationSettings.InitRegime = .fixed
    @Option(help: "Initialisations per outer iteration (their meta-gradients are averaged).") var nets: Int = 1
    @Option(
        help:
            "How the meta-gradient's backward pass gets the unroll's graph: full (kept whole, memory grows like T) or checkpointed (weights kept every ⌈√T⌉ steps, each segment rebuilt in the backward pass: memory like √T, about one more forward pass of time; the same exact meta-gradient)."
    )
    var unrollMemory: UnrollMemory = .full
    @Option(
        help: ArgumentHelp(
            "Random truncation (RaT-BPTT): each iteration unrolls a random number of steps, uniform in W…T, and the meta-gradient flows through the last W only (a biased estimate; evaluations train on all T).",
            valueName: "W"))
    var window: Int?
    @Option(
        help:
            "Which unrolled steps share a learned rate: per-step (T rates, the reference), per-epoch (one per pass over the steps) or one."
    )
    var rates: DistillationSettings.RateSharing = .perStep
    @Option(
        parsing: .unconditional, help: "Random seed (the set, the init, the batches, dropout). A non-negative integer.")
    var seed: UInt64 = 1

    /// The settings: the model's defaults with these options, or with `like` (a stored set's
    /// settings) those with only the options given with values other than their defaults.
    func settings(model: ModelKind, classes: Int, like base: DistillationSettings? = nil) throws
        -> DistillationSettings
    {
        guard epochs >= 1 else {
            throw ValidationError("--epochs must be at least 1 (outer passes over the training split)")
        }
        let defaults = base == nil ? nil : try DistillOptions.parse([])
        func given<T: Equatable>(_ option: KeyPath<DistillOptions, T>) -> Bool {
            defaults.map { self[keyPath: option] != $0[keyPath: option] } ?? true
        }
        var s = base ?? DistillationSettings.defaults(for: model)
        if given(\.samplesPerClass) { s.perClass = samplesPerClass }
        if given(\.distillSteps) { s.steps = distillSteps }
        if given(\.distillEpochs) { s.epochs = distillEpochs }
        if let text = distillClasses { s.initClasses = try DistillOptions.classes(text, of: classes) }
        if given(\.labelInit) { s.labelInit = labelInit }
        if given(\.sampleInit) { s.sampleInit = sampleInit }
        if given(\.startCandidates) { s.startCandidates = startCandidates }
        if given(\.readable) { s.readable = readable }
        if given(\.fixedInputs) { s.learnInputs = !fixedInputs }
        if let wordPull {
            s.wordPull = wordPull
        } else if base.map({ !$0.readable && readable }) ?? true {
            s.wordPull = s.readable && s.learnInputs ? DistillationSettings.readableWordPull : 0
        }
        if given(\.wordSwaps) { s.wordSwaps = wordSwaps }
        if given(\.projectionWarmup) { s.projectionWarmup = projectionWarmup }
        if given(\.polishEpochs) { s.polishEpochs = polishEpochs }
        if given(\.labelSoftmax) { s.labelSoftmax = labelSoftmax }
        if given(\.fixedLabels) { s.learnLabels = !fixedLabels }
        if given(\.fixedRates) { s.learnRates = !fixedRates }
        if let distillLr { s.distillLearningRate = distillLr }
        if let lr { s.learningRate = lr }
        if given(\.decayEpochs) { s.decayEpochs = decayEpochs }
        if given(\.epochs) { s.outerEpochs = epochs }
        if given(\.batchSize) { s.batchSize = batchSize }
        if given(\.`init`) { s.initialization = `init` }
        if given(\.nets) { s.nets = nets }
        if given(\.unrollMemory) { s.unrollMemory = unrollMemory }
        if let window { s.window = window }
        if given(\.rates) { s.rates = rates }
        if given(\.seed) { s.seed = seed }
        let problems = s.problems(classes: classes)
        guard problems.isEmpty else {
            throw ValidationError(problems.map(DistillOptions.flagged).joined(separator: "; "))
        }
        return s
    }

    /// --distill-classes: a count K (classes 0..K-1) or a comma-separated list.
    static func classes(_ text: String, of classes: Int) throws -> [Int] {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let numbers = parts.compactMap { Int($0) }
        guard numbers.count == parts.count, !numbers.isEmpty else {
            throw ValidationError(
                "--distill-classes takes a count or a comma-separated list of class indices, got '\(text)'")
        }
        if parts.count == 1 && !(1...classes).contains(numbers[0]) {
            throw ValidationError("--distill-classes \(numbers[0]): the task has \(classes) classes")
        }
        return parts.count == 1 ? Array(0..<numbers[0]) : numbers
    }

    /// A settings problem worded with the option that sets the value.
    static func flagged(_ problem: DistillationSettings.Problem) -> String {
        switch problem {
        case .samplesPerClass(let n): return "--samples-per-class must be at least 1, got \(n)"
        case .stepsOrEpochs(let s, let e):
            return "--distill-steps and --distill-epochs must be at least 1, got \(s) and \(e)"
        case .noDistilledClasses: return "--distill-classes lists no class"
        case .unknownClass(let c, let n): return "--distill-classes: class \(c) is not one of the \(n) classes"
        case .distillLearningRate(let r): return "--distill-lr must be positive, got \(r)"
        case .learningRate(let r): return "--lr must be positive, got \(r)"
        case .decay(let e, _): return "--decay-epochs must be at least 1, got \(e)"
        case .sizes(let e, let b, let n):
            return "--epochs must be non-negative, --batch-size and --nets at least 1, got \(e), \(b) and \(n)"
        case .wordPull(let w): return "--word-pull must be zero or positive, got \(w)"
        case .wordPullNeedsReadableInputs:
            return "--word-pull needs --readable, with inputs learned (no --fixed-inputs)"
        case .projectionWarmup(let e): return "--projection-warmup must be zero or more epochs, got \(e)"
        case .projectionWarmupNeedsReadable: return "--projection-warmup needs --readable"
        case .wordSwaps(let n): return "--word-swaps must be zero or positive, got \(n)"
        case .polishEpochs(let p, let e): return "--polish-epochs must be 0 to --epochs (\(e)), got \(p)"
        case .polishNeedsReadableInputs:
            return "--polish-epochs needs --readable, with inputs learned (no --fixed-inputs)"
        case .wordSwapsNeedReadableInputs:
            return "--word-swaps needs --readable, with inputs learned (no --fixed-inputs)"
        case .startCandidates(let k):
            return "--start-candidates must be 1 to \(DistillationSettings.maxStartCandidates), got \(k)"
        case .startCandidatesNeedRealStart: return "--start-candidates needs --sample-init real or packed"
        case .nothingLearned: return "--fixed-inputs, --fixed-labels and --fixed-rates together leave nothing to learn"
        case .window(let w, let t):
            return "--window must be 1 to T = --distill-steps × --distill-epochs = \(t), got \(w)"
        case .betas: return problem.description
        }
    }
}
