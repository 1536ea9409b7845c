import Foundation
import Models
import TensorCore
import Testing

@testable import Distillation

/// A tiny text-like task: 40 random "sentences" [6, 4] in 3 classes whose mean differs by class.
private func tinyTask() -> LabelledData {
    var rng = RandomGenerator(seed: 11)
    let labels = (0..<40).map { Int32($0 % 3) }
    let x =
        Tensor.randomNormal([40, 6, 4], using: &rng)
        + Tensor(labels.flatMap { c in [Float](repeating: Float(c) - 1, count: 24) }, shape: [40, 6, 4])
    let flat = x.reshaped([40, 24])
    return LabelledData(labels: labels, classes: 3) { rows in
        (flat.gather(rows: rows.map(Int32.init)).reshaped([rows.count, 6, 4]), nil)
    }
}

private func tinySetup(_ regime: DistillationSettings.InitRegime) -> (
    ModelDescription, DistillationSettings, ArtifactInfo.TaskIdentity
) {
    let description = ModelDescription(
        kind: .textcnn, classes: 3, inputDimension: 4, filters: 3, widths: [2, 3], dropout: 0.5)
    var settings = DistillationSettings()
    settings.outerEpochs = 3
    settings.batchSize = 16  // 3 iterations per epoch
    settings.distillLearningRate = 0.1
    settings.initialization = regime
    settings.seed = 99
    let task = ArtifactInfo.TaskIdentity(
        kind: .text, data: "tiny", classNames: ["a", "b", "c"], sampleShape: [6, 4], trainCount: 40, testCount: 0)
    return (description, settings, task)
}

/// A run stopped mid-epoch, written to a checkpoint file, read back and continued must end
/// with bit-for-bit the same set, optimizer state and history as a run that never stopped.
@Test(arguments: [DistillationSettings.InitRegime.fixed, .random])
func resumedRunEndsWithTheSameArtifact(regime: DistillationSettings.InitRegime) throws {
    let train = tinyTask()
    let (description, settings, task) = tinySetup(regime)
    let straight = try Distiller(model: description.make(), settings: settings, train: train, sampleShape: [6, 4])
    while !straight.isFinished { try straight.iterate() }

    let first = try Distiller(model: description.make(), settings: settings, train: train, sampleShape: [6, 4])
    for _ in 0..<4 { try first.iterate() }  // epoch 2, iteration 2
    let info = ArtifactInfo(task: task, model: description, settings: settings, rowClasses: first.set.rowClasses)
    var withHistory = info
    withHistory.history = first.history
    let path = FileManager.default.temporaryDirectory.path + "/resume-\(regime.rawValue)-\(getpid()).safetensors"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try DistilledArtifact(set: first.set, fixedInit: first.fixedInit, info: withHistory)
        .write(to: path, checkpoint: (first.checkpointState, first.optimizer))
    let (artifact, checkpoint, moments) = try DistilledArtifact.read(path)
    let resumed = try Distiller(resuming: artifact, checkpoint: #require(checkpoint), moments: moments, train: train)
    #expect(resumed.position == first.position)
    while !resumed.isFinished { try resumed.iterate() }

    let a = straight.set
    let b = resumed.set
    for (x, y) in zip(a.inputs + a.labels + [a.rawRates], b.inputs + b.labels + [b.rawRates]) {
        #expect(x.doubles == y.doubles, "resumed set differs from the uninterrupted one")
    }
    #expect(straight.optimizer.moments.first.map(\.doubles) == resumed.optimizer.moments.first.map(\.doubles))
    #expect(straight.history.map(\.loss) == resumed.history.map(\.loss))
    // The run did learn something (so equality is not of two untouched sets).
    var rng = RandomGenerator(seed: 99, stream: [0x5E7])
    let untouched = DistilledSet(settings: settings, classes: 3, outputs: 3, sampleShape: [6, 4], using: &rng)
    #expect(untouched.inputs[0].doubles != a.inputs[0].doubles)
}

/// A corrupted checkpoint is refused with a message naming the file, before anything runs.
@Test func corruptArtifactIsRefused() throws {
    let train = tinyTask()
    let (description, settings, task) = tinySetup(.fixed)
    let d = try Distiller(model: description.make(), settings: settings, train: train, sampleShape: [6, 4])
    let path = FileManager.default.temporaryDirectory.path + "/corrupt-\(getpid()).safetensors"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try DistilledArtifact(
        set: d.set, fixedInit: d.fixedInit,
        info: ArtifactInfo(task: task, model: description, settings: settings, rowClasses: d.set.rowClasses)
    )
    .write(to: path)
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    bytes[bytes.count - 3] ^= 0x40  // flip one bit of the last tensor
    try bytes.write(to: URL(fileURLWithPath: path))
    #expect { try DistilledArtifact.read(path) } throws: { error in
        "\(error)".contains(path) && "\(error)".contains("checksum")
    }
}

/// A NaN outer loss stops the run with an error and leaves the set unchanged.
@Test func nanLossIsAnErrorAndChangesNothing() throws {
    let train = tinyTask()
    var (description, settings, _) = tinySetup(.fixed)
    settings.distillLearningRate = 1e30  // the inner step overflows
    description.dropout = 0
    let d = try Distiller(model: description.make(), settings: settings, train: train, sampleShape: [6, 4])
    let before = d.set.inputs[0].doubles
    #expect { try d.iterate() } throws: { error in (error as? Diverged)?.loss.isNaN == true }
    #expect(d.set.inputs[0].doubles == before)
}

/// The divergence error says which stopped being finite: the loss, or only its meta-gradient.
@Test func divergenceSaysWhatStoppedBeingFinite() {
    let onlyGradient = Diverged(epoch: 13, iteration: 4, loss: 1.5).description
    #expect(onlyGradient.contains("meta-gradient stopped being finite") && onlyGradient.contains("1.5"))
    #expect(onlyGradient.contains("epoch 13, iteration 4"))
    #expect(Diverged(epoch: 2, iteration: 1, loss: .nan).description.hasPrefix("the outer loss became nan"))
}

/// An artifact is only used with the data and embedding space it was distilled in.
@Test func mismatchedTaskIdentityIsExplained() {
    let e = ArtifactInfo.EmbeddingIdentity(
        source: "a", dimension: 50, vocabularySize: 10, rowsSHA256: "r1", vocabularySHA256: "v1")
    let mine = ArtifactInfo.TaskIdentity(
        kind: .text, data: "trec6", classNames: ["A", "B"], sampleShape: [30, 50], trainCount: 1, testCount: 1,
        preset: "default", embedding: e)
    #expect(mine.mismatch(with: mine) == nil)
    var otherRows = mine
    otherRows.embedding?.rowsSHA256 = "r2"
    #expect(mine.mismatch(with: otherRows)?.contains("another embedding space") == true)
    var otherClasses = mine
    otherClasses.classNames = ["A", "C"]
    #expect(mine.mismatch(with: otherClasses)?.contains("classes") == true)
    var otherShape = mine
    otherShape.sampleShape = [20, 50]
    #expect(mine.mismatch(with: otherShape)?.contains("shape") == true)
}
