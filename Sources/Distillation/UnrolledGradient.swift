import Foundation
import TensorCore

/// How the meta-gradient's backward pass gets the graph of the unrolled inner training.
public enum UnrollMemory: String, Codable, Sendable, CaseIterable {
    /// One graph of all T steps, kept from the forward pass to the backward pass: memory grows
    /// like T.
    case full
    /// The weights kept every k = ⌈√T⌉ steps only; in the backward pass each segment of k steps
    /// is run again from its kept weights, with its graph, and differentiated (memory grows like
    /// √T, about one more forward pass of time). The same exact meta-gradient: in float64 it
    /// equals the full graph's to the last bit.
    case checkpointed

    /// Steps per segment for T steps.
    public func segment(_ steps: Int) -> Int {
        self == .full ? Swift.max(1, steps) : Swift.max(1, Int(Double(steps).squareRoot().rounded(.up)))
    }
}

/// The exact meta-gradient through the unrolled SGD, in either memory mode.
///
/// Every step t trains on its own leaf copies of its inputs, labels and rate, so the backward
/// pass through the unroll yields one gradient per step, which are then carried back through the
/// schedule (the rates' softplus, the straight-through projection, the steps shared by several
/// passes) to the learned tensors, in step order. Both modes therefore add the same numbers in
/// the same order: within a step the graph and its order are the same whether the weights
/// entering it are a node of one long graph or a segment's leaf, and the gradient a segment
/// hands to the one before it is the sum the long graph accumulates at that point.
enum UnrolledGradient {
    /// The inner loss of step `index` for given weights.
    typealias StepLoss = (_ weights: [Tensor], _ step: InnerStep, _ index: Int) -> Tensor

    /// The outer loss after the SGD steps `steps` from `initial`, and its meta-gradient.
    ///
    /// - Parameters:
    ///   - initial: the network's starting weights.
    ///   - steps: the schedule (functions of `learnables`).
    ///   - memory: full graph, or checkpointed segments.
    ///   - learnables: what the meta-gradient is taken for.
    ///   - loss: the inner loss of a step.
    ///   - outer: the outer loss at the trained weights, and its gradient with respect to them.
    ///   - window: differentiate through the last `window` steps only (a truncated, biased
    ///     estimate; the steps before it are run without a graph), or nil for all of them.
    /// - Returns: the outer loss and d(outer)/d(learnables).
    static func metaGradient(
        from initial: [Tensor], steps: [InnerStep], memory: UnrollMemory, window: Int? = nil, learnables: [Tensor],
        loss: StepLoss, outer: ([Tensor]) -> (loss: Double, gradients: [Tensor])
    ) -> (loss: Double, gradients: [Tensor]) {
        let leaves = steps.map { s in
            InnerStep(
                inputs: leaf(s.inputs), labels: leaf(s.labels), learningRate: leaf(s.learningRate), lengths: s.lengths)
        }
        func forward(_ w: [Tensor], _ t: Int, createGraph: Bool = true) -> [Tensor] {
            InnerTraining.step(w, leaves[t], createGraph: createGraph) { loss($0, $1, t) }
        }
        // Before the window: plain steps, nothing kept.
        let first = window.map { Swift.max(0, steps.count - $0) } ?? 0
        var w = initial.map { $0.detached().requiringGrad() }
        for t in 0..<first { w = forward(w, t, createGraph: false) }
        let k = memory.segment(steps.count - first)
        // The forward pass: the weights at the start of every segment, and at the end.
        // Checkpointed: each step's graph is dropped once the next weights are known, except in
        // the last segment, whose graph the backward pass uses as it is.
        let last = first + (steps.count - first - 1) / k * k
        var kept: [[Tensor]] = []
        var graph: [Tensor] = w
        for t in first..<steps.count {
            if (t - first) % k == 0 { kept.append(graph) }
            graph = forward(graph, t)
            if memory == .checkpointed && t + 1 <= last { graph = graph.map { $0.detached().requiringGrad() } }
            w = graph
        }
        let (outerLoss, atEnd) = outer(w.map { $0.detached() })
        var perStep = [[Tensor?]](repeating: [nil, nil, nil], count: steps.count)
        var adjoint = atEnd
        for segment in stride(from: kept.count - 1, through: 0, by: -1) {
            let range = (first + segment * k)..<Swift.min(first + (segment + 1) * k, steps.count)
            let start: [Tensor]
            let end: [Tensor]
            if memory == .full || segment == kept.count - 1 {
                (start, end) = (kept[segment], graph)
            } else {
                start = kept[segment]
                end = range.reduce(start) { forward($0, $1) }
            }
            let seeded = zip(end, adjoint).map { ($0 * $1).sum() }.reduce(Tensor(scalar: 0, dtype: end[0].dtype), +)
            let stepLeaves = range.flatMap { [leaves[$0].inputs, leaves[$0].labels, leaves[$0].learningRate] }
            // The first segment's start is the init: no one needs its gradient.
            let carried = segment > 0 ? start : []
            let g = gradients(of: seeded, withRespectTo: carried + stepLeaves)
            adjoint = Array(g[0..<carried.count])
            for (i, t) in range.enumerated() {
                for part in 0..<3 { perStep[t][part] = g[carried.count + 3 * i + part] }
            }
        }
        return (outerLoss, throughSchedule(steps, perStep, to: learnables))
    }

    /// A copy of `t` that the step's graph starts from (a constant stays itself).
    private static func leaf(_ t: Tensor) -> Tensor { t.requiresGrad ? t.detached().requiringGrad() : t }

    /// The steps' gradients carried back to the learned tensors: the backward pass of
    /// Σ_t ⟨step t's tensors, their gradients⟩ through the schedule, added in step order.
    private static func throughSchedule(
        _ steps: [InnerStep], _ perStep: [[Tensor?]], to learnables: [Tensor]
    ) -> [Tensor] {
        var total: Tensor? = nil
        for (t, s) in steps.enumerated() {
            // A step's copy requires a gradient exactly when its tensor does (`leaf`).
            for (part, value) in [s.inputs, s.labels, s.learningRate].enumerated() where value.requiresGrad {
                guard let g = perStep[t][part] else { continue }
                let term = (value * g).sum()
                total = total.map { $0 + term } ?? term
            }
        }
        guard let total else { return learnables.map { $0.zerosLike() } }
        return gradients(of: total, withRespectTo: learnables)
    }
}
