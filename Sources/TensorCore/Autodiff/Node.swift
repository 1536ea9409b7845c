import CTensorSupport

/// What a backward rule is given: the gradient flowing into the op's output, the op's
/// inputs and output (so rules never capture them, which would make reference cycles), and
/// which inputs need a gradient at all.
public struct BackwardContext {
    public let grad: Tensor
    public let inputs: [Tensor]
    public let output: Tensor
    public let needsGrad: [Bool]
}

extension BackwardContext {
    /// The rule of a fused op when its backward pass is itself recorded (a gradient that will be
    /// differentiated again): `composite`, the op written with differentiable ops, replayed on
    /// the op's inputs and differentiated with a recorded graph, seeded with the incoming
    /// gradient; only the inputs that need a gradient get one.
    ///
    /// - Parameter composite: the op's value as differentiable ops of its inputs.
    /// - Returns: one gradient per input (nil where none is needed).
    func replaying(_ composite: ([Tensor]) -> Tensor) -> [Tensor?] {
        let wanted = inputs.indices.filter { needsGrad[$0] }
        let grads = gradients(
            of: composite(inputs), withRespectTo: wanted.map { inputs[$0] }, seed: grad, createGraph: true)
        var result = [Tensor?](repeating: nil, count: inputs.count)
        for (k, i) in wanted.enumerated() { result[i] = grads[k] }
        return result
    }
}

/// A backward rule: the gradients with respect to each input (nil where none is needed).
/// Rules are written with differentiable ops, so when the gradient is taken with
/// `createGraph: true` the backward pass is recorded too and can be differentiated again.
public typealias BackwardRule = (BackwardContext) -> [Tensor?]

/// One recorded op: its inputs and its backward rule. Owned by the op's output tensor.
///
/// Ownership only points from outputs to inputs, so the graph is acyclic and ARC frees it as
/// soon as the last tensor of a computation is dropped. Freeing a long chain (an unrolled
/// training run) would recurse once per op, so `releaseIteratively` unlinks it with an
/// explicit stack instead.
final class Node {
    let name: StaticString
    var inputs: [Tensor]
    let backward: BackwardRule
    /// The derivative order the op ran at (0: forward; 1: inside a backward rule; …).
    let order: Int32
    /// For a slice: which part of its input it is. `gradients` then collects the slices'
    /// gradients of one tensor and assembles them once (`SliceAdjoints`), instead of adding
    /// one zero-padded copy of the whole input per slice.
    let slice: SlicePlacement?

    init(name: StaticString, inputs: [Tensor], slice: SlicePlacement? = nil, backward: @escaping BackwardRule) {
        self.name = name
        self.inputs = inputs
        self.slice = slice
        self.backward = backward
        self.order = td_derivative_order()
    }

    deinit {
        guard !inputs.isEmpty else { return }
        var pending: [Tensor] = []
        swap(&pending, &inputs)
        Node.drain(&pending)
    }

    /// Called from a tensor's deinit with its node.
    static func releaseIteratively(_ node: Node?) {
        guard var node else { return }
        guard isKnownUniquelyReferenced(&node), !node.inputs.isEmpty else { return }
        var pending: [Tensor] = []
        swap(&pending, &node.inputs)
        drain(&pending)
    }

    /// Releases tensors whose last owner is `pending`, detaching their nodes first so that
    /// no deinit recurses into the next op.
    private static func drain(_ pending: inout [Tensor]) {
        while var tensor = pending.popLast() {
            guard isKnownUniquelyReferenced(&tensor), var node = tensor.node else { continue }
            tensor.node = nil
            if isKnownUniquelyReferenced(&node) {
                pending.append(contentsOf: node.inputs)
                node.inputs.removeAll()
            }
        }
    }
}

extension Tensor {
    /// Returns `output` after recording it as the result of op `name` on `inputs`, when
    /// recording is on and some input requires gradients; otherwise returns it unchanged.
    @inline(__always)
    static func record(
        _ name: StaticString, _ output: Tensor, _ inputs: [Tensor], slice: SlicePlacement? = nil,
        _ backward: @escaping BackwardRule
    ) -> Tensor {
        if td_profiling() != 0 { Profiler.note(name, bytes: output.count * output.dtype.size) }
        if GradMode.isEnabled, inputs.contains(where: { $0.requiresGrad }) {
            output.markRecorded(Node(name: name, inputs: inputs, slice: slice, backward: backward))
        }
        return output
    }
}
