import Distillation
import Foundation
import Models
import TensorCore

/// The results table of a distilled set: its own accuracy (fixed init and fresh inits, other
/// architectures) and the baselines beside it (random real samples, k-means centroids, the
/// whole training split). Shared by `distill`, `evaluate` and `baseline`.
struct Assessment {
    var nets = 20
    var baselineDraws = 20
    var fullDataEpochs = 10
    var seed: UInt64 = 1
    var log: (String) -> Void = { _ in }

    /// The set's accuracy with the model it was distilled for (and others, from fresh inits).
    func distilled(_ artifact: DistilledArtifact, task: LoadedTask, otherModels: [ModelDescription]) -> [ArtifactInfo.Result] {
        let model = artifact.model
        var results: [ArtifactInfo.Result] = []
        if let fixedInit = artifact.fixedInit {
            let a = ScheduleEvaluation.accuracy(model, on: artifact.set, from: fixedInit, test: task.test, seed: ScheduleEvaluation.evaluationSeed(seed))
            results.append(.init(name: "distilled, fixed init", model: model.name, accuracy: AccuracySummary([a])))
            log("distilled set, fixed init: \(AccuracySummary([a]).formatted) %")
        }
        for description in [artifact.info.model] + otherModels {
            let m = description.make()
            let summary = ScheduleEvaluation.randomInits(m, on: artifact.set, test: task.test, nets: nets, seed: seed)
            results.append(.init(name: "distilled, random init", model: m.name, accuracy: summary, detail: "\(nets) nets"))
            log("distilled set, \(m.name), \(nets) random inits: \(summary.formatted) %")
        }
        return results
    }

    /// Baselines with the same number of real examples, laid out as the distilled set.
    func baselines(model description: ModelDescription, task: LoadedTask, rowClasses: [Int], steps: Int, epochs: Int,
                   fixedInit: [Tensor]?, fullData: Bool) throws -> [ArtifactInfo.Result] {
        let model = description.make()
        let count = rowClasses.count * steps
        var results: [ArtifactInfo.Result] = []
        let random = try Baselines.evaluate(model, test: task.test, rowClasses: rowClasses, epochs: epochs, draws: baselineDraws,
                                            fixedInit: fixedInit, seed: seed) { d in
            var rng = RandomGenerator(seed: seed, stream: [0x5A3, UInt64(d)])
            return try Baselines.randomSamples(task.train, rowClasses: rowClasses, steps: steps, using: &rng)
        }
        results.append(.init(name: "\(count) random real examples", model: model.name, accuracy: random.accuracy,
                             detail: "best lr \(random.learningRate), \(baselineDraws) draws"))
        log("baseline, \(count) random real examples: \(random.accuracy.formatted) % (best lr \(random.learningRate))")
        var rng = RandomGenerator(seed: seed, stream: [0xC3E])
        let centroids = try Baselines.centroids(task.train, rowClasses: rowClasses, steps: steps, using: &rng)
        let draws = fixedInit == nil ? baselineDraws : 1
        let kmeans = Baselines.evaluate(model, test: task.test, rowClasses: rowClasses, epochs: epochs, draws: draws,
                                        fixedInit: fixedInit, seed: seed) { _ in centroids }
        results.append(.init(name: "\(count) k-means centroids", model: model.name, accuracy: kmeans.accuracy,
                             detail: "best lr \(kmeans.learningRate)" + (draws > 1 ? ", \(draws) inits" : "")))
        log("baseline, \(count) k-means centroids: \(kmeans.accuracy.formatted) % (best lr \(kmeans.learningRate))")
        if fullData {
            var trainer = Trainer()
            trainer.epochs = fullDataEpochs
            trainer.seed = seed
            let (_, history) = trainer.train(model, on: task.train, test: task.test)
            let a = AccuracySummary([history.last!.testAccuracy])
            results.append(.init(name: "full training split (\(task.train.count))", model: model.name, accuracy: a,
                                 detail: "Adam 1e-3, \(fullDataEpochs) epochs"))
            log("baseline, full training split: \(a.formatted) %")
        }
        return results
    }

    /// The table as text.
    static func table(_ results: [ArtifactInfo.Result]) -> String {
        let nameWidth = Swift.max(30, results.map(\.name.count).max() ?? 0)
        var lines = ["result".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  model         accuracy %        detail"]
        for r in results {
            lines.append(r.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  " + r.model.padding(toLength: 12, withPad: " ", startingAt: 0)
                         + "  " + r.accuracy.formatted.padding(toLength: 16, withPad: " ", startingAt: 0) + "  " + (r.detail ?? ""))
        }
        return lines.joined(separator: "\n")
    }
}
