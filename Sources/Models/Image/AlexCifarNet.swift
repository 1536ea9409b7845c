import TensorCore

/// The cuda-convnet-style AlexNet of the dataset-distillation reference, for 32×32 images:
/// conv 5×5 (64, pad 2), ReLU, max-pool 3 stride 2 pad 1, local response norm (size 4,
/// α = 0.001/9, β = 0.75, k = 1), conv 5×5 (64, pad 2), ReLU, LRN, max-pool, then
/// 4096 → 384 → 192 → out with ReLUs. Parameters `features.0`, `features.4` (convolutions),
/// `classifier.0`, `classifier.2`, `classifier.4` (`.weight`, `.bias`), PyTorch's
/// `nn.Sequential` indices.
public struct AlexCifarNet: Model {
    public let channels: Int
    public let outputCount: Int

    public init(channels: Int = 3, classes: Int = 10) {
        precondition(channels > 0 && classes >= 2, "AlexCifarNet: invalid channels or classes")
        self.channels = channels
        self.outputCount = classes == 2 ? 1 : classes
    }

    public var name: String { "alexcifarnet" }

    public var parameterSpecs: [ParameterSpec] {
        [
            ParameterSpec("features.0.weight", [64, channels, 5, 5]), ParameterSpec("features.0.bias", [64]),
            ParameterSpec("features.4.weight", [64, 64, 5, 5]), ParameterSpec("features.4.bias", [64]),
            ParameterSpec("classifier.0.weight", [384, 4096]), ParameterSpec("classifier.0.bias", [384]),
            ParameterSpec("classifier.2.weight", [192, 384]), ParameterSpec("classifier.2.bias", [192]),
            ParameterSpec("classifier.4.weight", [outputCount, 192]), ParameterSpec("classifier.4.bias", [outputCount]),
        ]
    }

    public func forward(_ w: [Tensor], _ x: Tensor, lengths: [Int]?, context: inout ForwardContext) -> Tensor {
        precondition(
            x.rank == 4 && x.shape[1...] == [channels, 32, 32][...],
            "AlexCifarNet: input \(x.shape) should be [N, \(channels), 32, 32]")
        func lrn(_ t: Tensor) -> Tensor { t.localResponseNorm(size: 4, alpha: 0.001 / 9, beta: 0.75, k: 1) }
        var h = x.conv2d(weight: w[0], bias: w[1], padding: (2, 2)).relu()
        h = lrn(h.maxPool2d(kernel: (3, 3), stride: (2, 2), padding: (1, 1)))
        h = lrn(h.conv2d(weight: w[2], bias: w[3], padding: (2, 2)).relu()).maxPool2d(
            kernel: (3, 3), stride: (2, 2), padding: (1, 1))
        h = h.reshaped([x.shape[0], 4096])
        return h.linear(weight: w[4], bias: w[5]).relu().linear(weight: w[6], bias: w[7]).relu().linear(
            weight: w[8], bias: w[9])
    }
}
