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
    /// What to do beside the outer loop, and where the files go.
    public struct Plan: Sendable {
        /// The finished set (nil: kept in memory only, as the demo does).
        public var output: String?
        /// The checkpoint written every `checkpointEvery` epochs and on a stop request (nil: none).
        public var checkpoint: String?
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

        public init(output: String?, checkpoint: String?) {
            self.output = output
            self.checkpoint = checkpoint
        }
    }

    /// What a run reports as it goes.
    public enum Event {
        /// An outer iteration finished: `done` of `total` iterations of this run, in `epoch` (1-based).
        case iteration(done: Int, total: Int, epoch: Int, loss: Double)
        /// An epoch ended and its set was evaluated.
        case evaluated(Distiller.EpochRecord, AccuracySummary)
        case checkpointWritten(String)
        /// The distilled set is on disk (before its assessment, so nothing finished is lost).
        case setWritten(String)
        /// The assessment's progress, and its finished lines.
        case assessing(Assessment.Stage)
        case result(String)
    }

    /// The run stopped on request after writing its checkpoint (if it has one), which
    /// `--resume` continues.
    public struct Stopped: Error, CustomStringConvertible {
        public let checkpoint: String?
        public var description: String { checkpoint.map { "stopped: checkpoint written to \($0)" } ?? "stopped" }
    }

    public let distiller: Distiller
    public let task: LoadedTask
    public let info: ArtifactInfo
    public let plan: Plan
    public var onEvent: (Event) -> Void = { _ in }
    /// Asked after every iteration (e.g. whether Ctrl-C was pressed).
    public var stopRequested: () -> Bool = { false }

    public init(distiller: Distiller, task: LoadedTask, info: ArtifactInfo, plan: Plan) {
        self.distiller = distiller
        self.task = task
        self.info = info
        self.plan = plan
    }

    /// Runs the outer loop to its end, writes the set, assesses it and writes it again with the
    /// results. Throws `Stopped` on a stop request, `Diverged` (after which the last checkpoint,
    /// if any, is intact) if the loss stops being finite.
    public func run() throws -> DistilledArtifact {
        try distill()
        if let output = plan.output {
            try artifact().write(to: output)
            onEvent(.setWritten(output))
        }
        if let checkpoint = plan.checkpoint { try? FileManager.default.removeItem(atPath: checkpoint) }
        let final = artifact(results: assess())
        if let output = plan.output { try final.write(to: output) }
        return final
    }

    /// The set as it stands, with the run's history and `results`.
    public func artifact(results: [ArtifactInfo.Result] = []) -> DistilledArtifact {
        var i = info
        i.history = distiller.history
        i.results = results
        return DistilledArtifact(set: distiller.set, fixedInit: distiller.fixedInit, info: i)
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
            if distiller.position.iteration == 0 {  // an epoch just ended
                if epoch % plan.evaluateEvery == 0 || distiller.isFinished {
                    let accuracy = distiller.evaluate(test: task.test)
                    distiller.recordAccuracy(accuracy.mean)
                    if let record = distiller.history.last { onEvent(.evaluated(record, accuracy)) }
                }
                if plan.checkpointEvery > 0 && epoch % plan.checkpointEvery == 0 && !distiller.isFinished {
                    try writeCheckpoint()
                }
            }
            if stopRequested() {
                try writeCheckpoint()
                throw Stopped(checkpoint: plan.checkpoint)
            }
        }
    }

    private func writeCheckpoint() throws {
        guard let checkpoint = plan.checkpoint else { return }
        try artifact().write(to: checkpoint, checkpoint: (distiller.checkpointState, distiller.optimizer))
        onEvent(.checkpointWritten(checkpoint))
    }

    /// The set's own results and, as planned, the baselines beside it.
    private func assess() -> [ArtifactInfo.Result] {
        var assessment = Assessment()
        assessment.nets = plan.testNets
        assessment.fullDataEpochs = plan.fullDataEpochs
        assessment.seed = distiller.settings.seed
        assessment.log = { [onEvent] in onEvent(.result($0)) }
        assessment.progress = { [onEvent] in onEvent(.assessing($0)) }
        var results = assessment.distilled(artifact(), task: task, otherModels: plan.otherModels)
        if plan.baselines {
            let s = distiller.settings
            results += assessment.baselines(
                model: info.model, task: task, rowClasses: distiller.set.rowClasses, steps: s.steps,
                epochs: s.epochs, fixedInit: distiller.fixedInit, fullData: plan.fullData)
        }
        return results
    }
}
