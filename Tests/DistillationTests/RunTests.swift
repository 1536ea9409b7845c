import Foundation
import Models
import Tasks
import TensorCore
import Testing

@testable import Distillation

/// A run of the demo's task (4 blobs, MLP), 3 outer epochs, writing into a fresh folder.
private struct SmallRun {
    let folder = FileManager.default.temporaryDirectory.path + "/run-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    var output: String { folder + "/set.safetensors" }
    var checkpoint: String { folder + "/set.checkpoint.safetensors" }

    func make(stopWhen stop: @escaping (DistillationRun.Event) -> Bool = { _ in false }) throws -> DistillationRun {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let task = LoadedTask.blobs(classes: 4, dimension: 6, seed: 3)
        let description = ModelDescription(kind: .mlp, classes: 4, inputDimension: 6, hidden: 8)
        var settings = DistillationSettings.defaults(for: .mlp)
        (settings.outerEpochs, settings.batchSize, settings.distillLearningRate) = (3, 1000, 0.1)
        let distiller = try Distiller(
            model: description.make(), settings: settings, train: task.train, sampleShape: [6])
        let info = ArtifactInfo(
            task: task.identity, model: description, settings: settings, rowClasses: distiller.set.rowClasses)
        var options = DistillationRun.Options()
        (options.evaluateEvery, options.checkpointEvery, options.testNets, options.fullDataEpochs) = (1, 1, 2, 1)
        let run = DistillationRun(
            distiller: distiller, task: task, info: info,
            plan: DistillationRun.Plan(output: output, checkpoint: checkpoint, options: options))
        var stopping = false
        run.onEvent = { if stop($0) { stopping = true } }
        run.stopRequested = { stopping }
        return run
    }

    func remove() { try? FileManager.default.removeItem(atPath: folder) }
}

/// Stopped in the outer loop, a run leaves a checkpoint that holds its options and no set.
@Test func aStopInTheOuterLoopLeavesAResumableCheckpoint() throws {
    let small = SmallRun()
    defer { small.remove() }
    let run = try small.make { if case .iteration(let done, _, _, _) = $0 { return done == 5 } else { return false } }
    #expect { try run.run() } throws: { ($0 as? DistillationRun.Stopped)?.checkpoint == small.checkpoint }
    #expect(!FileManager.default.fileExists(atPath: small.output))
    let (_, state, _) = try DistilledArtifact.read(small.checkpoint)
    #expect(state?.position.epoch == 1 && state?.position.iteration == 1)
    #expect(state?.options == run.plan.options)
}

/// Stopped in any stage of the assessment, the finished set is on disk with the results done
/// before that stage (the full-data training, the last, stops within a batch and leaves its
/// row out); a run that is not stopped has them all.
@Test(arguments: ["distilled, mlp", "baseline, 4 k-means", "baseline, full training split"])
func aStopDuringTheAssessmentKeepsTheSet(stage: String) throws {
    let small = SmallRun()
    defer { small.remove() }
    let complete = try small.make().run()
    let run = try small.make { if case .assessing(let s) = $0 { return s.name.hasPrefix(stage) } else { return false } }
    #expect { try run.run() } throws: { ($0 as? DistillationRun.Stopped)?.finishedSet == small.output }
    let (written, state, _) = try DistilledArtifact.read(small.output)
    #expect(state == nil)
    #expect(written.set.inputs[0].doubles == complete.set.inputs[0].doubles)
    let names = written.info.results.map(\.name)
    let last = stage.hasPrefix("baseline, full")
    #expect(
        !names.isEmpty
            && (last ? names.count == complete.info.results.count - 1 : names.count < complete.info.results.count))
    #expect(names == Array(complete.info.results.map(\.name).prefix(names.count)))
    #expect(!FileManager.default.fileExists(atPath: small.checkpoint))
}

/// The same run twice writes the same bytes (wall-clock seconds are left out of the file).
@Test func theSameRunWritesTheSameBytes() throws {
    let (a, b) = (SmallRun(), SmallRun())
    defer {
        a.remove()
        b.remove()
    }
    _ = try a.make().run()
    _ = try b.make().run()
    let (x, y) = (FileManager.default.contents(atPath: a.output), FileManager.default.contents(atPath: b.output))
    #expect(x != nil && x == y)
    #expect(try DistilledArtifact.read(a.output).artifact.info.history.allSatisfy { $0.seconds == nil })
}

/// Absurd sizes are refused with the memory they would need, before anything is allocated.
@Test func absurdSizesAreRefusedWithTheirEstimate() throws {
    var settings = DistillationSettings()
    settings.perClass = 1_000_000
    #expect { try MemoryEstimate.check(settings: settings, classes: 6, sampleShape: [30, 50]) } throws: {
        "\($0)".contains("GB")
    }
    let expected: Double = (4 * 6_000_000 + 1024) * 1500 * 4
    #expect(MemoryEstimate.bytes(settings: settings, classes: 6, sampleShape: [30, 50]) == expected)
    settings.perClass = 1
    try MemoryEstimate.check(settings: settings, classes: 6, sampleShape: [30, 50])
}

/// A float64 set is refused by every command (they read through `DistilledArtifact.read`) with
/// a message, instead of crashing in a float32 product.
@Test func float64ArtifactsAreRefusedWhenRead() throws {
    let small = SmallRun()
    defer { small.remove() }
    try FileManager.default.createDirectory(atPath: small.folder, withIntermediateDirectories: true)
    var rng = RandomGenerator(seed: 1)
    let settings = DistillationSettings.defaults(for: .mlp)
    let set = DistilledSet(settings: settings, classes: 4, outputs: 4, sampleShape: [6], dtype: .float64, using: &rng)
    let description = ModelDescription(kind: .mlp, classes: 4, inputDimension: 6, hidden: 8)
    let fixedInit = description.make().initialParameters(dtype: .float64, using: &rng)
    let task = LoadedTask.blobs(classes: 4, dimension: 6, seed: 3)
    let info = ArtifactInfo(task: task.identity, model: description, settings: settings, rowClasses: set.rowClasses)
    try DistilledArtifact(set: set, fixedInit: fixedInit, info: info).write(to: small.output)
    #expect { try DistilledArtifact.read(small.output) } throws: { "\($0)".contains("float64") }
}

/// Edited metadata (a result changed by hand) no longer matches its checksum and is refused.
@Test func editedMetadataIsRefused() throws {
    let small = SmallRun()
    defer { small.remove() }
    _ = try small.make().run()
    let contents = try SafeTensors.read(small.output)
    var metadata = contents.metadata
    let text = try #require(metadata["textdistill"])
    metadata["textdistill"] = text.replacingOccurrences(of: "\"loss\":", with: "\"loss\": ")
    try SafeTensors.write(contents.tensors, metadata: metadata, to: small.output)
    #expect { try DistilledArtifact.read(small.output) } throws: { "\($0)".contains("checksum") }
}

/// With a selection on held-out examples, the set written is the one of the best held-out
/// evaluation (re-evaluated, it scores exactly that), the held-out rows are not distilled from,
/// and the artifact says which epoch was kept.
@Test func theSetKeptIsTheBestOnTheHeldOutExamples() throws {
    let folder = FileManager.default.temporaryDirectory.path + "/select-\(getpid())"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let task = LoadedTask.blobs(classes: 4, dimension: 6, seed: 3)
    let (train, heldOut) = ValidationSelection.split(task.train, count: 200, seed: 1)
    #expect(train.count + heldOut.count == task.train.count && heldOut.count == 200)
    let description = ModelDescription(kind: .mlp, classes: 4, inputDimension: 6, hidden: 8)
    var settings = DistillationSettings.defaults(for: .mlp)
    (settings.outerEpochs, settings.batchSize, settings.distillLearningRate, settings.learningRate) = (
        6, 500, 0.1, 0.05
    )
    let distiller = try Distiller(model: description.make(), settings: settings, train: train, sampleShape: [6])
    let info = ArtifactInfo(
        task: task.identity, model: description, settings: settings, rowClasses: distiller.set.rowClasses)
    var options = DistillationRun.Options()
    (options.evaluateEvery, options.testNets, options.baselines, options.fullData) = (1, 2, false, false)
    let run = DistillationRun(
        distiller: distiller, task: task, info: info,
        plan: DistillationRun.Plan(output: folder + "/set.safetensors", checkpoint: nil, options: options))
    run.selection = ValidationSelection(heldOut: heldOut)
    var heldOutAccuracies: [Double] = []
    run.onEvent = { if case .validated(_, let a, _) = $0 { heldOutAccuracies.append(a.mean) } }
    let written = try run.run()
    let best = try #require(run.selection?.best)
    #expect(heldOutAccuracies.count == 6 && best.accuracy == heldOutAccuracies.max())
    #expect(written.info.selection == ArtifactInfo.Selection(heldOut: 200, epoch: best.epoch, accuracy: best.accuracy))
    #expect(distiller.evaluate(test: heldOut).mean == best.accuracy)
}

/// An iteration's units over a cluster: the inits round-robin over the ranks, each whole while
/// there are at least as many inits as ranks, else split into parts of the minibatch; every
/// unit on exactly one rank.
@Test func metaGradientUnitsCoverEveryInitOnce() {
    for (nets, size) in [(1, 1), (4, 1), (4, 2), (3, 2), (2, 4), (1, 3), (2, 3)] {
        let byRank = (0..<size).map { Distiller.units(nets: nets, rank: $0, size: size) }
        let all = byRank.flatMap { $0 }
        let parts = nets >= size ? 1 : size / nets
        #expect(all.count == nets * parts, "nets \(nets), size \(size)")
        #expect(Set(all.map { "\($0.net).\($0.part)" }).count == all.count)
        #expect(all.allSatisfy { $0.parts == parts && $0.net < nets })
        #expect(byRank.map(\.count).max()! - byRank.map(\.count).min()! <= 1)
    }
    #expect(Distiller.units(nets: 4, rank: 1, size: 2).map(\.net) == [1, 3])
    #expect(Distiller.units(nets: 1, rank: 1, size: 2) == [.init(net: 0, part: 1, parts: 2)])
}
