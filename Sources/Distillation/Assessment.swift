import Foundation
import Models
import Tasks
import TensorCore

/// The results of a distilled set: its own accuracy (fixed init and fresh inits, other
/// architectures) and the baselines beside it (random real samples, k-means centroids, the
/// whole training split). What `distill`, `evaluate` and `baseline` print.
public struct Assessment {
    /// Where an assessment stands: stage `name`, `done` of `total` units (networks, rates,
    /// batches), for progress lines with an ETA.
    public struct Stage: Sendable {
        public let name: String
        public let done: Int
        public let total: Int
    }

    public var nets = 20
    public var baselineDraws = 20
    public var fullDataEpochs = 10
    public var seed: UInt64 = 1
    /// A finished line of the results, as a sentence.
    public var log: (String) -> Void = { _ in }
    /// Called as each stage starts and moves.
    public var progress: (Stage) -> Void = { _ in }
    /// Asked before each stage: when it says yes, the rest is skipped and the results so far
    /// are returned (Ctrl-C during the assessment keeps what is finished).
    public var stopRequested: () -> Bool = { false }

    public init() {}

    /// Which form of a text set is trained on.
    public enum Form: Sendable {
        /// As learned (readable sets: their words, which is what they were learned as).
        case learned
        /// Every position snapped to its nearest word and re-embedded.
        case decoded
        /// Both: the learned rows, then the decoded ones (a readable set's two rows agree).
        case both
    }

    /// The set's accuracy with the model it was distilled for (and others, from fresh inits).
    ///
    /// - Parameters:
    ///   - artifact: the set, its fixed init and its settings.
    ///   - task: the data it was distilled from.
    ///   - otherModels: architectures also trained on it from fresh inits.
    ///   - form: the set as learned, decoded to words, or both.
    /// - Returns: the result rows, in the order printed.
    public func distilled(
        _ artifact: DistilledArtifact, task: LoadedTask, otherModels: [ModelDescription], form: Form = .both
    ) -> [ArtifactInfo.Result] {
        let projection = task.wordProjection
        let decoded = projection.map { artifact.set.decoded(by: $0).set }
        // A readable set was learned as its words: its own rows are the decoded ones.
        let readable = artifact.info.settings.readable
        var forms: [(name: String, set: DistilledSet)] = []
        if form != .decoded { forms.append(("distilled", readable ? decoded ?? artifact.set : artifact.set)) }
        if form != .learned, let decoded { forms.append(("distilled, decoded to words", decoded)) }
        var results: [ArtifactInfo.Result] = []
        for (name, set) in forms where !stopRequested() {
            if readable, name != forms[0].name, form == .both {
                // The same set as the row above: the same numbers, said so.
                results += results.map {
                    ArtifactInfo.Result(
                        name: $0.name.replacingOccurrences(of: forms[0].name, with: name), model: $0.model,
                        accuracy: $0.accuracy, detail: ($0.detail.map { $0 + ", " } ?? "") + "readable: the same words")
                }
                continue
            }
            results += evaluate(set, name: name, artifact: artifact, task: task, otherModels: otherModels)
        }
        return results
    }

    private func evaluate(
        _ set: DistilledSet, name: String, artifact: DistilledArtifact, task: LoadedTask,
        otherModels: [ModelDescription]
    ) -> [ArtifactInfo.Result] {
        let model = artifact.model
        var results: [ArtifactInfo.Result] = []
        if let fixedInit = artifact.fixedInit {
            progress(Stage(name: "\(name), fixed init", done: 0, total: 1))
            let a = ScheduleEvaluation.accuracy(
                model, on: set, from: fixedInit, test: task.test, seed: ScheduleEvaluation.evaluationSeed(seed))
            results.append(.init(name: "\(name), fixed init", model: model.name, accuracy: AccuracySummary([a])))
            log("\(name), fixed init: \(AccuracySummary([a]).formatted) %")
        }
        for description in [artifact.info.model] + otherModels where !stopRequested() {
            let m = description.make()
            let stage = "\(name), \(m.name), \(nets) random inits"
            progress(Stage(name: stage, done: 0, total: nets))
            let summary = ScheduleEvaluation.randomInits(m, on: set, test: task.test, nets: nets, seed: seed) {
                [progress] in
                progress(Stage(name: stage, done: $0, total: nets))
            }
            results.append(
                .init(name: "\(name), random init", model: m.name, accuracy: summary, detail: "\(nets) nets"))
            log("\(name), \(m.name), \(nets) random inits: \(summary.formatted) %")
        }
        return results
    }

    /// Baselines with the same number of real examples, laid out as the distilled set. A
    /// baseline that cannot be computed (a class with too few examples, say) is a row of the
    /// results saying why, never the end of the run.
    ///
    /// - Parameters:
    ///   - description: the model the set was distilled for.
    ///   - task: the data.
    ///   - rowClasses, steps, epochs: the set's layout, which the baselines copy.
    ///   - fixedInit: the set's fixed init, or nil (fresh inits per draw).
    ///   - fullData: also train on the whole training split.
    /// - Returns: the baseline rows (a failed one says why).
    public func baselines(
        model description: ModelDescription, task: LoadedTask, rowClasses: [Int], steps: Int, epochs: Int,
        fixedInit: [Tensor]?, fullData: Bool
    ) -> [ArtifactInfo.Result] {
        let model = description.make()
        let layout = Layout(rowClasses: rowClasses, steps: steps, epochs: epochs, fixedInit: fixedInit)
        var results: [ArtifactInfo.Result] = []
        let count = layout.count
        for (name, baseline) in [
            ("\(count) random real examples", randomExamples), ("\(count) k-means centroids", centroids),
        ] where !stopRequested() {
            do { results += try baseline(model, task, layout) } catch {
                results.append(
                    .init(
                        name: name, model: model.name, accuracy: AccuracySummary([]), detail: "not computed: \(error)"))
                log("baseline, \(name): not computed: \(error)")
            }
        }
        if fullData && !stopRequested(), let full = fullTrainingSplit(model, task) { results.append(full) }
        return results
    }

    /// How the baselines lay out their real examples: as the distilled set's rows and steps.
    private struct Layout {
        let rowClasses: [Int]
        let steps: Int
        let epochs: Int
        let fixedInit: [Tensor]?
        var count: Int { rowClasses.count * steps }
    }

    /// Where a baseline's rate was chosen, when not on the test split.
    private func chosenOn(_ task: LoadedTask) -> String { task.validation == nil ? "" : " on validation" }

    /// Reports a baseline's stage as it starts, and returns the report of its rates as they end.
    private func stage(_ name: String) -> (Int) -> Void {
        let total = Baselines.learningRateGrid.count
        progress(Stage(name: name, done: 0, total: total))
        return { [progress] in progress(Stage(name: name, done: $0, total: total)) }
    }

    private typealias Result = ArtifactInfo.Result

    private func randomExamples(_ model: any Model, _ task: LoadedTask, _ layout: Layout) throws -> [Result] {
        let name = "\(layout.count) random real examples"
        let ratesDone = stage("baseline, \(name), \(baselineDraws) draws per rate")
        let random = try Baselines.evaluate(
            model, test: task.test, choose: task.validation, rowClasses: layout.rowClasses, epochs: layout.epochs,
            draws: baselineDraws,
            fixedInit: layout.fixedInit, seed: seed, ratesDone: ratesDone
        ) { d in
            var rng = RandomGenerator(seed: seed, stream: [0x5A3, UInt64(d)])
            return try Baselines.randomSamples(
                task.train, rowClasses: layout.rowClasses, steps: layout.steps, using: &rng)
        }
        log("baseline, \(name): \(random.accuracy.formatted) % (best lr \(random.learningRate))")
        let detail = "best lr \(random.learningRate)\(chosenOn(task)), \(baselineDraws) draws"
        return [Result(name: name, model: model.name, accuracy: random.accuracy, detail: detail)]
    }

    /// k-means centroids per class, and for text the same centroids snapped to words.
    private func centroids(_ model: any Model, _ task: LoadedTask, _ layout: Layout) throws -> [Result] {
        let name = "\(layout.count) k-means centroids"
        var rng = RandomGenerator(seed: seed, stream: [0xC3E])
        let centroids = try Baselines.centroids(
            task.train, rowClasses: layout.rowClasses, steps: layout.steps, using: &rng)
        let draws = layout.fixedInit == nil ? baselineDraws : 1
        let inits = draws > 1 ? ", \(draws) inits" : ""
        let kmeans = Baselines.evaluate(
            model, test: task.test, choose: task.validation, rowClasses: layout.rowClasses, epochs: layout.epochs,
            draws: draws,
            fixedInit: layout.fixedInit, seed: seed, ratesDone: stage("baseline, \(name)")
        ) { _ in centroids }
        log("baseline, \(name): \(kmeans.accuracy.formatted) % (best lr \(kmeans.learningRate))")
        var results = [
            Result(
                name: name, model: model.name, accuracy: kmeans.accuracy,
                detail: "best lr \(kmeans.learningRate)\(chosenOn(task))" + inits)
        ]
        if let projection = task.wordProjection {
            let snapped = centroids.map { projection.project($0) }
            let words = Baselines.evaluate(
                model, test: task.test, choose: task.validation, rowClasses: layout.rowClasses, epochs: layout.epochs,
                draws: draws,
                fixedInit: layout.fixedInit, seed: seed, lengths: snapped.map(\.lengths),
                ratesDone: stage("baseline, \(name) as words")
            ) { _ in snapped.map(\.values) }
            log("baseline, \(name) snapped to words: \(words.accuracy.formatted) % (best lr \(words.learningRate))")
            let detail = "best lr \(words.learningRate)\(chosenOn(task))" + inits
            results.append(
                Result(name: name + " as words", model: model.name, accuracy: words.accuracy, detail: detail))
        }
        return results
    }

    /// The model trained on the whole training split (Adam 1e-3, batch 64): the full-data row,
    /// or nil when a stop request ended the training before its last epoch.
    private func fullTrainingSplit(_ model: any Model, _ task: LoadedTask) -> ArtifactInfo.Result? {
        var trainer = Trainer()
        trainer.epochs = fullDataEpochs
        trainer.seed = seed
        let stage = "baseline, full training split (\(task.train.count)), \(fullDataEpochs) epochs"
        let (_, history) = trainer.train(
            model, on: task.train, test: task.test,
            progress: { done, total, _ in
                if done % 10 == 0 || done == total { progress(Stage(name: stage, done: done, total: total)) }
            }, shouldStop: stopRequested)
        guard history.count == fullDataEpochs else { return nil }
        let a = AccuracySummary([history.last?.testAccuracy ?? 0])
        log("baseline, full training split: \(a.formatted) %")
        return .init(
            name: "full training split (\(task.train.count))", model: model.name, accuracy: a,
            detail: "Adam 1e-3, \(fullDataEpochs) epochs")
    }
}
