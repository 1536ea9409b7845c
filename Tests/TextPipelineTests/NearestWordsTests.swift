import TensorCore
import Testing

@testable import TextPipeline

@Test func aGloVeRowDecodesToItsOwnWordAtDistanceZero() throws {
    let glove = try GloVe.parse(path: fixture("glove/small.txt"))
    let decoder = NearestWords(glove: glove)
    for word in glove.words where glove.vector(word)!.contains(where: { $0 != 0 }) {
        let match = decoder.nearest(Array(glove.vector(word)!), k: 1)[0][0]
        #expect(match == NearestWords.Match(word: word, distance: 0))
    }
}

@Test(arguments: NearestWords.Metric.allCases)
func topKIsSortedAndMatchesBruteForce(metric: NearestWords.Metric) {
    var rng = RandomGenerator(seed: 8)
    let (v, d, rows, k) = (20_000, 16, 5, 7)  // more than one block of the vocabulary
    let table = Tensor.randomNormal([v, d], using: &rng).floats
    let words = (0..<v).map { "w\($0)" }
    let queries = Tensor.randomNormal([rows, d], using: &rng).floats
    let result = NearestWords(words: words, vectors: table, dimension: d).nearest(queries, k: k, metric: metric)
    for r in 0..<rows {
        let q = Array(queries[(r * d)..<((r + 1) * d)])
        let direct = (0..<v).map { w -> (Float, String) in
            let e = Array(table[(w * d)..<((w + 1) * d)])
            switch metric {
            case .euclidean: return (zip(q, e).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot(), words[w])
            case .cosine:
                let dot = zip(q, e).reduce(0) { $0 + $1.0 * $1.1 }
                let norms = (q.reduce(0) { $0 + $1 * $1 } * e.reduce(0) { $0 + $1 * $1 }).squareRoot()
                return (1 - dot / norms, words[w])
            }
        }.sorted { $0 < $1 }.prefix(k)
        #expect(result[r].map(\.word) == direct.map(\.1))
        #expect(zip(result[r], direct).allSatisfy { abs($0.distance - $1.0) <= 1e-5 * max(1, $1.0) })
        #expect(zip(result[r], result[r].dropFirst()).allSatisfy { $0.distance <= $1.distance })
    }
}
