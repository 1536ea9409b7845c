import TensorCore

/// The common dataset-distillation benchmark network: 3 × [conv 3×3 (width, pad 1),
/// instance norm (affine), ReLU, average-pool 2], then a linear layer. Parameters follow its
/// PyTorch `nn.Sequential`: `features.{0,4,8}` (convolutions), `features.{1,5,9}` (norm
/// scale `.weight`, initialised to 1, and `.bias`), `classifier`.
public struct ConvNet3: Model {
    public let channels: Int
    public let imageSize: Int
    public let width: Int
    public let outputCount: Int

    public init(channels: Int, imageSize: Int, classes: Int, width: Int = 128) {
        precondition(channels > 0 && imageSize >= 8 && classes >= 2 && width > 0, "ConvNet3: invalid hyperparameters")
        self.channels = channels
        self.imageSize = imageSize
        self.width = width
        self.outputCount = classes == 2 ? 1 : classes
    }

    public var name: String { "convnet3" }

    private var finalSize: Int { (0..<3).reduce(imageSize) { s, _ in s / 2 } }

    public var parameterSpecs: [ParameterSpec] {
        (0..<3).flatMap { b -> [ParameterSpec] in
            let i = 4 * b
            return [
                ParameterSpec("features.\(i).weight", [width, b == 0 ? channels : width, 3, 3]),
                ParameterSpec("features.\(i).bias", [width]),
                ParameterSpec("features.\(i + 1).weight", [width], .ones),
                ParameterSpec("features.\(i + 1).bias", [width]),
            ]
        } + [
            ParameterSpec("classifier.weight", [outputCount, width * finalSize * finalSize]),
            ParameterSpec("classifier.bias", [outputCount]),
        ]
    }

    public func forward(_ w: [Tensor], _ x: Tensor, lengths: [Int]?, context: inout ForwardContext) -> Tensor {
        precondition(
            x.rank == 4 && x.shape[1...] == [channels, imageSize, imageSize][...],
            "ConvNet3: input \(x.shape) should be [N, \(channels), \(imageSize), \(imageSize)]")
        var h = x
        for b in 0..<3 {
            h = h.conv2d(weight: w[4 * b], bias: w[4 * b + 1], padding: (1, 1))
                .instanceNorm(weight: w[4 * b + 2], bias: w[4 * b + 3]).relu().avgPool2d(2)
        }
        return h.reshaped([x.shape[0], -1]).linear(weight: w[12], bias: w[13])
    }
}
