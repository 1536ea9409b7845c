import TensorCore

/// The inverse of the embedding lookup: for each row of a distilled [L × D] matrix, the
/// nearest words of a vocabulary or a whole GloVe table (the search itself is `NearestRows`).
public struct NearestWords: Sendable {
    public typealias Metric = NearestRows.Metric

    public struct Match: Equatable, Sendable {
        public let word: String
        public let distance: Float
    }

    public let words: [String]
    public var dimension: Int { rows.dimension }
    private let rows: NearestRows

    /// Searches `words` with row-major `vectors` [words.count, dimension]. Zero rows (specials,
    /// words without an embedding) are left out: they are not words one can read back.
    public init(words: [String], vectors: [Float], dimension: Int) {
        precondition(
            vectors.count == words.count * dimension,
            "NearestWords: \(vectors.count) values for \(words.count) words of \(dimension)")
        var keptWords: [String] = []
        var kept: [Float] = []
        for (i, w) in words.enumerated() {
            let row = vectors[(i * dimension)..<((i + 1) * dimension)]
            guard row.contains(where: { $0 != 0 }) else { continue }
            keptWords.append(w)
            kept += row
        }
        self.words = keptWords
        self.rows = NearestRows(table: kept, dimension: dimension)
    }

    /// The whole GloVe table.
    public init(glove: GloVe) { self.init(words: glove.words, vectors: glove.vectors, dimension: glove.dimension) }

    /// A corpus vocabulary's embedding rows.
    public init(vocabulary: Vocabulary, embeddings: EmbeddingTable) {
        self.init(words: vocabulary.words, vectors: embeddings.matrix.floats, dimension: embeddings.dimension)
    }

    /// The `k` nearest words of each row of `queries` (row-major [rows, dimension]), nearest first.
    public func nearest(_ queries: [Float], k: Int = 1, metric: Metric = .euclidean) -> [[Match]] {
        rows.nearest(queries, k: k, metric: metric).map {
            $0.map { Match(word: words[$0.index], distance: $0.distance) }
        }
    }
}
