import TensorCore

/// Kim's CNN for sentence classification (EMNLP 2014): for each width k, F filters spanning
/// k words × the whole embedding, ReLU, max over time; the maxima concatenated (F·widths),
/// dropout, and a linear layer.
///
/// Parameters (PyTorch `Conv2d(1, F, (k, D))` per width, then `Linear`): `convs.i.weight`
/// [F, 1, k, D], `convs.i.bias` [F], `fc.weight` [out, F·widths], `fc.bias` [out].
/// Input [N, L, D] with L ≥ the widest filter; like the reference, every position counts
/// (lengths are ignored).
public struct TextCNN: Model {
    public let embeddingDimension: Int
    public let outputCount: Int
    public let filters: Int
    public let widths: [Int]
    public let dropout: Double

    public init(
        embeddingDimension: Int, classes: Int, filters: Int = 100, widths: [Int] = [3, 4, 5], dropout: Double = 0.5
    ) {
        precondition(
            embeddingDimension > 0 && classes >= 2 && filters > 0 && !widths.isEmpty && widths.allSatisfy { $0 > 0 }
                && (0..<1).contains(dropout), "TextCNN: invalid hyperparameters")
        self.embeddingDimension = embeddingDimension
        self.outputCount = classes == 2 ? 1 : classes
        self.filters = filters
        self.widths = widths
        self.dropout = dropout
    }

    public var name: String { "textcnn" }

    public var parameterSpecs: [ParameterSpec] {
        widths.enumerated().flatMap { i, k in
            [
                ParameterSpec("convs.\(i).weight", [filters, 1, k, embeddingDimension]),
                ParameterSpec("convs.\(i).bias", [filters]),
            ]
        } + [
            ParameterSpec("fc.weight", [outputCount, filters * widths.count]), ParameterSpec("fc.bias", [outputCount]),
        ]
    }

    public func forward(_ w: [Tensor], _ input: Tensor, lengths: [Int]?, context: inout ForwardContext) -> Tensor {
        let l = input.shape[1]
        precondition(
            input.rank == 3 && input.shape[2] == embeddingDimension && l >= widths.max() ?? 1,
            "TextCNN: input \(input.shape) should be [N, L ≥ \(widths.max() ?? 1), \(embeddingDimension)]")
        // Each width's filters in one op (convolution and max over time, TensorCore's
        // maxWindowResponse), then bias and ReLU on the maxima: both are increasing, so
        // max_p relu(c_p + b) = relu(max_p c_p + b), also in floating point.
        let pooled = widths.enumerated().map { i, k -> Tensor in
            (input.maxWindowResponse(filters: w[2 * i].reshaped([filters, -1]), width: k) + w[2 * i + 1]).relu()
        }
        var features = Tensor.concat(pooled, axis: 1)
        if context.training && dropout > 0 {
            features = features.dropout(
                mask: .dropoutMask(features.shape, probability: dropout, dtype: input.dtype, using: &context.rng))
        }
        let fc = 2 * widths.count
        return features.linear(weight: w[fc], bias: w[fc + 1])
    }
}
