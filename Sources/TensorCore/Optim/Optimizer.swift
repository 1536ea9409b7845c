/// An optimizer updates a fixed list of leaf tensors in place from their gradients.
///
/// Updating in place is the one mutation tensors allow; do it only between iterations, when
/// no graph that still needs the old values is alive (as with PyTorch's `optimizer.step()`).
public protocol Optimizer: AnyObject {
    var parameters: [Tensor] { get }
    /// The current learning rate (a schedule sets it).
    var learningRate: Double { get set }
    /// One update, `grads[i]` being the gradient of `parameters[i]`.
    func step(_ grads: [Tensor])
}

extension Optimizer {
    func checkGradients(_ grads: [Tensor], _ name: String) {
        precondition(
            grads.count == parameters.count, "\(name).step: \(grads.count) gradients for \(parameters.count) parameters"
        )
        for (p, g) in zip(parameters, grads) {
            precondition(
                p.shape == g.shape && p.dtype == g.dtype,
                "\(name).step: gradient \(g.shape) (\(g.dtype)) for parameter \(p.shape) (\(p.dtype))")
            precondition(!p.isRecorded, "\(name): parameter \(p.shape) is the output of a recorded op, not a leaf")
        }
    }
}

/// A per-parameter optimizer state buffer, in the parameter's dtype.
func stateBuffers(for parameters: [Tensor]) -> [Tensor] { parameters.map { $0.zerosLike() } }
