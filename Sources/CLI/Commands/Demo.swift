import ArgumentParser
import Distillation
import Foundation
import Models
import Tasks

/// `textdistill demo`: the whole distillation run on a small synthetic task, with the
/// baselines beside it, in seconds; the same `DistillationRun` as `distill`, which is the real job.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Distill a synthetic Gaussian-blob task into one sample per class (a quick end-to-end check).",
        discussion: """
            Data: C classes of Gaussian blobs in D dimensions (synthetic, drawn from --seed; 4,000 \
            training and 2,000 test points). Model: an MLP D → 32 (ReLU) → C from one fixed Xavier \
            init. Distilled: C inputs, their raw soft labels and one learning rate per inner step, \
            learned through the unrolled inner SGD with the exact meta-gradient (Adam, betas \
            0.5/0.999, real batches of 256). Reported as `distill` reports: the set from its fixed \
            init and from fresh ones, beside C random real samples and k-means centroids (best of \
            a rate grid) and the MLP trained on the whole training split. Nothing is written.
            """)

    @Option(help: "Classes.") var classes = 4
    @Option(help: "Input dimension.") var dimension = 16
    @Option(help: "Inner epochs over the one distilled step.") var innerEpochs = 3
    @Option(help: "Outer epochs (passes over the 4,000 training points in batches of 256).") var epochs = 20
    @Option(help: "Initial inner learning rate.") var distillLR = 0.1
    @Option(help: "Adam learning rate for the distilled set.") var lr = 0.01
    @Option(help: "Fresh networks per random-init evaluation.") var testNets = 10
    @Option(
        parsing: .unconditional, help: "Random seed (the task, the set, the init, the batches). A non-negative integer."
    ) var seed: UInt64 = 1

    func validate() throws {
        guard classes >= 2, dimension >= 1, innerEpochs >= 1, epochs >= 1, distillLR > 0, lr > 0, testNets >= 1 else {
            throw ValidationError("all sizes and rates must be positive (and --classes ≥ 2)")
        }
        guard classes <= 1000, dimension <= 10_000 else {
            throw ValidationError("--classes at most 1000 and --dimension at most 10000 (a demo, not a benchmark)")
        }
    }

    func run() throws {
        let task = LoadedTask.blobs(classes: classes, dimension: dimension, seed: seed)
        let description = ModelDescription(kind: .mlp, classes: classes, inputDimension: dimension, hidden: 32)
        var settings = DistillationSettings.defaults(for: .mlp)
        (settings.epochs, settings.outerEpochs, settings.batchSize, settings.decayEpochs) = (
            innerEpochs, epochs, 256, epochs
        )
        (settings.distillLearningRate, settings.learningRate, settings.seed) = (distillLR, lr, seed)
        let distiller = try Distiller(
            model: description.make(), settings: settings, train: task.train, sampleShape: task.sampleShape)
        let info = ArtifactInfo(
            task: task.identity, model: description, settings: settings, rowClasses: distiller.set.rowClasses)
        var plan = DistillationRun.Plan(output: nil, checkpoint: nil)
        (plan.options.evaluateEvery, plan.options.testNets, plan.options.fullDataEpochs) = (epochs, testNets, 5)
        let run = DistillationRun(distiller: distiller, task: task, info: info, plan: plan)
        run.onEvent = RunProgress().show
        let final = try run.run()
        StandardOutput.write(
            "\nsynthetic Gaussian blobs: \(classes) classes, \(dimension)-D, train \(task.train.count), test \(task.test.count)\n"
        )
        StandardOutput.write(ResultsTable.text(final.info.results))
        StandardOutput.write(
            "\nlearned learning rates: "
                + final.set.learningRates.map { String(format: "%.3f", $0) }.joined(separator: ", "))
    }
}
