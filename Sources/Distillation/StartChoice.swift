import TensorCore

/// A new run's choice among several sets of real starting rows (`startCandidates`, with
/// `sampleInit` `.real` or `.packed`). Each candidate is judged as the run's first iteration
/// would see it, before anything is learned:
///
///     w = the run's init (fixed, or `nets` fresh draws shared by all candidates)
///     trained on the candidate's rows (in readable mode: their words, with their lengths)
///     with the set's initial labels and rates, T steps, no second-order graph
///     loss = CE(f(x_real; w), y_real) on one fixed batch of `batchSize` training rows
///
/// and the run starts from the candidate with the lowest loss (the first on ties). Every
/// candidate sees the same inits, dropout masks and batch, so the comparison is exact there.
/// (`outerLosses(of:rows:draws:)`, that judge, is also the one word swaps are tried by.)
public struct StartChoice: Sendable, Equatable {
    /// The candidate the run starts from (0 is the draw a run with one candidate would make).
    public let chosen: Int
    /// Each candidate's outer loss, in draw order.
    public let losses: [Double]
}

extension Distiller {
    /// Writes the best of `candidates` (per candidate, one tensor of rows per step) into the
    /// set's inputs and says which it was.
    func startFromBest(of candidates: [[Tensor]]) -> StartChoice {
        var rng = RandomGenerator(seed: settings.seed, stream: [Distiller.initStream, 0x57A])
        let rows = Array(rng.permutation(train.count).prefix(settings.batchSize))
        let draws = rng.fork()
        let losses = outerLosses(
            of: candidates.map { inputs in
                let candidate = set.constant(inputs: inputs)
                return projection.map { candidate.decoded(by: $0).set } ?? candidate
            }, rows: rows, draws: draws)
        let chosen = losses.indices.min { losses[$0] < losses[$1] } ?? 0
        for (s, x) in candidates[chosen].enumerated() { set.inputs[s].overwrite(from: 0, with: x) }
        return StartChoice(chosen: chosen, losses: losses)
    }

    /// The outer loss on `rows` after the inner training on each of `sets` (constants: nothing
    /// is recorded for a meta-gradient), averaged over `nets` inits. Every set trains from the
    /// same inits and dropout masks, drawn from `draws`, and the real batch is embedded once.
    func outerLosses(of sets: [DistilledSet], rows: [Int], draws: RandomGenerator) -> [Double] {
        let (input, lengths) = train.batch(rows)
        let labels = rows.map { train.labels[$0] }
        return sets.map { seen in
            let steps = seen.schedule()
            var r = draws
            var total = 0.0
            for _ in 0..<settings.nets {
                let initial = fixedInit ?? model.initialParameters(dtype: set.dtype, using: &r)
                let w = trained(from: initial, steps: steps, createGraph: false, dropout: r.fork())
                total +=
                    withoutGradients { model.loss(logits: model.logits(w, input, lengths: lengths), labels: labels) }
                    .item
            }
            return total / Double(settings.nets)
        }
    }
}
