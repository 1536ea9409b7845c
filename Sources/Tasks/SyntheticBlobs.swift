import Models
import TensorCore

/// The demo's task: C classes of Gaussian blobs in D dimensions (centres 1.2 · N(0, I), points
/// centre + N(0, I)), 4,000 training and 2,000 test points, all drawn from one seed. Its name,
/// `blobs-CxD-seedS`, is enough to draw it again.
extension LoadedTask {
    public static func blobs(classes: Int, dimension: Int, seed: UInt64) -> LoadedTask {
        precondition(classes >= 2 && dimension >= 1, "blobs: at least 2 classes and 1 dimension")
        var rng = RandomGenerator(seed: seed)
        let centres = (0..<classes).map { _ in (0..<dimension).map { _ in 1.2 * rng.normal() } }
        func sample(_ n: Int) -> LabelledData {
            var values: [Double] = []
            var labels: [Int32] = []
            for i in 0..<n {
                values += centres[i % classes].map { $0 + rng.normal() }
                labels.append(Int32(i % classes))
            }
            let points = Tensor(values, shape: [n, dimension], dtype: .float32)
            return LabelledData(labels: labels, classes: classes) { rows in
                (points.gather(rows: rows.map(Int32.init)), nil)
            }
        }
        let (train, test) = (sample(4000), sample(2000))
        let identity = TaskIdentity(
            kind: .vectors, data: "blobs-\(classes)x\(dimension)-seed\(seed)",
            classNames: (0..<classes).map { "blob \($0)" },
            sampleShape: [dimension], trainCount: train.count, testCount: test.count)
        return LoadedTask(identity: identity, train: train, test: test, text: nil)
    }

    /// The blobs a name of the form `blobs-CxD-seedS` describes, or nil.
    static func blobs(named name: String) -> LoadedTask? {
        let parts = name.split(separator: "-")
        guard parts.count == 3, parts[0] == "blobs", parts[2].hasPrefix("seed"),
            let seed = UInt64(parts[2].dropFirst(4))
        else { return nil }
        let size = parts[1].split(separator: "x").compactMap { Int($0) }
        guard size.count == 2, size[0] >= 2, size[1] >= 1 else { return nil }
        return blobs(classes: size[0], dimension: size[1], seed: seed)
    }
}
