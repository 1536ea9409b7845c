import TensorCore

/// A text model with its own embedding layer, learned from scratch: token ids [N, L] are looked
/// up in a learned table [V, D] and fed to `inner` (a model over embeddings). Trained on decoded
/// distilled text, it shows whether the words transfer outside the embedding space they were
/// distilled in.
///
/// Parameters: `embedding.weight` [V, D] (N(0, 1), PyTorch's `nn.Embedding` default; the
/// `<pad>` row too), then `inner`'s with their names prefixed `encoder.`.
public struct LearnedEmbedding: Model {
    public let vocabularySize: Int
    public let inner: any Model
    public let dimension: Int

    public init(vocabularySize: Int, dimension: Int, inner: any Model) {
        precondition(vocabularySize > 0 && dimension > 0, "LearnedEmbedding: invalid sizes")
        self.vocabularySize = vocabularySize
        self.dimension = dimension
        self.inner = inner
    }

    public var name: String { inner.name + "+embedding" }
    public var outputCount: Int { inner.outputCount }

    public var parameterSpecs: [ParameterSpec] {
        [ParameterSpec("embedding.weight", [vocabularySize, dimension], .standardNormal)]
            + inner.parameterSpecs.map { ParameterSpec("encoder." + $0.name, $0.shape, $0.initialization) }
    }

    public func forward(_ w: [Tensor], _ input: Tensor, lengths: [Int]?, context: inout ForwardContext) -> Tensor {
        let (n, l) = (input.shape[0], input.shape[1])
        let embedded = Tensor.embedding(
            w[0], ids: TokenIDs.read(input, vocabularySize: vocabularySize, model: name), shape: [n, l])
        return inner.forward(Array(w.dropFirst()), embedded, lengths: lengths, context: &context)
    }
}
