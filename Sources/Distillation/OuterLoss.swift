import Foundation
import Models
import TensorCore

/// The outer loss of one network on the real minibatch, and its gradient with respect to the
/// network's trained weights, with the minibatch split between the cores.
///
/// The outer loss is the minibatch mean, so it is the row-weighted sum of the parts' means,
/// and so is its gradient. Each part runs the forward and backward pass of its rows on its
/// own core, on detached copies of the weights (BLAS single-threaded inside). Almost all of an
/// outer iteration's work is this pass over the real batch (the distilled steps are a few
/// rows), and most of its ops are too small for BLAS's own threads to help.
///
/// The parts' gradients are added in part order, so a machine gives the same result every
/// time; the float32 result depends on the core count through that order (below `grain`
/// rows per part the batch is not split).
enum OuterLoss {
    /// The fewest rows worth a part.
    static let grain = 128

    /// - Parameters:
    ///   - model: the network.
    ///   - weights: its trained weights (the unrolled inner training's output).
    ///   - input: the real minibatch.
    ///   - lengths: each text's length, or nil.
    ///   - labels: the minibatch's classes.
    /// - Returns: the mean loss and d(loss)/d(weights), one tensor per weight.
    static func gradient(
        model: any Model, weights: [Tensor], input: Tensor, lengths: [Int]?, labels: [Int32]
    ) -> (loss: Double, gradients: [Tensor]) {
        let count = labels.count
        var results = [(loss: Double, gradients: [Tensor])?](
            repeating: nil, count: Parallel.parts(count: count, grain: grain))
        let lock = NSLock()
        Parallel.forParts(count: count, grain: grain) { part, rows in
            let leaves = weights.map { $0.detached().requiringGrad() }
            let x = withoutGradients { input.slice(axis: 0, rows) }
            let loss = model.loss(
                logits: model.logits(leaves, x, lengths: lengths.map { Array($0[rows]) }), labels: Array(labels[rows]))
            let share = Double(rows.count) / Double(count)
            let g = gradients(of: loss, withRespectTo: leaves, seed: Tensor(scalar: share, dtype: loss.dtype))
            lock.lock()
            results[part] = (loss.item * share, g)
            lock.unlock()
        }
        let parts = results.compactMap { $0 }
        let total = parts.dropFirst().reduce(parts[0].gradients) { sum, part in zip(sum, part.gradients).map { $0 + $1 }
        }
        return (parts.reduce(0) { $0 + $1.loss }, total)
    }
}
