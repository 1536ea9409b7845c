import Models
import TensorCore

/// Readable distillation's discrete step (GCG, Zou et al. 2023, after HotFlip, Ebrahimi et al.
/// 2018). Straight-through updates move a word only when its continuous row crosses into
/// another word's cell; a swap jumps there directly:
///
///     g = dL/d(words)                      the meta-gradient taken at the words (no pull)
///     proposals(p) = the k allowed v with the most negative g_p·e_v     one sgemm per step
///     try B swaps (p, v), p uniform, v uniform among proposals(p)
///     the best swap (lowest outer loss, below the current words') is kept if it is also below
///     the current words on a second, random minibatch with other dropout masks
///
/// Each trial re-runs the unrolled inner training (no second-order graph) on the iteration's
/// real minibatch with the same initialisations and dropout masks, so the comparison is exact
/// there; the second minibatch guards against keeping the luckiest of B noisy draws (with
/// TextCNN's dropout, without it nearly every iteration kept a swap and the set got worse).
extension Distiller {
    /// Proposals per position a trial swap is drawn from (GCG's top-k).
    public static let swapProposals = 16

    /// Tries `settings.wordSwaps` single-word swaps proposed by `gradients` (per step, the
    /// meta-gradient at the words) and writes the best into the set if it lowers the outer loss
    /// on `rows`. Called after the Adam step. Returns whether a swap was kept.
    func swapWord(rows: [Int], gradients: [Tensor]) -> Bool {
        guard let projection, settings.wordSwaps > 0 else { return false }
        var rng = RandomGenerator(
            seed: settings.seed, stream: [0x5A9, UInt64(position.epoch), UInt64(position.iteration)])
        let words = set.inputs.map { projection.project($0) }
        let shape = Array(set.inputs[0].shape.prefix(2))
        let proposals = gradients.map { projection.swapCandidates(gradient: $0, k: Self.swapProposals) }
        var trials: [(step: Int, position: Int, id: Int32)] = []
        for _ in 0..<settings.wordSwaps {
            let s = rng.below(set.stepCount)
            let p = rng.below(shape[0] * shape[1])
            let id = proposals[s][p][rng.below(proposals[s][p].count)]
            if id != words[s].ids[p] { trials.append((s, p, id)) }
        }
        guard !trials.isEmpty else { return false }
        let draws = rng.fork()
        let current = words.map(\.ids)
        let swapped = trials.map { t in
            var ids = current
            ids[t.step][t.position] = t.id
            return ids
        }
        let losses = outerLosses(words: [current] + swapped, rows: rows, draws: draws)
        // The first lowest loss; index 0 is the current words, so a swap must be strictly better.
        guard let lowest = losses.indices.min(by: { losses[$0] < losses[$1] }), lowest > 0 else { return false }
        let chosen = lowest - 1
        let best = trials[chosen]
        let check = Array(rng.permutation(train.count).prefix(rows.count))
        let checked = outerLosses(words: [swapped[chosen], current], rows: check, draws: rng.fork())
        guard checked[0] < checked[1] else { return false }
        let row = projection.words([best.id], shape: [1, 1], dtype: set.dtype).values
        set.inputs[best.step].overwrite(from: best.position * projection.dimension, with: row)
        return true
    }

    /// The outer losses on `rows` after the inner training on each set of sentences given as
    /// word ids (per step, row-major [N, L]) with the set's labels and rates; inits and dropout
    /// from `draws`, the same for every set.
    func outerLosses(words sets: [[[Int32]]], rows: [Int], draws: RandomGenerator) -> [Double] {
        guard let projection else { preconditionFailure("Distiller.outerLosses(words:): not a readable run") }
        let shape = Array(set.inputs[0].shape.prefix(2))
        return outerLosses(
            of: sets.map { ids in
                let seen = ids.map { projection.words($0, shape: shape, dtype: set.dtype) }
                return set.constant(inputs: seen.map(\.values), lengths: seen.map(\.lengths))
            }, rows: rows, draws: draws)
    }
}
