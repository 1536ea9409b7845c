import Foundation
import Models
import Tasks
import TensorCore

/// One distillation from its first (or resumed) iteration to the written artifact: the outer
/// loop with its cadence (evaluate every k epochs, checkpoint every k and when asked to stop),
/// the set written the moment the loop ends, then its assessment (its own accuracy, other
/// architectures, baselines, the whole training split) written into it. Every stage reports
/// through `onEvent`, so a caller can show progress; the command line only parses and prints.
public final class DistillationRun {
    /// What a run does beside the outer loop; stored in its checkpoints.
    public struct Options: Codable, Equatable, Sendable {
        public var evaluateEvery = 10
        /// 0: only on a stop request.
        public var checkpointEvery = 10
        /// Fresh networks per random-init evaluation.
        public var testNets = 20
        public var baselines = true
        public var fullData = true
        public var fullDataEpochs = 10
        /// Architectures that are also trained on the set (fresh inits).
        public var otherModels: [ModelDescription] = []
        /// Keep the epochs' wall-clock seconds in the finished file (then the same command and
        /// seed no longer give the same bytes).
        public var recordTimings = false
        /// Training examples held out to choose the epoch whose set is kept (nil or 0: the last).
        public var selectOnValidation: Int? = nil

        public init() {}
    }

    /// Where the files go, and the options.
    public struct Plan: Sendable {
        /// The finished set (nil: kept in memory only, as the demo does).
        public var output: String?
        /// The checkpoint written every `options.checkpointEvery` epochs and on a stop request (nil: none).
        public var checkpoint: String?
        public var options = Options()

        /// - Parameters:
        ///   - output: the finished set's file, or nil.
        ///   - checkpoint: the checkpoint's file, or nil.
        ///   - options: the cadence and the assessment.
        public init(output: String?, checkpoint: String?, options: Options = Options()) {
            (self.output, self.checkpoint, self.options) = (output, checkpoint, options)
        }
    }

    /// What a run reports as it goes.
    public enum Event {
        /// An outer iteration finished: `done` of `total` iterations of this run, in `epoch` (1-based).
        case iteration(done: Int, total: Int, epoch: Int, loss: Double)
        /// An epoch ended and its set was evaluated.
        case evaluated(Distiller.EpochRecord, AccuracySummary)
        /// The set was evaluated on the held-out examples, and kept if it was the best so far.
        case validated(epoch: Int, AccuracySummary, kept: Bool)
        /// The outer loop ended; the set of `epoch` (held-out accuracy `accuracy`) is the one kept.
        case selected(epoch: Int, accuracy: Double)
        case checkpointWritten(String)
        /// The distilled set is on disk (before its assessment, so nothing finished is lost).
        case setWritten(String)
        /// The assessment's progress, and its finished lines.
        case assessing(Assessment.Stage)
        case result(String)
    }

    /// The run stopped on request: in the outer loop after writing its checkpoint (if it has
    /// one), which `--resume` continues; or during the assessment, after writing the finished
    /// set with the results computed so far.
    public struct Stopped: Error, CustomStringConvertible {
        public let checkpoint: String?
        /// Set when the outer loop had finished: where the set is, with its partial results.
        public var finishedSet: String? = nil

        public var description: String {
            if let finishedSet { return "stopped during the assessment: the distilled set is in \(finishedSet)" }
            return checkpoint.map { "stopped: checkpoint written to \($0)" } ?? "stopped"
        }
    }

    public let distiller: Distiller
    public let task: LoadedTask
    public let info: ArtifactInfo
    public let plan: Plan
    public var onEvent: (Event) -> Void = { _ in }
    /// Asked after every iteration (e.g. whether Ctrl-C was pressed).
    public var stopRequested: () -> Bool = { false }
    /// Which epoch's set to keep, judged on held-out training examples (nil: the last). The
    /// choice starts afresh when a run is resumed.
    public var selection: ValidationSelection?

    /// - Parameters:
    ///   - distiller: the outer loop, new or resumed.
    ///   - task: the data, for evaluations and baselines.
    ///   - info: what the artifact records about the run.
    ///   - plan: where the files go, and the options.
    public init(distiller: Distiller, task: LoadedTask, info: ArtifactInfo, plan: Plan) {
        self.distiller = distiller
        self.task = task
        self.info = info
        self.plan = plan
    }

    /// Runs the outer loop to its end, writes the set, assesses it and writes it again with the
    /// results. Throws `Stopped` on a stop request, `Diverged` (after which the last checkpoint,
    /// if any, is intact) if the loss stops being finite.
    ///
    /// - Returns: the finished set with its history and results (written to `plan.output`).
    /// - Throws: `Stopped`, `Diverged`, or the error of a file that could not be written.
    public func run() throws -> DistilledArtifact {
        try distill()
        // Under MPI the other ranks only help with the meta-gradients.
        guard isLeader else { return artifact() }
        if let output = plan.output {
            try artifact().write(to: output, timings: plan.options.recordTimings)
            onEvent(.setWritten(output))
        }
        if let checkpoint = plan.checkpoint { try? FileManager.default.removeItem(atPath: checkpoint) }
        let final = artifact(results: assess())
        if let output = plan.output { try final.write(to: output, timings: plan.options.recordTimings) }
        if stopRequested() { throw Stopped(checkpoint: nil, finishedSet: plan.output) }
        return final
    }

    /// The set as it stands, with the run's history and `results`.
    ///
    /// - Parameter results: the assessment's rows to store.
    /// - Returns: the artifact as it would be written now.
    public func artifact(results: [ArtifactInfo.Result] = []) -> DistilledArtifact {
        var i = info
        i.history = distiller.history
        i.results = results
        if distiller.isFinished, let s = selection, let best = s.best {
            i.selection = ArtifactInfo.Selection(heldOut: s.heldOut.count, epoch: best.epoch, accuracy: best.accuracy)
        }
        return DistilledArtifact(
            set: distiller.set, fixedInit: distiller.fixedInit, info: i, words: SetWords.of(distiller.set, task: task))
    }

    private func distill() throws {
        let start = distiller.completedIterations
        while !distiller.isFinished {
            let loss = try distiller.iterate()
            let epoch = distiller.position.epoch
            onEvent(
                .iteration(
                    done: distiller.completedIterations - start, total: distiller.totalIterations - start,
                    epoch: epoch + (distiller.position.iteration == 0 ? 0 : 1), loss: loss))
            if distiller.position.iteration == 0 && isLeader {  // an epoch just ended
                if epoch % plan.options.evaluateEvery == 0 || distiller.isFinished {
                    let accuracy = distiller.evaluate(test: task.test)
                    distiller.recordAccuracy(accuracy.mean)
                    if let record = distiller.history.last { onEvent(.evaluated(record, accuracy)) }
                    if var s = selection {
                        let (held, kept) = s.consider(distiller, epoch: epoch)
                        selection = s
                        onEvent(.validated(epoch: epoch, held, kept: kept))
                    }
                }
                if plan.options.checkpointEvery > 0 && epoch % plan.options.checkpointEvery == 0
                    && !distiller.isFinished
                {
                    try writeCheckpoint()
                }
            }
            // Every rank stops after the same iteration, when any was asked to.
            if distiller.cluster.any(stopRequested()) {
                if isLeader { try writeCheckpoint() }
                throw Stopped(checkpoint: plan.checkpoint)
            }
        }
        if isLeader, let s = selection, let best = s.best {
            s.restore(into: distiller)
            onEvent(.selected(epoch: best.epoch, accuracy: best.accuracy))
        }
    }

    /// Rank 0 of the cluster (the only rank of a single process): the one that evaluates,
    /// reports and writes.
    public var isLeader: Bool { distiller.cluster.rank == 0 }

    private func writeCheckpoint() throws {
        guard let checkpoint = plan.checkpoint else { return }
        var state = distiller.checkpointState
        state.options = plan.options
        try artifact().write(to: checkpoint, checkpoint: (state, distiller.optimizer))
        onEvent(.checkpointWritten(checkpoint))
    }

    /// The set's own results and, as planned, the baselines beside it.
    private func assess() -> [ArtifactInfo.Result] {
        var assessment = Assessment()
        assessment.nets = plan.options.testNets
        assessment.fullDataEpochs = plan.options.fullDataEpochs
        assessment.seed = distiller.settings.seed
        assessment.log = { [onEvent] in onEvent(.result($0)) }
        assessment.progress = { [onEvent] in onEvent(.assessing($0)) }
        assessment.stopRequested = stopRequested
        var results = assessment.distilled(artifact(), task: task, otherModels: plan.options.otherModels)
        if plan.options.baselines {
            let s = distiller.settings
            results += assessment.baselines(
                model: info.model, task: task, rowClasses: distiller.set.rowClasses, steps: s.steps,
                epochs: s.epochs, fixedInit: distiller.fixedInit, fullData: plan.options.fullData)
        }
        return results
    }
}
