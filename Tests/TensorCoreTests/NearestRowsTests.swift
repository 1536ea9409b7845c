import TensorCore
import Testing

/// Maximum inner-product search: the k rows with the largest q·e, largest first, against a
/// direct ranking; the reported key is −q·e.
@Test func largestInnerProductsRankByTheInnerProduct() {
    var rng = RandomGenerator(seed: 12)
    let (count, d) = (300, 7)
    let table = Tensor.randomNormal([count, d], using: &rng).floats
    let queries = Tensor.randomNormal([5, d], using: &rng).floats
    let search = NearestRows(table: table, dimension: d)
    let found = search.largestInnerProducts(queries, k: 4)
    for r in 0..<5 {
        func dot(_ i: Int) -> Float { (0..<d).reduce(0) { $0 + queries[r * d + $1] * table[i * d + $1] } }
        let expected = (0..<count).sorted { dot($0) > dot($1) }.prefix(4)
        #expect(found[r].map(\.index) == Array(expected))
        for m in found[r] { #expect(abs(m.distance + dot(m.index)) < 1e-4) }
    }
}
