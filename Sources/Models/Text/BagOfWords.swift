import TensorCore

/// Bag-of-words logistic regression: the logits of a text are the mean, over its words, of
/// one learned row per vocabulary word, plus a bias (softmax or, for two classes, one logit).
/// It reads token ids, not embeddings, so it learns nothing from the embedding space a set
/// was distilled in: a test of whether the distilled words themselves carry the signal.
///
/// Parameters (PyTorch `EmbeddingBag(V, out, mode="mean")` + bias): `embedding.weight`
/// [V, out] and `bias` [out], both starting at zero. Input [N, L] token ids (as numbers);
/// with lengths, only each text's first `length` positions count.
public struct BagOfWords: Model {
    public let vocabularySize: Int
    public let outputCount: Int

    public init(vocabularySize: Int, classes: Int) {
        precondition(vocabularySize > 0 && classes >= 2, "BagOfWords: invalid hyperparameters")
        self.vocabularySize = vocabularySize
        self.outputCount = classes == 2 ? 1 : classes
    }

    public var name: String { "bow" }

    public var parameterSpecs: [ParameterSpec] {
        [
            ParameterSpec("embedding.weight", [vocabularySize, outputCount], .zeros),
            ParameterSpec("bias", [outputCount]),
        ]
    }

    public func forward(_ w: [Tensor], _ input: Tensor, lengths: [Int]?, context: inout ForwardContext) -> Tensor {
        let (n, l) = (input.shape[0], input.shape[1])
        let rows = Tensor.embedding(
            w[0], ids: TokenIDs.read(input, vocabularySize: vocabularySize, model: name), shape: [n, l])
        let weights = (0..<n).flatMap { i -> [Double] in
            let length = Swift.max(1, Swift.min(l, lengths?[i] ?? l))
            return (0..<l).map { $0 < length ? 1 / Double(length) : 0 }
        }
        let mean = (rows * Tensor(weights, shape: [n, l, 1], dtype: w[0].dtype)).sum(axis: 1)
        return mean + w[1]
    }
}

/// Token ids carried in a tensor (exact as floats below 2²⁴).
enum TokenIDs {
    static func read(_ input: Tensor, vocabularySize: Int, model: String) -> [Int32] {
        precondition(input.rank == 2, "\(model): input must be token ids [N, L], got \(input.shape)")
        let ids = input.doubles.map { Int32($0) }
        precondition(
            ids.allSatisfy { $0 >= 0 && Int($0) < vocabularySize },
            "\(model): a token id is outside the vocabulary of \(vocabularySize)")
        return ids
    }
}
