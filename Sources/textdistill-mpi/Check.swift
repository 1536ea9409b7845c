#if MPI
    import Distillation
    import Foundation
    import Models
    import Tasks
    import TensorCore

    /// `textdistill-mpi check OUT [ITERATIONS] [NETS]`: a float64 distillation of synthetic
    /// blobs (an MLP, random inits, `NETS` per iteration) under this process's cluster; rank 0
    /// writes every learned value (inputs, labels, raw rates) to OUT as raw little-endian
    /// doubles. Run with and without mpirun, the two files must agree (Scripts/check-mpi).
    func float64Check(_ arguments: [String]) throws {
        guard arguments.count >= 1, let iterations = Int(arguments.count > 1 ? arguments[1] : "4"),
            let nets = Int(arguments.count > 2 ? arguments[2] : "2")
        else { throw InputError("usage: textdistill-mpi check OUT [ITERATIONS] [NETS]") }
        let blobs = LoadedTask.blobs(classes: 4, dimension: 16, seed: 3)
        let train = LabelledData(labels: blobs.train.labels, classes: 4) { rows in
            let (x, lengths) = blobs.train.batch(rows)
            return (x.converted(to: .float64), lengths)
        }
        var settings = DistillationSettings.defaults(for: .mlp)
        (settings.initialization, settings.nets, settings.batchSize, settings.epochs) = (.random, nets, 256, 3)
        (settings.distillLearningRate, settings.outerEpochs) = (0.1, 10)
        let model = ModelDescription(kind: .mlp, classes: 4, inputDimension: 16, hidden: 32).make()
        var rng = RandomGenerator(seed: settings.seed)
        let set = DistilledSet(
            settings: settings, classes: 4, outputs: model.outputCount, sampleShape: [16], dtype: .float64,
            using: &rng)
        let distiller = try Distiller(model: model, settings: settings, train: train, set: set, fixedInit: nil)
        for _ in 0..<iterations { try distiller.iterate() }
        guard distiller.cluster.rank == 0 else { return }
        let values = (distiller.set.inputs + distiller.set.labels + [distiller.set.rawRates]).flatMap(\.doubles)
        try AtomicFile.write(values.withUnsafeBytes { Data($0) }, to: arguments[0])
    }

    /// `textdistill-mpi compare A B TOLERANCE`: the largest relative difference between two
    /// files of doubles (float64 check outputs) or two distilled sets (.safetensors, float32:
    /// every learned tensor), printed; exit status 1 above TOLERANCE.
    func compare(_ arguments: [String]) throws -> Bool {
        guard arguments.count == 3, let tolerance = Double(arguments[2]) else {
            throw InputError("usage: textdistill-mpi compare A B TOLERANCE")
        }
        func values(_ path: String) throws -> [Double] {
            if path.hasSuffix(".safetensors") {
                let set = try DistilledArtifact.read(path).artifact.set
                return (set.inputs + set.labels + [set.rawRates]).flatMap(\.doubles)
            }
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
        }
        let (a, b) = (try values(arguments[0]), try values(arguments[1]))
        guard a.count == b.count, !a.isEmpty else {
            throw InputError("\(arguments[0]) and \(arguments[1]) hold \(a.count) and \(b.count) values")
        }
        let scale = Swift.max(a.map(abs).max() ?? 1, 1e-300)
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        let identical = zip(a, b).filter { $0 == $1 }.count
        print(
            String(
                format: "%d values: largest difference %.3g, relative to the largest value %.3g; %d identical",
                a.count, worst, worst / scale, identical))
        return worst / scale <= tolerance
    }
#endif
