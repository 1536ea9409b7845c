import Distillation
import Foundation
import Models
import Tasks
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

    /// Which form of a text set is trained on.
    enum Form {
        /// As learned (readable sets: their words, which is what they were learned as).
        case learned
        /// Every position snapped to its nearest word and re-embedded.
        case decoded
        /// Both: the learned rows, then the decoded ones (a readable set's two rows agree).
        case both
    }

    /// The set's accuracy with the model it was distilled for (and others, from fresh inits).
    func distilled(_ artifact: DistilledArtifact, task: LoadedTask, otherModels: [ModelDescription], form: Form = .both) -> [ArtifactInfo.Result] {
        let projection = task.wordProjection
        let decoded = projection.map { artifact.set.decoded(by: $0).set }
        // A readable set was learned as its words: its own rows are the decoded ones.
        let readable = artifact.info.settings.readable
        var forms: [(name: String, set: DistilledSet)] = []
        if form != .decoded { forms.append(("distilled", readable ? decoded! : artifact.set)) }
        if form != .learned, let decoded { forms.append(("distilled, decoded to words", decoded)) }
        var results: [ArtifactInfo.Result] = []
        for (name, set) in forms {
            if readable, name != forms[0].name, form == .both {
                // The same set as the row above: the same numbers, said so.
                results += results.map { ArtifactInfo.Result(name: $0.name.replacingOccurrences(of: forms[0].name, with: name), model: $0.model,
                                                             accuracy: $0.accuracy, detail: ($0.detail.map { $0 + ", " } ?? "") + "readable: the same words") }
                continue
            }
            results += evaluate(set, name: name, artifact: artifact, task: task, otherModels: otherModels)
        }
        return results
    }

    private func evaluate(_ set: DistilledSet, name: String, artifact: DistilledArtifact, task: LoadedTask,
                          otherModels: [ModelDescription]) -> [ArtifactInfo.Result] {
        let model = artifact.model
        var results: [ArtifactInfo.Result] = []
        if let fixedInit = artifact.fixedInit {
            let a = ScheduleEvaluation.accuracy(model, on: set, from: fixedInit, test: task.test, seed: ScheduleEvaluation.evaluationSeed(seed))
            results.append(.init(name: "\(name), fixed init", model: model.name, accuracy: AccuracySummary([a])))
            log("\(name), fixed init: \(AccuracySummary([a]).formatted) %")
        }
        for description in [artifact.info.model] + otherModels {
            let m = description.make()
            let summary = ScheduleEvaluation.randomInits(m, on: set, test: task.test, nets: nets, seed: seed)
            results.append(.init(name: "\(name), random init", model: m.name, accuracy: summary, detail: "\(nets) nets"))
            log("\(name), \(m.name), \(nets) random inits: \(summary.formatted) %")
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
        if let projection = task.wordProjection {
            let snapped = centroids.map { projection.project($0) }
            let words = Baselines.evaluate(model, test: task.test, rowClasses: rowClasses, epochs: epochs, draws: draws, fixedInit: fixedInit,
                                           seed: seed, lengths: snapped.map(\.lengths)) { _ in snapped.map(\.values) }
            results.append(.init(name: "\(count) k-means centroids as words", model: model.name, accuracy: words.accuracy,
                                 detail: "best lr \(words.learningRate)" + (draws > 1 ? ", \(draws) inits" : "")))
            log("baseline, \(count) k-means centroids snapped to words: \(words.accuracy.formatted) % (best lr \(words.learningRate))")
        }
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
