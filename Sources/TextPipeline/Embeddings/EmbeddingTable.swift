import TensorCore

/// The frozen embedding matrix of a vocabulary: row i is word i's GloVe vector.
///
/// `<unk>` and `<pad>` are zero vectors. A vocabulary word GloVe lacks gets a zero vector (the
/// reference code's choice) or, with `.random`, a seeded draw from N(0, σ²), σ being the
/// standard deviation of the GloVe values, so rare words stay distinguishable.
public struct EmbeddingTable {
    public enum OutOfVocabulary: Equatable, Sendable {
        case zero
        case random(seed: UInt64)
    }

    /// [vocabulary.count, dimension], float32.
    public let matrix: Tensor
    /// Vocabulary words (specials excluded) with no GloVe vector.
    public let missingWords: [String]
    public var dimension: Int { matrix.shape[1] }

    public init(vocabulary: Vocabulary, glove: GloVe, outOfVocabulary: OutOfVocabulary = .zero) {
        let d = glove.dimension
        var values = [Float](repeating: 0, count: vocabulary.count * d)
        var missing: [String] = []
        var rng: RandomGenerator? = nil
        var sigma: Float = 0
        if case .random(let seed) = outOfVocabulary {
            rng = RandomGenerator(seed: seed)
            let n = Float(Swift.max(glove.vectors.count, 1))
            let mean = glove.vectors.reduce(0, +) / n
            sigma = (glove.vectors.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
        }
        for (i, word) in vocabulary.words.enumerated() where i >= 2 {
            if let v = glove.vector(word) {
                values.replaceSubrange((i * d)..<((i + 1) * d), with: v)
            } else {
                missing.append(word)
                if var r = rng {
                    for k in 0..<d { values[i * d + k] = sigma * Float(r.normal()) }
                    rng = r
                }
            }
        }
        matrix = Tensor(values, shape: [vocabulary.count, d])
        missingWords = missing
    }
}
