import COpenBLAS

/// Nearest rows of a fixed table [count, dimension] for many query rows: the search behind the
/// word decoder and the readable projection.
///
/// One pass over the table in blocks: scores Q·Eᵀ by BLAS sgemm, then Euclidean distance²
/// ‖q‖² − 2q·e + ‖e‖² or cosine distance 1 − q·e/(‖q‖‖e‖) (or, for `largestInnerProducts`, the
/// key −q·e), with a bounded heap per query. The
/// few best candidates are then measured again directly, so the reported distances are exact
/// (a row's own vector is at distance 0, not at the rounding error of the expansion) and the
/// order is by exact distance, ties by row index.
public struct NearestRows: Sendable {
    public enum Metric: String, Sendable, CaseIterable { case euclidean, cosine }

    public struct Match: Equatable, Sendable {
        /// Row of the table.
        public let index: Int
        public let distance: Float
    }

    public let count: Int
    public let dimension: Int
    private let table: [Float]
    private let squaredNorms: [Float]

    /// Searches the row-major `table` [count, dimension].
    ///
    /// - Parameters:
    ///   - table: the rows, row-major.
    ///   - dimension: the length of a row.
    public init(table: [Float], dimension: Int) {
        precondition(
            dimension > 0 && table.count % dimension == 0,
            "NearestRows: \(table.count) values are not rows of \(dimension)")
        self.table = table
        self.dimension = dimension
        count = table.count / dimension
        squaredNorms = (0..<count).map { i in table[(i * dimension)..<((i + 1) * dimension)].reduce(0) { $0 + $1 * $1 }
        }
    }

    /// The row at `index`.
    ///
    /// - Parameter index: the row.
    /// - Returns: its numbers.
    public func row(_ index: Int) -> ArraySlice<Float> { table[(index * dimension)..<((index + 1) * dimension)] }

    /// The `k` nearest rows of each row of `queries` (row-major [rows, dimension]), nearest
    /// first. Cosine distance to a zero row (or from a zero query) counts as 1.
    ///
    /// - Parameters:
    ///   - queries: row-major query vectors of the table's dimension.
    ///   - k: matches per query.
    ///   - metric: Euclidean or cosine distance.
    /// - Returns: per query, its `k` matches (row and exact distance), nearest first.
    public func nearest(_ queries: [Float], k: Int = 1, metric: Metric = .euclidean) -> [[Match]] {
        search(queries, k: k, key: metric == .euclidean ? .euclidean : .cosine)
    }

    /// The `k` rows with the largest inner product q·e with each row of `queries`, largest
    /// first; a match's `distance` is −q·e (maximum inner-product search).
    ///
    /// - Parameters:
    ///   - queries: row-major query vectors of the table's dimension.
    ///   - k: matches per query.
    /// - Returns: per query, its `k` rows with the largest q·e, largest first.
    public func largestInnerProducts(_ queries: [Float], k: Int) -> [[Match]] {
        search(queries, k: k, key: .innerProduct)
    }

    /// What a search ranks by, smallest first.
    private enum Key { case euclidean, cosine, innerProduct }

    private func search(_ queries: [Float], k: Int, key metric: Key) -> [[Match]] {
        precondition(
            queries.count % dimension == 0, "NearestRows: \(queries.count) values are not rows of \(dimension)")
        let rows = queries.count / dimension
        guard rows > 0, count > 0, k > 0 else { return Array(repeating: [], count: rows) }
        let candidates = Swift.min(count, k + 8)
        let queryNorms = (0..<rows).map { r in
            queries[(r * dimension)..<((r + 1) * dimension)].reduce(0) { $0 + $1 * $1 }
        }
        var heaps = [BoundedHeap](repeating: BoundedHeap(capacity: candidates), count: rows)
        let block = 16_384
        var scores = [Float](repeating: 0, count: rows * Swift.min(block, count))
        for start in stride(from: 0, to: count, by: block) {
            let n = Swift.min(block, count - start)
            queries.withUnsafeBufferPointer { q in
                table.withUnsafeBufferPointer { e in
                    cblas_sgemm(
                        CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(n), Int32(dimension), 1,
                        q.baseAddress, Int32(dimension), e.pointer(at: start * dimension), Int32(dimension),
                        0, &scores, Int32(n))
                }
            }
            scores.withUnsafeBufferPointer { sc in
                squaredNorms.withUnsafeBufferPointer { norms in
                    for r in 0..<rows {
                        let row = sc.pointer(at: r * n)
                        let e = norms.pointer(at: start)
                        offer(row, norms: e, count: n, start: start, queryNorm: queryNorms[r], metric, to: &heaps[r])
                    }
                }
            }
        }
        return (0..<rows).map { r in
            let q = queries[(r * dimension)..<((r + 1) * dimension)]
            return heaps[r].items.map { _, w in Match(index: w, distance: exactDistance(q, w, metric, queryNorms[r])) }
                .sorted { ($0.distance, $0.index) < ($1.distance, $1.index) }
                .prefix(k).map { $0 }
        }
    }

    /// Offers the `count` scores q·e of one query against table rows `start…` to its heap,
    /// ranked by `metric` (only a key below the heap's current worst can enter it).
    @inline(__always)
    private func offer(
        _ row: UnsafePointer<Float>, norms e: UnsafePointer<Float>, count n: Int, start: Int, queryNorm: Float,
        _ metric: Key, to heap: inout BoundedHeap
    ) {
        // Only a distance below the heap's current worst can enter it.
        switch metric {
        case .euclidean:
            // ‖q‖² is the same for the whole row: rank by ‖e‖² − 2q·e.
            let qn = queryNorm
            for j in 0..<n {
                let d = e[j] - 2 * row[j]
                if heap.items.count < heap.capacity || d + qn < heap.worst {
                    heap.offer(d + qn, start + j)
                }
            }
        case .cosine:
            let qn = queryNorm.squareRoot()
            for j in 0..<n {
                let scale = qn * e[j].squareRoot()
                let d = scale > 0 ? 1 - row[j] / scale : 1
                if heap.items.count < heap.capacity || d < heap.worst { heap.offer(d, start + j) }
            }
        case .innerProduct:
            for j in 0..<n where heap.items.count < heap.capacity || -row[j] < heap.worst {
                heap.offer(-row[j], start + j)
            }
        }
    }

    private func exactDistance(_ q: ArraySlice<Float>, _ w: Int, _ metric: Key, _ queryNorm: Float) -> Float {
        let e = row(w)
        switch metric {
        case .euclidean:
            return zip(q, e).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        case .cosine:
            let scale = (queryNorm * squaredNorms[w]).squareRoot()
            guard scale > 0 else { return 1 }
            return 1 - zip(q, e).reduce(Float(0)) { $0 + $1.0 * $1.1 } / scale
        case .innerProduct:
            return -zip(q, e).reduce(Float(0)) { $0 + $1.0 * $1.1 }
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
