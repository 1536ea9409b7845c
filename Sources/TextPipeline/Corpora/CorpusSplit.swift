import TensorCore

/// A seeded, stratified split of one labelled file into train and test: each label keeps the
/// same share of its examples in the test part (rounded, at least one where a label has two or
/// more), so small classes are not lost to chance. The same seed and file give the same split.
public enum CorpusSplit {
    /// The examples split into (train, test), each in the file's order.
    ///
    /// - Parameters:
    ///   - examples: the whole file.
    ///   - testFraction: the share of each label that goes to the test part, in (0, 1).
    ///   - seed: which split.
    /// - Returns: the two parts.
    public static func split(_ examples: [RawExample], testFraction: Double, seed: UInt64) -> (
        train: [RawExample], test: [RawExample]
    ) {
        var byLabel: [String: [Int]] = [:]
        for (i, e) in examples.enumerated() { byLabel[e.label, default: []].append(i) }
        var inTest = [Bool](repeating: false, count: examples.count)
        for label in byLabel.keys.sorted() {
            guard let rows = byLabel[label] else { continue }
            var rng = RandomGenerator(seed: seed, stream: Array(label.utf8).map(UInt64.init))
            let count =
                rows.count < 2 ? 0 : min(rows.count - 1, max(1, Int((testFraction * Double(rows.count)).rounded())))
            for k in rng.permutation(rows.count).prefix(count) { inTest[rows[k]] = true }
        }
        let indices = examples.indices
        return (indices.filter { !inTest[$0] }.map { examples[$0] }, indices.filter { inTest[$0] }.map { examples[$0] })
    }
}
