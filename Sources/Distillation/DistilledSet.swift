import Foundation
import TensorCore

/// The learned objects of soft-label dataset distillation:
/// - per step s < S, inputs X_s [N, sample shape…] (standard-normal or real-example init; free,
///   or seen through a `WordProjection` in readable mode) and raw labels Y_s [N, C] (binary
///   tasks: [N, 1], the target of the one logit);
/// - per unrolled step t < T = S·E, a raw rate ρ_t with η_t = softplus(ρ_t).
///
/// Rows cycle through the distilled classes: row i starts as class `rowClasses[i]`. The same
/// X_s, Y_s serve every epoch; gradients from all their uses add up through the graph.
public final class DistilledSet {
    public let inputs: [Tensor]
    public let labels: [Tensor]
    public let rawRates: Tensor
    /// Passes over the steps (E).
    public let epochs: Int
    /// The class each row was initialised as (the one-hot it started from).
    public let rowClasses: [Int]
    /// Targets are softmax(labels) (binary: sigmoid) instead of the raw labels.
    public let labelSoftmax: Bool
    /// Per step, each row's length (sentences decoded to words may end before maxlen), or nil.
    public let lengths: [[Int]]?

    /// - Parameters:
    ///   - inputs: per step, the rows [N, …].
    ///   - labels: per step, the raw soft labels [N, outputs].
    ///   - rawRates: ρ: one per unrolled step (S × epochs), one per pass (epochs), or one for all.
    ///   - epochs: passes over the steps.
    ///   - rowClasses: the class each row started as.
    ///   - labelSoftmax: targets are softmax(labels).
    ///   - lengths: per step, each row's length, or nil.
    public init(
        inputs: [Tensor], labels: [Tensor], rawRates: Tensor, epochs: Int, rowClasses: [Int], labelSoftmax: Bool,
        lengths: [[Int]]? = nil
    ) {
        precondition(
            !inputs.isEmpty && inputs.count == labels.count
                && [inputs.count * epochs, epochs, 1].contains(rawRates.count),
            "DistilledSet: \(inputs.count) input and \(labels.count) label tensors, \(rawRates.count) rates for \(epochs) epochs"
        )
        precondition(
            inputs.allSatisfy { $0.shape[0] == rowClasses.count }
                && labels.allSatisfy { $0.rank == 2 && $0.shape[0] == rowClasses.count },
            "DistilledSet: every step needs \(rowClasses.count) rows")
        precondition(
            lengths.map { $0.count == inputs.count && $0.allSatisfy { $0.count == rowClasses.count } } ?? true,
            "DistilledSet: lengths must give every row of every step")
        // Leaves of the meta-gradient (constants that happen to need no gradient stay cheap:
        // requiring one only marks the tensor).
        self.inputs = inputs.map { $0.requiresGrad ? $0 : $0.requiringGrad() }
        self.labels = labels.map { $0.requiresGrad ? $0 : $0.requiringGrad() }
        self.rawRates = rawRates.requiresGrad ? rawRates : rawRates.requiringGrad()
        self.epochs = epochs
        self.rowClasses = rowClasses
        self.labelSoftmax = labelSoftmax
        self.lengths = lengths
    }

    /// A fresh set for a task with `classes` classes and samples of `sampleShape`
    /// ([L, D] for text, [C, H, W] for images); `outputs` is the model's logit count
    /// (the class count, or 1 for a binary task).
    ///
    /// - Parameters:
    ///   - settings: steps, samples per class, epochs, initial rate and label scheme.
    ///   - classes: the task's class count.
    ///   - outputs: the model's logit count.
    ///   - sampleShape: one row's shape.
    ///   - dtype: float32, or float64 for checks.
    ///   - rng: the draw of the rows and labels.
    public convenience init(
        settings: DistillationSettings, classes: Int, outputs: Int, sampleShape: [Int],
        dtype: DType = .float32, using rng: inout RandomGenerator
    ) {
        let distilled = settings.initClasses ?? Array(0..<classes)
        let rowClasses = (0..<(settings.perClass * distilled.count)).map { distilled[$0 % distilled.count] }
        let n = rowClasses.count
        var inputs: [Tensor] = []
        var labels: [Tensor] = []
        for _ in 0..<settings.steps {
            inputs.append(Tensor.randomNormal([n] + sampleShape, dtype: dtype, using: &rng))
            labels.append(
                DistilledSet.initialLabels(
                    rowClasses, outputs: outputs, mode: settings.labelInit, dtype: dtype, using: &rng))
        }
        let rho = Foundation.log(Foundation.expm1(settings.distillLearningRate))
        self.init(
            inputs: inputs, labels: labels, rawRates: .full([settings.rateCount], rho, dtype: dtype),
            epochs: settings.epochs, rowClasses: rowClasses, labelSoftmax: settings.labelSoftmax)
    }

    /// Labels of rows starting as `rowClasses`. Binary (one output): the target of the logit,
    /// i.e. the probability of class 1, so a class-1 row starts at 1 and a class-0 row at 0.
    static func initialLabels(
        _ rowClasses: [Int], outputs: Int, mode: DistillationSettings.LabelInit, dtype: DType,
        using rng: inout RandomGenerator
    ) -> Tensor {
        let n = rowClasses.count
        var values = [Double](repeating: 0, count: n * outputs)
        for (i, c) in rowClasses.enumerated() {
            if outputs == 1 {
                switch mode {
                case .oneHot: values[i] = Double(c)
                case .smoothed: values[i] = 0.05 + 0.9 * Double(c)
                case .random: values[i] = rng.uniform()
                }
                continue
            }
            for k in 0..<outputs {
                switch mode {
                case .oneHot: values[i * outputs + k] = k == c ? 1 : 0
                case .smoothed: values[i * outputs + k] = k == c ? 0.9 : 0.1 / Double(outputs - 1)
                case .random: values[i * outputs + k] = rng.uniform()
                }
            }
        }
        return Tensor(values, shape: [n, outputs], dtype: dtype)
    }

    public var stepCount: Int { inputs.count }
    public var unrolledSteps: Int { stepCount * epochs }

    /// The learned rate step t uses: its own, its pass's, or the one rate (by how many there are;
    /// where two readings coincide, S = 1 or T = 1, they give the same index).
    public func rateIndex(_ t: Int) -> Int {
        switch rawRates.count {
        case unrolledSteps: return t
        case epochs: return t / stepCount
        default: return 0
        }
    }
    public var samplesPerStep: Int { rowClasses.count }
    public var dtype: DType { rawRates.dtype }

    /// The learning rate of every unrolled step, η_t = softplus(ρ of step t), as numbers.
    public var learningRates: [Double] {
        let rates = withoutGradients { rawRates.softplus() }.doubles
        return (0..<unrolledSteps).map { rates[rateIndex($0)] }
    }

    /// The schedule of T steps: step t uses X_{t mod S}, Y_{t mod S} and η_t. Built from the
    /// leaves with gradients recorded, so the meta-gradient reaches inputs, labels and rates.
    ///
    /// - Returns: T steps, each with its inputs, labels and rate.
    public func schedule() -> [InnerStep] { schedule(inputs: inputs, lengths: lengths) }

    /// The schedule of readable distillation: each step's inputs are seen as their projection
    /// (the nearest words) in the forward pass, and the meta-gradient taken there flows to the
    /// continuous inputs unchanged (straight-through). Returns the projections too.
    /// With `weight` α < 1 the steps see (1 − α)·x + α·word(x) instead (a warm-up from the
    /// continuous rows to the words), the gradient again reaching x unchanged.
    ///
    /// - Parameters:
    ///   - projection: the vocabulary rows the inputs are snapped to.
    ///   - weight: α, how far the steps' view has moved to the words.
    /// - Returns: the steps and each step's projection.
    public func schedule(projection: WordProjection, weight: Double = 1) -> (
        steps: [InnerStep], projected: [WordProjection.Projected]
    ) {
        let projected = inputs.map { projection.project($0) }
        let seen = zip(inputs, projected).map { x, p in
            x.straightThrough(value: weight >= 1 ? p.values : withoutGradients { x * (1 - weight) + p.values * weight })
        }
        return (schedule(inputs: seen, lengths: projected.map(\.lengths)), projected)
    }

    private func schedule(inputs: [Tensor], lengths: [[Int]]?) -> [InnerStep] {
        let rates = rawRates.softplus()
        return (0..<unrolledSteps).map { t in
            InnerStep(
                inputs: inputs[t % stepCount], labels: labels[t % stepCount],
                learningRate: rates.slice(axis: 0, rateIndex(t)..<(rateIndex(t) + 1)),
                lengths: lengths?[t % stepCount])
        }
    }

    /// The set decoded to words: every input snapped by `projection` (constants), with the
    /// sentences' lengths, the same labels and rates. What a network trains on in readable mode,
    /// and the "decoded to words" evaluation of any text set.
    ///
    /// - Parameter projection: the vocabulary rows positions are snapped to.
    /// - Returns: the decoded set and each step's projection (ids, lengths, distances).
    public func decoded(by projection: WordProjection) -> (set: DistilledSet, projected: [WordProjection.Projected]) {
        let projected = inputs.map { projection.project($0) }
        return (constant(inputs: projected.map(\.values), lengths: projected.map(\.lengths)), projected)
    }

    /// Other inputs with this set's labels and rates as constants (nothing records a gradient):
    /// what a network trains on when a set is only judged, not learned.
    ///
    /// - Parameters:
    ///   - newInputs: one tensor per step, of the old shapes.
    ///   - lengths: per step, each row's length (text snapped to words), or nil.
    /// - Returns: the set of constants.
    public func constant(inputs newInputs: [Tensor], lengths: [[Int]]? = nil) -> DistilledSet {
        DistilledSet(
            inputs: newInputs, labels: labels.map { $0.detached() }, rawRates: rawRates.detached(), epochs: epochs,
            rowClasses: rowClasses, labelSoftmax: labelSoftmax, lengths: lengths)
    }

    /// The same set with other inputs (e.g. real examples to start from; lengths dropped).
    ///
    /// - Parameter newInputs: one tensor per step, of the old shapes.
    /// - Returns: the set with those inputs.
    public func replacingInputs(_ newInputs: [Tensor]) -> DistilledSet {
        DistilledSet(
            inputs: newInputs, labels: labels, rawRates: rawRates, epochs: epochs, rowClasses: rowClasses,
            labelSoftmax: labelSoftmax)
    }

    /// The same set with other raw rates ρ (T of them).
    ///
    /// - Parameter newRawRates: ρ, one per unrolled step.
    /// - Returns: the set with those rates.
    public func replacingRates(_ newRawRates: Tensor) -> DistilledSet {
        DistilledSet(
            inputs: inputs, labels: labels, rawRates: newRawRates, epochs: epochs, rowClasses: rowClasses,
            labelSoftmax: labelSoftmax,
            lengths: lengths)
    }

    /// The same set with one rate η at every step.
    ///
    /// - Parameter rate: η for every step.
    /// - Returns: the set with that rate everywhere.
    public func replacingRates(with rate: Double) -> DistilledSet {
        replacingRates(.full([rawRates.count], Foundation.log(Foundation.expm1(rate)), dtype: dtype))
    }

    /// The leaves an outer optimizer updates: inputs (if learned), then labels (if learned),
    /// then rates (if learned).
    ///
    /// - Parameters:
    ///   - learnInputs: include the inputs.
    ///   - learnLabels: include the labels.
    ///   - learnRates: include the raw rates.
    /// - Returns: the chosen leaves, in that order.
    public func learnables(inputs learnInputs: Bool = true, labels learnLabels: Bool, rates learnRates: Bool)
        -> [Tensor]
    {
        (learnInputs ? inputs : []) + (learnLabels ? labels : []) + (learnRates ? [rawRates] : [])
    }

    /// The inner loss of one step: the soft-label cross-entropy with the raw labels (or their
    /// softmax), (1/N) Σᵢ Σ_c Yᵢc · (−log softmax(zᵢ)_c), linear in Y; for one logit,
    /// BCE-with-logits against the raw target.
    ///
    /// - Parameters:
    ///   - logits: the network's output for the step's rows.
    ///   - labels: the step's raw labels.
    /// - Returns: the scalar loss.
    public func innerLoss(logits: Tensor, labels: Tensor) -> Tensor {
        if logits.shape[1] == 1 {
            return Tensor.binaryCrossEntropy(logits: logits, targets: labelSoftmax ? labels.sigmoid() : labels)
        }
        return Tensor.softTargetCrossEntropy(logits: logits, targets: labelSoftmax ? labels.softmax(axis: 1) : labels)
    }
}
