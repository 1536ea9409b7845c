import TensorCore

/// A two-layer perceptron over feature vectors: D → hidden (ReLU) → logits (one for two
/// classes). The demo's network: small enough that a whole distillation runs in seconds.
///
/// Parameters (PyTorch names): `fc1.weight` [hidden, D], `fc1.bias`, `fc2.weight` [out, hidden],
/// `fc2.bias`. Input [N, D].
public struct MLP: Model {
    public let inputDimension: Int
    public let hidden: Int
    public let outputCount: Int

    public init(inputDimension: Int, hidden: Int = 32, classes: Int) {
        precondition(inputDimension > 0 && hidden > 0 && classes >= 2, "MLP: invalid hyperparameters")
        self.inputDimension = inputDimension
        self.hidden = hidden
        self.outputCount = classes == 2 ? 1 : classes
    }

    public var name: String { "mlp" }

    public var parameterSpecs: [ParameterSpec] {
        [
            ParameterSpec("fc1.weight", [hidden, inputDimension]), ParameterSpec("fc1.bias", [hidden], .zeros),
            ParameterSpec("fc2.weight", [outputCount, hidden]), ParameterSpec("fc2.bias", [outputCount], .zeros),
        ]
    }

    public func forward(_ w: [Tensor], _ input: Tensor, lengths: [Int]?, context: inout ForwardContext) -> Tensor {
        precondition(
            input.rank == 2 && input.shape[1] == inputDimension,
            "MLP: input \(input.shape), expected [N, \(inputDimension)]")
        return input.linear(weight: w[0], bias: w[1]).relu().linear(weight: w[2], bias: w[3])
    }
}
