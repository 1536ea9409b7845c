import Tasks
import TensorCore
import TextPipeline

/// Readable distillation's projection: every position of distilled sentences [N, L, D] snapped
/// to its nearest allowed vocabulary row (Euclidean, the decoder's metric), searched through
/// BLAS as ‖x‖² − 2x·W + ‖w‖². `<pad>` may be allowed, so that a sentence can end before maxlen:
/// its length is then the position after its last word, and recurrent models see that length.
///
/// The projected inputs are exactly the embedding rows of the chosen words: re-embedding the
/// decoded words gives the same tensor, bit for bit.
public struct WordProjection {
    /// The projection of a batch of sentences.
    public struct Projected {
        /// Vocabulary id of every position, row-major [N, L].
        public let ids: [Int32]
        /// The chosen rows of the embedding table, [N, L, D].
        public let values: Tensor
        /// Each sentence's length: the position after its last non-padding word (at least 1).
        public let lengths: [Int]
        /// Euclidean distance of every position to its word, [N·L].
        public let distances: [Float]
    }

    /// The vocabulary ids a position can become, in search order.
    public let allowedIDs: [Int32]
    /// The padding id, if sentences may end early.
    public let paddingID: Int32?
    private let embeddings: Tensor
    private let search: NearestRows

    /// - Parameters:
    ///   - embeddings: the frozen embedding table [V, D] the distilled inputs live in.
    ///   - allowed: the ids that may appear (e.g. words of the training split with a vector).
    ///   - paddingID: the id of `<pad>` (its row is the zero vector), searched beside `allowed`
    ///     when given.
    public init(embeddings: Tensor, allowed: [Int32], paddingID: Int32?) {
        precondition(
            embeddings.rank == 2, "WordProjection: the embedding table must be [V, D], got \(embeddings.shape)")
        let ids = allowed + (paddingID.map { [$0] } ?? [])
        precondition(
            !ids.isEmpty && ids.allSatisfy { $0 >= 0 && Int($0) < embeddings.shape[0] },
            "WordProjection: allowed ids must be rows of the \(embeddings.shape[0])-row table")
        let d = embeddings.shape[1]
        let table = embeddings.converted(to: .float32).floats
        self.allowedIDs = ids
        self.paddingID = paddingID
        self.embeddings = embeddings
        self.search = NearestRows(table: ids.flatMap { table[(Int($0) * d)..<((Int($0) + 1) * d)] }, dimension: d)
    }

    public var dimension: Int { search.dimension }

    /// Snaps `inputs` [N, L, D] (any dtype; the values come back in it).
    ///
    /// - Parameter inputs: sentences of the table's dimension.
    /// - Returns: each position's word id, the words' rows, each sentence's length and each
    ///   position's distance to its word.
    public func project(_ inputs: Tensor) -> Projected {
        precondition(
            inputs.rank == 3 && inputs.shape[2] == dimension,
            "WordProjection: inputs must be [N, L, \(dimension)], got \(inputs.shape)")
        let (n, l) = (inputs.shape[0], inputs.shape[1])
        let matches = search.nearest(withoutGradients { inputs.converted(to: .float32) }.floats, k: 1)
        let words = self.words(matches.map { allowedIDs[$0[0].index] }, shape: [n, l], dtype: inputs.dtype)
        return Projected(
            ids: words.ids, values: words.values, lengths: words.lengths, distances: matches.map { $0[0].distance })
    }

    /// Sentences given as vocabulary ids (row-major [N, L]): their embedding rows [N, L, D] in
    /// `dtype` and each sentence's length; distances are zero.
    ///
    /// - Parameters:
    ///   - ids: vocabulary ids, row-major.
    ///   - shape: [N, L].
    ///   - dtype: the dtype of the rows returned.
    /// - Returns: the rows, lengths and zero distances.
    public func words(_ ids: [Int32], shape: [Int], dtype: DType) -> Projected {
        precondition(
            shape.count == 2 && ids.count == shape[0] * shape[1],
            "WordProjection.words: \(ids.count) ids for shape \(shape)")
        let (n, l) = (shape[0], shape[1])
        let lengths = (0..<n).map { r -> Int in
            guard let pad = paddingID else { return l }
            let last = (0..<l).last { ids[r * l + $0] != pad }
            return (last ?? 0) + 1
        }
        let values = withoutGradients { Tensor.embedding(embeddings.converted(to: dtype), ids: ids, shape: [n, l]) }
        return Projected(ids: ids, values: values, lengths: lengths, distances: Array(repeating: 0, count: ids.count))
    }

    /// For every position of `gradient` [N, L, D] (the gradient of a loss at the words), the `k`
    /// allowed ids v with the most negative g·e_v, best first: the words whose swap in lowers the
    /// loss most to first order, g·(e_v − e_w) (HotFlip, Ebrahimi et al. 2018; GCG, Zou et al. 2023).
    ///
    /// - Parameters:
    ///   - gradient: dL/d(words) of the sentences, [N, L, D].
    ///   - k: proposals per position.
    /// - Returns: per position (row-major), `k` vocabulary ids, best first.
    public func swapCandidates(gradient: Tensor, k: Int) -> [[Int32]] {
        precondition(
            gradient.rank == 3 && gradient.shape[2] == dimension,
            "WordProjection: gradient must be [N, L, \(dimension)], got \(gradient.shape)")
        let descent = withoutGradients { (-gradient).converted(to: .float32) }.floats
        return search.largestInnerProducts(descent, k: k).map { $0.map { allowedIDs[$0.index] } }
    }
}

extension WordProjection {
    /// Onto the words of a text task's vocabulary that have a vector (never `<unk>`), and `<pad>`.
    ///
    /// - Parameter text: the task whose vocabulary and embeddings give the words.
    public init(words text: TextTask) {
        let missing = Set(text.embeddings.missingWords)
        let allowed = text.vocabulary.words.indices.dropFirst(2).filter { !missing.contains(text.vocabulary.words[$0]) }
            .map(Int32.init)
        self.init(embeddings: text.embeddings.matrix, allowed: allowed, paddingID: Vocabulary.paddingID)
    }
}

extension LoadedTask {
    /// Text: the projection of readable distillation and of the "decoded to words" evaluation:
    /// every vocabulary word of the training split that has a vector (never `<unk>`), and `<pad>`.
    public var wordProjection: WordProjection? { text.map(WordProjection.init(words:)) }
}
