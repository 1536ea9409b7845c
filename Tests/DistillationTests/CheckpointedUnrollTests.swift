import Foundation
import Models
import Tasks
import TensorCore
import Testing

@testable import Distillation

/// The meta-gradient of a float64 problem with the unroll kept whole and with it checkpointed
/// (weights every ⌈√T⌉ steps, segments rebuilt in the backward pass), for a model with dropout
/// (TextCNN: the masks must be drawn again the same way), a recurrent one and an image one.
private func metaGradients(_ name: String, steps: Int, epochs: Int, nets: Int, seed: UInt64) throws -> (
    full: [Double], checkpointed: [Double]
) {
    let model: any Model
    let sample: [Int]
    switch name {
    case "textcnn":
        (model, sample) = (
            TextCNN(embeddingDimension: 6, classes: 3, filters: 4, widths: [2, 3], dropout: 0.3), [7, 6]
        )
    case "bilstm":
        (model, sample) = (
            RecurrentClassifier(cell: .lstm, embeddingDimension: 5, classes: 3, hidden: 4, layers: 2), [6, 5]
        )
    default: (model, sample) = (LeNet(channels: 1, imageSize: 28, classes: 3), [1, 28, 28])
    }
    var rng = RandomGenerator(seed: seed)
    let real = Tensor.randomNormal([24] + sample, std: 0.7, dtype: .float64, using: &rng)
    let labels = (0..<24).map { _ in Int32(rng.below(3)) }
    let lengths: [Int]? = sample.count == 2 ? (0..<24).map { 2 + $0 % (sample[0] - 1) } : nil
    let train = LabelledData(labels: labels, classes: 3) { rows in
        (
            real.reshaped([24, -1]).gather(rows: rows.map(Int32.init)).reshaped([rows.count] + sample),
            lengths.map { l in rows.map { l[$0] } }
        )
    }
    func gradient(_ memory: UnrollMemory) throws -> [Double] {
        var settings = DistillationSettings()
        (settings.steps, settings.epochs, settings.nets, settings.initialization) = (steps, epochs, nets, .random)
        (settings.distillLearningRate, settings.unrollMemory) = (0.05, memory)
        var setRng = RandomGenerator(seed: 9)
        let set = DistilledSet(
            settings: settings, classes: 3, outputs: model.outputCount, sampleShape: sample, dtype: .float64,
            using: &setRng)
        let distiller = try Distiller(model: model, settings: settings, train: train, set: set, fixedInit: nil)
        var r = RandomGenerator(seed: 3)
        let (loss, gradients) = distiller.metaGradient(rows: Array(0..<24), rng: &r)
        return [loss] + gradients.flatMap(\.doubles)
    }
    // OpenBLAS's float64 products differ in their last bits between one thread and two, and its
    // thread count is process-wide, so tests running at the same time would change it between
    // the two runs: both run with BLAS held single-threaded.
    return try BLASThreads.singleThreaded { (try gradient(.full), try gradient(.checkpointed)) }
}

/// Checkpointed and full unrolls give the same float64 meta-gradient, bit for bit: T = 10
/// (segments of 4, 4 and 2), T = 9 (three of 3) and T = 2 (two of 1), one net or two; the
/// Bi-LSTM on three draws of data (with the backward pass in the order of a depth-first search
/// from each segment's output, each of the three differed in one or two last bits).
@Test(arguments: [
    ("textcnn", 2, 5, 1, 5), ("bilstm", 3, 3, 2, 5), ("bilstm", 3, 3, 2, 6), ("bilstm", 3, 3, 2, 7),
    ("lenet", 1, 2, 1, 5),
])
func checkpointedUnrollIsExact(_ name: String, _ steps: Int, _ epochs: Int, _ nets: Int, _ seed: UInt64) throws {
    let (full, checkpointed) = try metaGradients(name, steps: steps, epochs: epochs, nets: nets, seed: seed)
    #expect(full.count == checkpointed.count && full.count > 10)
    let differing = zip(full, checkpointed).filter { $0.0.bitPattern != $0.1.bitPattern }.count
    #expect(differing == 0, "\(name): \(differing) of \(full.count) values differ")
    #expect(full.allSatisfy(\.isFinite) && full.dropFirst().contains { $0 != 0 })
}

@Test func checkpointSegmentsGrowLikeTheSquareRoot() {
    #expect(UnrollMemory.full.segment(100) == 100 && UnrollMemory.checkpointed.segment(100) == 10)
    #expect(UnrollMemory.checkpointed.segment(10) == 4 && UnrollMemory.checkpointed.segment(1) == 1)
}

/// A truncation window: the meta-gradient reaches the rate of the last W steps of the sampled
/// unroll only (W = 1: one rate), a window of all T steps is the whole unroll, and the two
/// memory modes agree under a window too.
@Test func truncationWindowDifferentiatesTheLastSteps() throws {
    var rng = RandomGenerator(seed: 2)
    let real = Tensor.randomNormal([16, 8], dtype: .float64, using: &rng)
    let labels = (0..<16).map { _ in Int32(rng.below(3)) }
    let train = LabelledData(labels: labels, classes: 3) { rows in
        (real.gather(rows: rows.map(Int32.init)), nil)
    }
    let model = MLP(inputDimension: 8, hidden: 5, classes: 3)
    func gradient(window: Int?, memory: UnrollMemory = .full) throws -> [Tensor] {
        var settings = DistillationSettings()
        (settings.steps, settings.epochs, settings.window, settings.unrollMemory) = (2, 3, window, memory)
        var setRng = RandomGenerator(seed: 4)
        let set = DistilledSet(
            settings: settings, classes: 3, outputs: 3, sampleShape: [8], dtype: .float64, using: &setRng)
        var initRng = RandomGenerator(seed: 6)
        let initial = model.initialParameters(dtype: .float64, using: &initRng)
        let distiller = try Distiller(model: model, settings: settings, train: train, set: set, fixedInit: initial)
        var r = RandomGenerator(seed: 8)
        return distiller.metaGradient(rows: Array(0..<16), rng: &r).gradients
    }
    let whole = try gradient(window: nil)
    #expect(try gradient(window: 6).flatMap(\.doubles) == whole.flatMap(\.doubles))
    let one = try gradient(window: 1)
    let rates = try #require(one.last).doubles
    #expect(rates.count == 6 && rates.filter { $0 != 0 }.count == 1, "\(rates)")
    #expect(one.prefix(2).contains { $0.doubles.contains { $0 != 0 } })
    let two = try gradient(window: 2).flatMap(\.doubles)
    #expect(try gradient(window: 2, memory: .checkpointed).flatMap(\.doubles) == two)
}

/// Rates shared per pass or by all steps: the set holds E or 1 of them, every step reads its
/// pass's (or the one), the meta-gradient reaches each, and the artifact keeps the sharing.
@Test(arguments: [DistillationSettings.RateSharing.perEpoch, .one])
func sharedRatesAreLearnedAndStored(_ sharing: DistillationSettings.RateSharing) throws {
    var rng = RandomGenerator(seed: 2)
    let real = Tensor.randomNormal([16, 8], using: &rng)
    let labels = (0..<16).map { _ in Int32(rng.below(3)) }
    let train = LabelledData(labels: labels, classes: 3) { rows in (real.gather(rows: rows.map(Int32.init)), nil) }
    let model = MLP(inputDimension: 8, hidden: 5, classes: 3)
    var settings = DistillationSettings()
    (settings.steps, settings.epochs, settings.rates, settings.batchSize, settings.outerEpochs) = (2, 3, sharing, 8, 1)
    let distiller = try Distiller(model: model, settings: settings, train: train, sampleShape: [8])
    let count = sharing == .one ? 1 : 3
    #expect(distiller.set.rawRates.shape == [count] && distiller.set.learningRates.count == 6)
    #expect((0..<6).map(distiller.set.rateIndex) == (sharing == .one ? [0, 0, 0, 0, 0, 0] : [0, 0, 1, 1, 2, 2]))
    var r = RandomGenerator(seed: 8)
    let rates = try #require(distiller.metaGradient(rows: Array(0..<16), rng: &r).gradients.last)
    #expect(rates.shape == [count] && rates.floats.allSatisfy { $0 != 0 })
    try distiller.iterate()
    let learned = distiller.set.learningRates
    #expect(learned.allSatisfy { abs($0 - 0.01) > 1e-6 })
    #expect(sharing == .one ? Set(learned).count == 1 : learned[0] == learned[1] && learned[2] == learned[3])

    let path = FileManager.default.temporaryDirectory.path + "/shared-rates-\(getpid()).safetensors"
    defer { try? FileManager.default.removeItem(atPath: path) }
    let identity = TaskIdentity(
        kind: .vectors, data: "blobs", classNames: ["a", "b", "c"], sampleShape: [8], trainCount: 16, testCount: 0)
    let info = ArtifactInfo(
        task: identity, model: ModelDescription(kind: .mlp, classes: 3, inputDimension: 8, hidden: 5),
        settings: settings, rowClasses: distiller.set.rowClasses)
    try DistilledArtifact(set: distiller.set, fixedInit: distiller.fixedInit, info: info).write(to: path)
    let read = try DistilledArtifact.read(path).artifact
    #expect(read.set.rawRates.floats == distiller.set.rawRates.floats && read.info.settings.rates == sharing)
}
