import ArgumentParser
import Distillation
import Foundation
import Models
import Tasks
import TensorCore
import TextPipeline

/// `textdistill distill`: learn a distilled set, evaluate it beside the baselines, save it.
struct Distill: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Distill a corpus into a few learned sentences with soft labels and learned learning rates.",
        discussion: """
            Learns S steps of N = (samples per class) × (distilled classes) embedding matrices with \
            raw soft labels, and one learning rate per unrolled step (S × distill epochs), by \
            differentiating through the unrolled training with the exact meta-gradient \
            (Sucholutsky & Schonlau, arXiv 1910.02551). Then trains fresh networks on the \
            learned schedule and reports their test accuracy beside the baselines (random real \
            examples, k-means centroids, the whole training split), and writes one safetensors \
            file: the set, its labels and rates, the fixed init, and JSON metadata.

            Checkpoints are written every --checkpoint-every epochs and when interrupted \
            (Ctrl-C); --resume continues a run exactly where it stopped.

            Examples (the first is TREC-6, Bi-LSTM, 6 sentences):
              textdistill distill
              textdistill distill --model textcnn --distill-lr 0.01 --lr 0.01
              textdistill distill --epochs 200 --decay-epochs 30 --report trec6.html
              textdistill distill --data fine-foods --model textcnn \\
                  --samples-per-class 10 --distill-epochs 5
              textdistill distill --data ~/corpora/reviews \\
                  --label-column stars --text-column body
              textdistill distill --data mnist --model lenet \\
                  --distill-epochs 3 --epochs 350 --decay-epochs 35
              textdistill distill --resume trec6-bilstm.checkpoint.safetensors
              textdistill distill --like trec6-bilstm.safetensors --seed 2 \\
                  --output seed2.safetensors
            """)

    @Option(
        help:
            "A bundled corpus (trec6, trec50, rotten-tomatoes, fine-foods), an image set (mnist, fashion-mnist, cifar10), or a folder."
    )
    var data: String?

    @Option(
        help:
            "textcnn, birnn, bilstm or bigru for text (default bilstm); lenet, alexcifarnet or convnet3 for images (default lenet)."
    )
    var model: ModelKind?

    @OptionGroup(title: "Corpus") var corpusOptions: CorpusOptions
    @OptionGroup(title: "Model") var modelOptions: ModelOptions

    @Option(help: "GloVe-format embeddings (default: the bundled GloVe 6B 50d subset).")
    var embeddings: String?

    @OptionGroup(title: "Distillation") var distill: DistillOptions

    @Option(help: "Fresh networks per random-init evaluation (mean ± std; default 20).")
    var testNets: Int?

    @Option(help: "Evaluate on the whole test split every this many epochs (default 10).")
    var evalEvery: Int?

    @Option(
        help:
            "Hold out this many training examples and keep the set of the evaluation epoch that does best on them, instead of the last (the test split is never used to choose; restarts on --resume)."
    )
    var selectOnValidation: Int?

    @Option(
        help: ArgumentHelp(
            "Also evaluate with these architectures (fresh inits), comma-separated, e.g. textcnn,bigru.",
            valueName: "models"))
    var evalModels: CommaList<ModelKind>?

    @Flag(help: "Skip the random-sample and k-means baselines.") var noBaselines = false
    @Flag(help: "Skip training on the whole training split.") var noFullData = false
    @Option(help: "Epochs of the full-data baseline (Adam 1e-3, batch 64; default 10).") var fullDataEpochs: Int?

    @Option(help: "Where to write the distilled set (default: <data>-<model>.safetensors).")
    var output: String?

    @Option(
        help:
            "Also write a self-contained HTML report of the run (curves, soft labels, images or decoded sentences, baselines)."
    )
    var report: String?

    @Option(
        help: ArgumentHelp(
            "Write a record per outer iteration and per evaluation (epoch, iteration, loss, accuracy, seconds, learned rates) to this .csv or .jsonl file as the run goes; a resumed run appends.",
            valueName: "file"))
    var metrics: String?

    @Option(help: "Image sets: also write the distilled images with their soft labels as a PNG grid.")
    var grid: String?

    @Option(help: "Write a checkpoint every this many epochs (0: only on Ctrl-C; default 10).")
    var checkpointEvery: Int?

    @Option(
        help:
            "Continue from a checkpoint: its data, model, settings and run options (baselines, evaluation nets, cadence) are used; --data/--embeddings say where files moved, options given again override the stored ones."
    )
    var resume: String?

    @Option(
        help: ArgumentHelp(
            "Start from a distilled set's data, recipe, model and settings (a new run, not a resume); --data, --model and options given with other values replace the stored ones.",
            valueName: "artifact"))
    var like: String?

    @Flag(
        help:
            "Keep each epoch's wall-clock seconds in the written set (by default they are left out, so the same command and seed write the same bytes)."
    )
    var recordTimings = false

    @Flag(help: "Print the summary as JSON.") var json = false

    func validate() throws {
        if like != nil && resume != nil {
            throw ValidationError("--like starts a new run; --resume continues one: give one")
        }
        guard (selectOnValidation ?? 0) >= 0 else { throw ValidationError("--select-on-validation must be 0 or more") }
        guard (testNets ?? 1) > 0, (evalEvery ?? 1) > 0, (checkpointEvery ?? 0) >= 0, (fullDataEpochs ?? 1) > 0 else {
            throw ValidationError("--test-nets, --eval-every and --full-data-epochs must be positive")
        }
    }

    func outputPath(_ kind: ModelKind, taskData: String? = nil) -> String {
        if let output { return output }
        if let resume, let stem = resume.removingSuffix(Distill.checkpointSuffix) { return stem + ".safetensors" }
        return "\(((data ?? taskData ?? "trec6") as NSString).lastPathComponent)-\(kind.rawValue).safetensors"
    }

    func run() throws {
        for path in [output, report, grid].compactMap({ $0 }) { try OutputPath.check(path) }
        if let metrics { try MetricsFile.check(metrics) }
        let (task, distiller, info, stored, heldOut) = try start()
        let output = outputPath(info.model.kind, taskData: info.task.data)
        let run = DistillationRun(
            distiller: distiller, task: task, info: info,
            plan: try plan(task, output: output, stored: stored, bytes: Distill.bytes(of: distiller)))
        run.selection = heldOut.map(ValidationSelection.init)
        describe(run)
        let progress = RunProgress()
        // Under MPI only rank 0 writes the metrics, as it writes every other file.
        let file = try metrics.flatMap {
            run.isLeader
                ? try MetricsFile(path: $0, rates: run.distiller.set.unrolledSteps, append: resume != nil) : nil
        }
        run.onEvent = { [distiller = run.distiller] event in
            progress.show(event)
            file?.record(event, rates: distiller.set.learningRates)
        }
        run.stopRequested = { Interrupt.requested }
        Interrupt.install()
        defer { Interrupt.uninstall() }
        let final: DistilledArtifact
        do { final = try run.run() } catch let stopped as DistillationRun.Stopped {
            progress.log(Distill.interrupted(stopped))
            throw ExitCode(130)
        } catch let error as Diverged {
            let checkpoint = run.plan.checkpoint ?? "none"
            throw ValidationFailure(
                "\(error); try a smaller --lr or --distill-lr. The last checkpoint (if any) is \(checkpoint).")
        }
        guard run.isLeader else { return }  // another rank of an MPI job: rank 0 reports
        if report != nil || grid != nil {
            try ReportWriter.write(
                final, html: report, grid: grid, artifactPath: output, data: nil, embeddings: nil, task: task)
            note("wrote " + [report, grid].compactMap { $0 }.joined(separator: " and "))
        }
        try printSummary(final, task: task, output: output)
    }

    /// Where the files go and what the run does, checked before the long part: a run must not be
    /// lost to a missing folder, a typo, or an output that is the checkpoint being resumed.
    private func plan(_ task: LoadedTask, output: String, stored: DistillationRun.Options?, bytes: Int) throws
        -> DistillationRun.Plan
    {
        // The set, then a checkpoint beside it with Adam's two moments: room for both (the report
        // and grid paths were checked in run()).
        try OutputPath.check(output, bytes: 4 * bytes)
        if let resume, URL(fileURLWithPath: output).standardized == URL(fileURLWithPath: resume).standardized {
            throw ValidationFailure(
                "--output is the checkpoint being resumed (\(resume)); the finished set needs another file")
        }
        return DistillationRun.Plan(
            output: output, checkpoint: resume ?? Distill.checkpointPath(for: output),
            options: try options(task, stored: stored))
    }

    /// The run's options: those given, else the resumed checkpoint's, else the defaults.
    private func options(_ task: LoadedTask, stored: DistillationRun.Options?) throws -> DistillationRun.Options {
        var o = stored ?? DistillationRun.Options()
        o.evaluateEvery = evalEvery ?? o.evaluateEvery
        o.checkpointEvery = checkpointEvery ?? o.checkpointEvery
        o.testNets = testNets ?? o.testNets
        o.fullDataEpochs = fullDataEpochs ?? o.fullDataEpochs
        if noBaselines { o.baselines = false }
        if noFullData { o.fullData = false }
        if recordTimings { o.recordTimings = true }
        if let selectOnValidation { o.selectOnValidation = selectOnValidation }
        if evalModels != nil { o.otherModels = try otherModels(task) }
        return o
    }

    /// The task and the distiller: a resumed checkpoint's (with its stored run options), or new
    /// ones from the options.
    private func start() throws -> (LoadedTask, Distiller, ArtifactInfo, DistillationRun.Options?, LabelledData?) {
        if let resume {
            let (artifact, checkpoint, moments) = try DistilledArtifact.read(resume)
            guard let checkpoint else {
                throw InputError(file: resume, "is a finished distilled set, not a checkpoint")
            }
            let task = try LoadedTask.matching(
                artifact.info.task, artifactPath: resume, data: data, embeddings: embeddings, notice: note)
            let (train, heldOut) = try split(
                task, count: selectOnValidation ?? checkpoint.options?.selectOnValidation,
                seed: artifact.info.settings.seed)
            let distiller = try Distiller(
                resuming: artifact, checkpoint: checkpoint, moments: moments, train: train,
                projection: task.wordProjection)
            note(
                "resuming \(resume) at epoch \(checkpoint.position.epoch + 1), iteration \(checkpoint.position.iteration + 1)"
            )
            return (task, distiller, artifact.info, checkpoint.options, heldOut)
        }
        return try newRun()
    }

    /// --eval-models, checked before the long part so that a model that does not fit costs no run.
    private func otherModels(_ task: LoadedTask) throws -> [ModelDescription] {
        try (evalModels?.values ?? []).map { try task.embeddingModel($0, modelOptions) }
    }

    /// What the run will do, on stderr.
    private func describe(_ run: DistillationRun) {
        let (task, distiller, s) = (run.task, run.distiller, run.distiller.settings)
        note(
            "\(task.identity.data): train \(task.train.count), test \(task.test.count), \(task.classNames.count) classes, samples \(task.sampleShape)"
        )
        if let coverage = task.text?.coverage {
            note(
                "embeddings: " + coverage.line(split: "training")
                    + (coverage.needsWarning ? CoverageWording.warning : ""))
        }
        if let p = distiller.projection {
            note(
                "readable: every position is snapped to the nearest of \(p.allowedIDs.count) words (<pad> included) in the inner training"
                    + (s.wordPull > 0 ? ", pulled towards it with weight \(s.wordPull)" : "")
                    + (s.polishEpochs > 0 ? "; the last \(s.polishEpochs) epochs hold the rows at their words" : "")
                    + (s.wordSwaps > 0
                        ? "; \(s.wordSwaps) word swaps tried per iteration" + (s.polishEpochs > 0 ? " there" : "") : "")
                    + (s.projectionWarmup > 0
                        ? "; moving from the rows to the words over \(s.projectionWarmup) epochs" : ""))
        }
        if let start = distiller.start {
            let mean = start.losses.reduce(0, +) / Double(start.losses.count)
            note(
                "starting rows: real draw \(start.chosen + 1) of \(start.losses.count), outer loss \(String(format: "%.4f", start.losses[start.chosen])) "
                    + "before learning (the first draw \(String(format: "%.4f", start.losses[0])), the mean of all \(String(format: "%.4f", mean)))"
            )
        }
        note(
            "learning \(s.steps) step(s) × \(distiller.set.samplesPerStep) samples, \(s.epochs) epoch(s) (T = \(s.unrolledSteps)) "
                + "for \(distiller.model.name), \(s.initialization.rawValue) init; \(s.outerEpochs) epochs × \(distiller.iterationsPerEpoch) iterations, "
                + "Adam lr \(s.learningRate) halved every \(s.decayEpochs)")
        // The decay counts epochs of the real split, so a small split halves the rate after few
        // iterations: TREC-6 with IMDB's schedule (decay 10, 100 epochs) stopped learning at half time.
        let perHalving = s.decayEpochs * distiller.iterationsPerEpoch
        if perHalving < 100 && s.outerEpochs >= 4 * s.decayEpochs {
            note(
                "note: the outer rate halves every \(perHalving) iterations (\(s.decayEpochs) epochs × \(distiller.iterationsPerEpoch)), "
                    + "so the set may stop learning early; the reference's IMDB runs halved every 250. "
                    + "--decay-epochs \((250 + distiller.iterationsPerEpoch - 1) / distiller.iterationsPerEpoch) with more --epochs keeps that pace."
            )
        }
    }
}

/// A progress note on stderr (stdout carries only the summary).
func note(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
