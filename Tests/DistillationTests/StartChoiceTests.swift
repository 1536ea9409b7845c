import Models
import Tasks
import TensorCore
import Testing

@testable import Distillation

/// The demo's task (4 blobs, MLP) with rows that start as real examples.
private func realStart(candidates: Int) throws -> (Distiller, DistillationSettings, LabelledData) {
    let task = LoadedTask.blobs(classes: 4, dimension: 6, seed: 3)
    var settings = DistillationSettings.defaults(for: .mlp)
    (settings.outerEpochs, settings.batchSize, settings.distillLearningRate) = (1, 200, 0.1)
    (settings.sampleInit, settings.startCandidates) = (.real, candidates)
    let model = ModelDescription(kind: .mlp, classes: 4, inputDimension: 6, hidden: 8).make()
    let d = try Distiller(model: model, settings: settings, train: task.train, sampleShape: [6])
    return (d, settings, task.train)
}

/// With several real starting candidates the run starts from the one of lowest outer loss,
/// drawn as a one-candidate run draws (its first candidate is that run's start), and says so.
@Test func theRunStartsFromTheBestOfItsRealCandidates() throws {
    let (one, settings, train) = try realStart(candidates: 1)
    let (best, _, _) = try realStart(candidates: 8)
    #expect(one.start == nil)
    var draw = RandomGenerator(seed: settings.seed, stream: [Distiller.initStream, 0x2EA1])
    let candidates = try (0..<8).map { _ in
        try Baselines.randomSamples(train, rowClasses: one.set.rowClasses, steps: 1, using: &draw)[0].doubles
    }
    #expect(one.set.inputs[0].doubles == candidates[0])
    let start = try #require(best.start)
    #expect(start.losses.count == 8)
    #expect(Set(start.losses).count > 1, "the candidates should differ in loss")
    #expect(start.losses[start.chosen] == start.losses.min())
    #expect(start.chosen != 0, "with this seed a later draw is better than the first")
    #expect(best.set.inputs[0].doubles == candidates[start.chosen])
    // On other rows of the training split too, the chosen start trains better than the worst.
    let worst = try #require(start.losses.indices.max { start.losses[$0] < start.losses[$1] })
    func loss(_ candidate: Int) -> Double {
        one.outerLosses(
            of: [one.set.replacingInputs([Tensor(candidates[candidate], shape: [4, 6], dtype: one.set.dtype)])],
            rows: Array(0..<200),
            draws: RandomGenerator(seed: 1))[0]
    }
    #expect(loss(start.chosen) < loss(worst))
}

/// Candidates are a choice among real draws: other starts, and counts out of range, are refused.
@Test func startCandidatesNeedARealStartAndACountInRange() {
    var s = DistillationSettings()
    s.startCandidates = 4
    #expect(s.problems(classes: 3) == [.startCandidatesNeedRealStart])
    s.sampleInit = .real
    #expect(s.problems(classes: 3).isEmpty)
    s.startCandidates = 0
    #expect(s.problems(classes: 3) == [.startCandidates(0)])
    s.startCandidates = DistillationSettings.maxStartCandidates + 1
    #expect(s.problems(classes: 3).contains(.startCandidates(DistillationSettings.maxStartCandidates + 1)))
}
