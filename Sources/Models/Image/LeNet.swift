import TensorCore

/// LeNet-5 as in the dataset-distillation reference: conv 5×5 (6, padded by 2 for 28×28
/// inputs), ReLU, max-pool 2, conv 5×5 (16), ReLU, max-pool 2, then 400 → 120 → 84 → out with
/// ReLUs. Parameters `conv1`, `conv2`, `fc1`, `fc2`, `fc3` (`.weight`, `.bias`).
public struct LeNet: Model {
    public let channels: Int
    public let imageSize: Int
    public let outputCount: Int

    public init(channels: Int = 1, imageSize: Int = 28, classes: Int = 10) {
        precondition(
            [28, 32].contains(imageSize) && channels > 0 && classes >= 2, "LeNet: needs 28×28 or 32×32 images")
        self.channels = channels
        self.imageSize = imageSize
        self.outputCount = classes == 2 ? 1 : classes
    }

    public var name: String { "lenet" }

    public var parameterSpecs: [ParameterSpec] {
        [
            ParameterSpec("conv1.weight", [6, channels, 5, 5]), ParameterSpec("conv1.bias", [6]),
            ParameterSpec("conv2.weight", [16, 6, 5, 5]), ParameterSpec("conv2.bias", [16]),
            ParameterSpec("fc1.weight", [120, 400]), ParameterSpec("fc1.bias", [120]),
            ParameterSpec("fc2.weight", [84, 120]), ParameterSpec("fc2.bias", [84]),
            ParameterSpec("fc3.weight", [outputCount, 84]), ParameterSpec("fc3.bias", [outputCount]),
        ]
    }

    public func forward(_ w: [Tensor], _ x: Tensor, lengths: [Int]?, context: inout ForwardContext) -> Tensor {
        precondition(
            x.rank == 4 && x.shape[1...] == [channels, imageSize, imageSize][...],
            "LeNet: input \(x.shape) should be [N, \(channels), \(imageSize), \(imageSize)]")
        let pad = imageSize == 28 ? 2 : 0
        // Pooling before bias and ReLU: both are increasing, so max(relu(c + b)) = relu(max(c) + b),
        // also in floating point, on a quarter of the numbers; the convolution and its pooling
        // are one op, which never writes the full response.
        var h = (x.conv2dMaxPooled(weight: w[0], padding: (pad, pad), pool: (2, 2)) + w[1].reshaped([6, 1, 1])).relu()
        h = (h.conv2dMaxPooled(weight: w[2], pool: (2, 2)) + w[3].reshaped([16, 1, 1])).relu()
        h = h.reshaped([x.shape[0], 400])
        h = h.linear(weight: w[4], bias: w[5]).relu().linear(weight: w[6], bias: w[7]).relu()
        return h.linear(weight: w[8], bias: w[9])
    }
}
