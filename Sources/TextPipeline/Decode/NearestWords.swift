import COpenBLAS

/// The inverse of the embedding lookup: for each row of a distilled [L × D] matrix, the
/// nearest words of a vocabulary or a whole GloVe table.
///
/// One pass over the table in blocks: scores X·Eᵀ by BLAS sgemm, then Euclidean distance²
/// ‖x‖² − 2x·e + ‖e‖² (the reference's metric) or cosine distance 1 − x·e/(‖x‖‖e‖), with a
/// bounded heap per row. The few best candidates are then measured again directly, so the
/// reported distances are exact (a word's own vector is at distance 0, not at the rounding
/// error of the expansion) and the order is by exact distance.
public struct NearestWords: Sendable {
    public enum Metric: String, Sendable, CaseIterable { case euclidean, cosine }

    public struct Match: Equatable, Sendable {
        public let word: String
        public let distance: Float
    }

    public let words: [String]
    public let dimension: Int
    private let table: [Float]
    private let squaredNorms: [Float]

    /// Searches `words` with row-major `vectors` [words.count, dimension]. Zero rows (specials,
    /// words without an embedding) are left out: they are not words one can read back.
    public init(words: [String], vectors: [Float], dimension: Int) {
        precondition(vectors.count == words.count * dimension, "NearestWords: \(vectors.count) values for \(words.count) words of \(dimension)")
        var keptWords: [String] = [], kept: [Float] = [], norms: [Float] = []
        for (i, w) in words.enumerated() {
            let row = vectors[(i * dimension)..<((i + 1) * dimension)]
            let n = row.reduce(0) { $0 + $1 * $1 }
            guard n > 0 else { continue }
            keptWords.append(w)
            kept += row
            norms.append(n)
        }
        self.words = keptWords
        self.table = kept
        self.squaredNorms = norms
        self.dimension = dimension
    }

    /// The whole GloVe table.
    public init(glove: GloVe) { self.init(words: glove.words, vectors: glove.vectors, dimension: glove.dimension) }

    /// A corpus vocabulary's embedding rows.
    public init(vocabulary: Vocabulary, embeddings: EmbeddingTable) {
        self.init(words: vocabulary.words, vectors: embeddings.matrix.floats, dimension: embeddings.dimension)
    }

    /// The `k` nearest words of each row of `queries` (row-major [rows, dimension]), nearest first.
    public func nearest(_ queries: [Float], k: Int = 1, metric: Metric = .euclidean) -> [[Match]] {
        precondition(queries.count % dimension == 0, "NearestWords: \(queries.count) values are not rows of \(dimension)")
        let rows = queries.count / dimension
        let v = words.count
        guard rows > 0, v > 0, k > 0 else { return Array(repeating: [], count: rows) }
        let candidates = Swift.min(v, k + 8)
        let queryNorms = (0..<rows).map { r in queries[(r * dimension)..<((r + 1) * dimension)].reduce(0) { $0 + $1 * $1 } }
        var heaps = [BoundedHeap](repeating: BoundedHeap(capacity: candidates), count: rows)
        let block = 16_384
        var scores = [Float](repeating: 0, count: rows * block)
        for start in stride(from: 0, to: v, by: block) {
            let n = Swift.min(block, v - start)
            queries.withUnsafeBufferPointer { q in
                table.withUnsafeBufferPointer { e in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(n), Int32(dimension), 1,
                                q.baseAddress, Int32(dimension), e.baseAddress! + start * dimension, Int32(dimension),
                                0, &scores, Int32(n))
                }
            }
            scores.withUnsafeBufferPointer { sc in
                squaredNorms.withUnsafeBufferPointer { norms in
                    for r in 0..<rows {
                        let row = sc.baseAddress! + r * n, e = norms.baseAddress! + start
                        var heap = heaps[r]
                        // Only a distance below the heap's current worst can enter it.
                        switch metric {
                        case .euclidean:
                            // ‖x‖² is the same for the whole row: rank by ‖e‖² − 2x·e.
                            let qn = queryNorms[r]
                            for j in 0..<n {
                                let d = e[j] - 2 * row[j]
                                if heap.items.count < heap.capacity || d + qn < heap.worst { heap.offer(d + qn, start + j) }
                            }
                        case .cosine:
                            let qn = queryNorms[r].squareRoot()
                            for j in 0..<n {
                                let d = 1 - row[j] / (qn * e[j].squareRoot())
                                if heap.items.count < heap.capacity || d < heap.worst { heap.offer(d, start + j) }
                            }
                        }
                        heaps[r] = heap
                    }
                }
            }
        }
        return (0..<rows).map { r in
            let q = queries[(r * dimension)..<((r + 1) * dimension)]
            return heaps[r].items.map { _, w in Match(word: words[w], distance: exactDistance(q, w, metric, queryNorms[r])) }
                .sorted { ($0.distance, $0.word) < ($1.distance, $1.word) }
                .prefix(k).map { $0 }
        }
    }

    private func exactDistance(_ q: ArraySlice<Float>, _ w: Int, _ metric: Metric, _ queryNorm: Float) -> Float {
        let e = table[(w * dimension)..<((w + 1) * dimension)]
        switch metric {
        case .euclidean:
            return zip(q, e).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        case .cosine:
            let dot = zip(q, e).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            return 1 - dot / (queryNorm * squaredNorms[w]).squareRoot()
        }
    }
}

/// The `capacity` smallest (key, value) pairs seen, as a max-heap on key.
struct BoundedHeap {
    let capacity: Int
    private(set) var items: [(Float, Int)] = []

    init(capacity: Int) { self.capacity = capacity }

    /// The largest key kept (the first to go).
    var worst: Float { items[0].0 }

    mutating func offer(_ key: Float, _ value: Int) {
        if items.count < capacity {
            items.append((key, value))
            var i = items.count - 1
            while i > 0, items[(i - 1) / 2].0 < items[i].0 {
                items.swapAt(i, (i - 1) / 2)
                i = (i - 1) / 2
            }
        } else if key < items[0].0 {
            items[0] = (key, value)
            var i = 0
            while true {
                let (l, r) = (2 * i + 1, 2 * i + 2)
                var largest = i
                if l < items.count && items[l].0 > items[largest].0 { largest = l }
                if r < items.count && items[r].0 > items[largest].0 { largest = r }
                if largest == i { break }
                items.swapAt(i, largest)
                i = largest
            }
        }
    }
}
