import CTensorSupport

/// Reverse-mode gradients of `output` with respect to `inputs`, with the semantics of
/// PyTorch's `torch.autograd.grad(output, inputs, seed, create_graph=createGraph)`.
///
/// - `seed` is the gradient flowing into `output` (ones when omitted; required unless
///   `output` has one element).
/// - With `createGraph: true` the backward pass is itself recorded, so the returned gradients
///   are differentiable functions of everything they depend on: a gradient of a gradient is
///   `gradients(of: (g * v).sum(), withRespectTo: …)` (a Hessian-vector product).
/// - An input that does not influence `output` gets zeros.
///
/// Only what leads to a requested input is visited. A tensor's history contains only
/// tensors created before it, so the traversal never descends below the oldest requested
/// input: taking the gradient with respect to the current weights of an unrolled training
/// run costs one step's graph, not the whole history.
///
/// - Parameters:
///   - output: the tensor differentiated (a scalar unless `seed` is given).
///   - inputs: the tensors the gradients are taken with respect to, in order.
///   - seed: the gradient flowing into `output`, of its shape.
///   - createGraph: record the backward pass, for gradients of gradients.
/// - Returns: one gradient per input, of its shape and dtype.
public func gradients(
    of output: Tensor, withRespectTo inputs: [Tensor], seed: Tensor? = nil,
    createGraph: Bool = false
) -> [Tensor] {
    precondition(
        seed != nil || output.count == 1,
        "gradients: output of shape \(output.shape) is not a scalar; pass a seed")
    let seedGrad = seed ?? Tensor.ones(output.shape, dtype: output.dtype)
    precondition(
        seedGrad.shape == output.shape,
        "gradients: seed shape \(seedGrad.shape) differs from output shape \(output.shape)")
    guard output.requiresGrad, !inputs.isEmpty else { return inputs.map { $0.zerosLike() } }

    let targets = Set(inputs.map(ObjectIdentifier.init))
    let oldest = inputs.map(\.sequence).min() ?? 0
    let order = backwardOrder(from: output, targets: targets, oldest: oldest)

    return GradMode.with(enabled: createGraph) {
        var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(output): seedGrad]
        var slices = SliceAdjoints()
        for tensor in order.tensors {
            let id = ObjectIdentifier(tensor)
            slices.assemble(into: &grads, for: tensor)
            guard let grad = targets.contains(id) ? grads[id] : grads.removeValue(forKey: id),
                let node = tensor.node
            else { continue }
            if let placement = node.slice {
                if order.relevant[ObjectIdentifier(node.inputs[0])] == true {
                    slices.add(grad, at: placement, of: node.inputs[0])
                }
                continue
            }
            let needs = node.inputs.map { order.relevant[ObjectIdentifier($0)] == true }
            let outer = td_derivative_order()
            td_set_derivative_order(node.order + 1)
            let inputGrads = node.backward(
                BackwardContext(
                    grad: grad, inputs: node.inputs,
                    output: tensor, needsGrad: needs))
            for (i, input) in node.inputs.enumerated() where needs[i] {
                guard let g = inputGrads[i] else { continue }
                precondition(
                    g.shape == input.shape,
                    "gradients: backward of \(node.name) gave shape \(g.shape) for an input of shape \(input.shape)")
                let key = ObjectIdentifier(input)
                grads[key] = grads[key].map { $0 + g } ?? g
            }
            td_set_derivative_order(outer)
        }
        for input in inputs { slices.assemble(into: &grads, for: input) }
        return inputs.map { grads[ObjectIdentifier($0)] ?? $0.zerosLike() }
    }
}

/// The recorded tensors to propagate through, newest first, and which tensors lead to a
/// requested input.
///
/// Newest first (by creation order) is an order of outputs before inputs that depends on the
/// graph alone, not on where the search entered it: a tensor's gradient contributions are
/// added in the same order whether the tensor sits inside one long graph or at the edge of a
/// piece of it differentiated on its own (the checkpointed unroll relies on this to give the
/// full graph's sums bit for bit; a depth-first post-order from the output does not, once a
/// tensor has three or more consumers).
func backwardOrder(from output: Tensor, targets: Set<ObjectIdentifier>, oldest: Int64)
    -> (tensors: [Tensor], relevant: [ObjectIdentifier: Bool])
{
    var relevant: [ObjectIdentifier: Bool] = [:]
    var postOrder: [Tensor] = []
    guard output.node != nil, output.sequence >= oldest else {
        relevant[ObjectIdentifier(output)] = targets.contains(ObjectIdentifier(output))
        return ([], relevant)
    }
    // Iterative depth-first search: (tensor, index of the next input to visit).
    var stack: [(Tensor, Int)] = [(output, 0)]
    relevant[ObjectIdentifier(output)] = false
    while let (tensor, next) = stack.last {
        let inputs = tensor.node?.inputs ?? []
        if next < inputs.count {
            stack[stack.count - 1].1 += 1
            let child = inputs[next]
            let id = ObjectIdentifier(child)
            if relevant[id] != nil { continue }
            if child.node != nil, child.requiresGrad, child.sequence > oldest {
                relevant[id] = false  // in progress; set on the way back up
                stack.append((child, 0))
            } else {
                relevant[id] = targets.contains(id)
            }
        } else {
            stack.removeLast()
            let feeds = inputs.contains { relevant[ObjectIdentifier($0)] == true }
            relevant[ObjectIdentifier(tensor)] = feeds || targets.contains(ObjectIdentifier(tensor))
            if feeds { postOrder.append(tensor) }
        }
    }
    return (postOrder.sorted { $0.sequence > $1.sequence }, relevant)
}
