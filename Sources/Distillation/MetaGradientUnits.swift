import TensorCore

/// How an iteration's meta-gradient is cut into units of work for the cluster's ranks and put
/// back together (`Distiller.outerGradient`).
extension Distiller {
    /// One piece of an iteration's meta-gradient: init `net`, and part `part` of `parts` of the
    /// real minibatch (a minibatch is split only when there are more ranks than inits).
    struct Unit: Equatable {
        let net: Int, part: Int, parts: Int
    }

    /// The units of an iteration on a cluster of `size` ranks, and the ones rank `rank` computes
    /// (every `size`-th, from `rank`): the `nets` inits, each whole, or split into `size / nets`
    /// parts of the minibatch when the ranks outnumber the inits.
    static func units(nets: Int, rank: Int, size: Int) -> [Unit] {
        let parts = nets >= size ? 1 : size / nets
        let all = (0..<nets).flatMap { k in (0..<parts).map { Unit(net: k, part: $0, parts: parts) } }
        return all.enumerated().filter { $0.offset % size == rank }.map(\.element)
    }

    /// The units' shares added in order, summed over the ranks, and scaled to the mean over the
    /// inits.
    func finish(_ results: [(loss: Double, gradients: [Tensor])], _ projected: [WordProjection.Projected])
        -> (loss: Double, gradients: [Tensor], projected: [WordProjection.Projected])
    {
        let learnables = optimizer.parameters
        var total =
            results.first?.gradients
            ?? learnables.map { Tensor.zeros($0.shape, dtype: $0.dtype) }
        for r in results.dropFirst() { total = zip(total, r.gradients).map { $0 + $1 } }
        var loss = [results.reduce(0) { $0 + $1.loss }]
        cluster.sum(&loss)
        total = cluster.sum(total)
        let scale = 1 / Double(settings.nets)
        return (loss[0] * scale, settings.nets == 1 ? total : total.map { $0 * scale }, projected)
    }
}
