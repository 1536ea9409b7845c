import TensorCore

/// Readable mode's pieces of an outer step besides the swaps (WordSwaps.swift): the pull of the
/// rows towards their words, the warm-up's blend, and the polish that holds rows at their words.
extension Distiller {
    /// `gradients` with d/dX of the word pull λ · (1/positions) Σ ‖x − word(x)‖² added (the
    /// inputs lead the learnables).
    func addingWordPull(to gradients: [Tensor], _ projected: [WordProjection.Projected]) -> [Tensor] {
        guard settings.wordPull > 0 else { return gradients }
        var result = gradients
        for (s, p) in projected.enumerated() {
            let positions = Double(set.inputs[s].count / p.values.shape[2])
            result[s] = result[s] + (set.inputs[s].detached() - p.values) * (2 * settings.wordPull / positions)
        }
        return result
    }

    /// Readable mode: how far the inner training's view has moved from the continuous rows to
    /// their words in the current epoch (1 without a warm-up).
    public var projectionWeight: Double {
        settings.projectionWarmup == 0
            ? 1 : Swift.min(1, Double(position.epoch + 1) / Double(settings.projectionWarmup))
    }

    /// The polish: the rows go back to the words this iteration saw (its first iteration snaps
    /// them there), so that of the Adam step only the labels' and rates' moves remain.
    func holdAtWords(_ projected: [WordProjection.Projected]) {
        for (s, p) in projected.enumerated() { set.inputs[s].overwrite(from: 0, with: p.values) }
    }
}
