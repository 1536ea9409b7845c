import TensorCore

/// Lloyd's k-means with k-means++ seeding, distances through one matrix product per pass
/// (‖x‖² − 2x·c + ‖c‖²). For the centroid baseline: k centroids of one class's examples.
public enum KMeans {
    /// `k` centroids [k, D] of the rows of `points` [M, D] (k ≤ M), deterministic for a seed.
    ///
    /// - Parameters:
    ///   - points: the rows to cluster, [M, D].
    ///   - k: how many centroids (k ≤ M).
    ///   - iterations: Lloyd passes at most.
    ///   - rng: the k-means++ seeding's stream.
    /// - Returns: the centroids [k, D].
    public static func centroids(of points: Tensor, k: Int, iterations: Int = 25, using rng: inout RandomGenerator)
        -> Tensor
    {
        precondition(points.rank == 2 && k >= 1 && k <= points.shape[0], "KMeans: \(k) centroids of \(points.shape)")
        let (m, d) = (points.shape[0], points.shape[1])
        let x = points.converted(to: .float64).doubles
        let norms = (0..<m).map { i in (0..<d).reduce(0.0) { $0 + x[i * d + $1] * x[i * d + $1] } }
        func squaredDistances(_ centroids: [Double]) -> [Double] {  // [M, k]
            let kk = centroids.count / d
            let products = withoutGradients {
                Tensor(x, shape: [m, d]).matmul(Tensor(centroids, shape: [kk, d]), transposeOther: true)
            }.doubles
            return (0..<(m * kk)).map { idx in
                let (i, j) = (idx / kk, idx % kk)
                let c = centroids[(j * d)..<((j + 1) * d)].reduce(0) { $0 + $1 * $1 }
                return Swift.max(norms[i] - 2 * products[idx] + c, 0)
            }
        }
        // k-means++: each next seed drawn with probability ∝ squared distance to the nearest one.
        let first = rng.below(m)
        var centroids = Array(x[(first * d)..<((first + 1) * d)])
        while centroids.count / d < k {
            let dist = squaredDistances(centroids)
            let kk = centroids.count / d
            let nearest = (0..<m).map { i in (0..<kk).map { dist[i * kk + $0] }.min() ?? 0 }
            let total = nearest.reduce(0, +)
            var pick = 0
            if total > 0 {
                var target = rng.uniform() * total
                for (i, w) in nearest.enumerated() {
                    target -= w
                    if target <= 0 {
                        pick = i
                        break
                    }
                }
            } else {
                pick = rng.below(m)
            }
            centroids += x[(pick * d)..<((pick + 1) * d)]
        }
        for _ in 0..<iterations {
            let dist = squaredDistances(centroids)
            var sums = [Double](repeating: 0, count: k * d)
            var counts = [Int](repeating: 0, count: k)
            for i in 0..<m {
                var best = 0
                for j in 1..<k where dist[i * k + j] < dist[i * k + best] { best = j }
                counts[best] += 1
                for t in 0..<d { sums[best * d + t] += x[i * d + t] }
            }
            var next = centroids
            for j in 0..<k where counts[j] > 0 {
                for t in 0..<d { next[j * d + t] = sums[j * d + t] / Double(counts[j]) }
            }
            if next == centroids { break }
            centroids = next
        }
        return Tensor(centroids, shape: [k, d], dtype: points.dtype)
    }
}
