import ArgumentParser
import DataFiles
import Distillation
import Foundation
import Models
import Tasks
import TensorCore
import TextPipeline

/// `textdistill train`: a model trained on the whole training split, the full-data reference.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a model on a whole corpus (the full-data reference for distillation results).",
        discussion: """
            Adam over shuffled minibatches, embeddings frozen (unless --learn-embeddings); prints \
            test accuracy after every epoch and the training throughput.

            --train-file trains on a file of soft-labelled sentences instead (distilled text \
            written by `decode --format tsv|jsonl`): --test-nets fresh networks, each trained with the \
            file's schedule (its steps in order, every pass, one SGD step each at the step's rate, \
            on the soft labels), tested on the whole test split, beside the same schedule filled \
            with random real examples of the same classes (one-hot labels). bow (bag-of-words \
            logistic regression) and --learn-embeddings read the words alone, so they show whether \
            the text itself carries what was distilled.

            Examples:
              textdistill train --data trec6 --model textcnn
              textdistill train --data trec6 --model bilstm --epochs 15 --json
              textdistill train --data trec6 --model bow --train-file trec6-words.tsv \\
                  --rate-grid
              textdistill train --data trec6 --model textcnn --learn-embeddings \\
                  --train-file trec6-words.tsv
            """)

    @Option(
        help:
            "A bundled corpus (trec6, trec50, rotten-tomatoes, fine-foods), an image set (mnist, fashion-mnist, cifar10), or a folder."
    )
    var data: String = "trec6"

    @Option(help: "textcnn, birnn, bilstm, bigru, bow (text); lenet, alexcifarnet, convnet3 (images).")
    var model: ModelKind = .textcnn

    @OptionGroup(title: "Corpus") var corpusOptions: CorpusOptions
    @OptionGroup(title: "Model") var modelOptions: ModelOptions

    @Option(help: "GloVe-format embeddings (default: the bundled GloVe 6B 50d subset).")
    var embeddings: String?

    @Option(help: "Passes over the training split.") var epochs = 10
    @Option(help: "Examples per minibatch.") var batchSize = 64
    @Option(help: "Adam learning rate.") var lr = 1e-3
    @Option(help: "Halve the learning rate every this many epochs.") var decayEpochs: Int?
    @Option(parsing: .unconditional, help: "Random seed (initialisation, shuffling, dropout). A non-negative integer.")
    var seed: UInt64 = 1
    @Option(help: "Save the trained parameters (safetensors).") var save: String?
    @Option(help: "Train on these soft-labelled sentences (decode --format tsv|jsonl) instead of the training split.")
    var trainFile: String?
    @Option(help: "With --train-file: fresh networks (mean ± std), and random real draws beside them.")
    var testNets = 20
    @Option(help: .hidden) var nets: Int?
    @Flag(help: "With --train-file: also report each schedule at the best single rate of the baselines' grid.")
    var rateGrid = false
    @Flag(help: "Print the summary as JSON.") var json = false

    func validate() throws {
        try TestNets.refuseNets(nets)
        guard epochs > 0, batchSize > 0, lr > 0, testNets > 0 else {
            throw ValidationError("--epochs, --batch-size, --lr and --test-nets must be positive")
        }
    }

    func run() throws {
        let task = try LoadedTask.load(data: data, recipe: corpusOptions.recipe(embeddings: embeddings))
        let description = try task.model(model, modelOptions)
        if let trainFile { return try trainOnFile(trainFile, task: task, description: description) }
        let net = description.make()
        let (train, test) = task.splits(for: description)
        let id = task.identity
        if !json {
            StandardOutput.write(
                "\(id.data): train \(id.trainCount), test \(id.testCount), \(id.classNames.count) classes, samples \(id.sampleShape)"
                    + (task.text.map { ", vocabulary \($0.vocabulary.count)" } ?? ""))
            StandardOutput.write(
                "model \(net.name): \(net.parameterSpecs.reduce(0) { $0 + $1.shape.reduce(1, *) }) parameters; Adam lr \(lr), batch \(batchSize), \(epochs) epochs"
            )
        }
        var trainer = Trainer()
        trainer.epochs = epochs
        trainer.batchSize = batchSize
        trainer.learningRate = lr
        trainer.decayEpochs = decayEpochs
        trainer.seed = seed
        let bar = Progress(total: epochs * ((task.train.count + batchSize - 1) / batchSize), label: "training")
        let (parameters, history) = trainer.train(
            net, on: train, test: test,
            progress: { done, _, loss in
                bar.update(done, String(format: "loss %.4f", loss))
            },
            epochDone: { e in
                if !json {
                    StandardOutput.write(
                        String(
                            format: "epoch %2d  loss %.4f  test accuracy %6.2f %%  %.0f examples/s", e.epoch + 1,
                            e.loss, 100 * e.testAccuracy, e.examplesPerSecond))
                }
            })
        if let save { try net.save(parameters, to: save, metadata: ["data": id.data, "preset": id.preset ?? ""]) }
        guard let final = history.last else { throw ValidationFailure("--epochs must be at least 1") }
        let throughput = history.map(\.examplesPerSecond).sorted()[history.count / 2]
        if json {
            let object: [String: Any] = [
                "data": id.data, "model": net.name, "epochs": epochs, "batchSize": batchSize, "lr": lr,
                "seed": seed, "testAccuracy": final.testAccuracy,
                "bestTestAccuracy": history.map(\.testAccuracy).max() ?? 0,
                "medianExamplesPerSecond": throughput,
                "history": history.map { ["epoch": $0.epoch + 1, "loss": $0.loss, "testAccuracy": $0.testAccuracy] },
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
            StandardOutput.write(String(decoding: data, as: UTF8.self))
        } else {
            StandardOutput.write(
                String(
                    format:
                        "\nfinal test accuracy %.2f %% (%@ on %@, %d epochs); training throughput %.0f examples/s (median epoch)",
                    100 * final.testAccuracy, net.name, id.data, epochs, throughput))
        }
    }

    /// `--train-file`: the file's schedule and random real examples in its layout, on fresh networks.
    func trainOnFile(_ path: String, task: LoadedTask, description: ModelDescription) throws {
        let texts = try SoftLabelledTexts.read(path: path)
        let set = try TextSchedule.set(texts, task: task, model: description, path: path)
        let net = description.make()
        let (train, test) = task.splits(for: description)
        note(
            "\(path): \(texts.sentences.count) sentences in \(texts.steps) step(s) × \(texts.passes) pass(es); \(net.name) on \(task.identity.data), "
                + "\(testNets) fresh networks")
        let real = try (0..<testNets).map {
            try TextSchedule.randomReal(like: set, train: train, outputs: net.outputCount, draw: $0, seed: seed)
        }
        let count = texts.sentences.count
        func accuracy(_ sets: (Int) -> DistilledSet) -> AccuracySummary {
            ScheduleEvaluation.randomInits(net, on: sets, test: test, nets: testNets, seed: seed)
        }
        var results: [ArtifactInfo.Result] = []
        let rates = set.learningRates.map { String(format: "%.3g", $0) }.joined(separator: ", ")
        let bar = Progress(total: rateGrid ? 2 + 2 * Baselines.learningRateGrid.count : 2, label: "training")
        var done = 0
        func tick() {
            done += 1
            bar.update(done)
        }
        results.append(
            .init(
                name: "\(count) sentences of \((path as NSString).lastPathComponent)", model: net.name,
                accuracy: accuracy { _ in set }, detail: "its rates \(rates), \(testNets) nets"))
        tick()
        results.append(
            .init(
                name: "\(count) random real examples", model: net.name, accuracy: accuracy { real[$0] },
                detail: "the same rates, \(testNets) draws"))
        tick()
        if rateGrid {
            for (name, sets) in [("sentences", { (_: Int) in set }), ("random real examples", { real[$0] })]
                as [(String, (Int) -> DistilledSet)]
            {
                var best = (rate: 0.0, accuracy: AccuracySummary([]))
                for rate in Baselines.learningRateGrid {
                    let a = accuracy { sets($0).replacingRates(with: rate) }
                    if best.accuracy.values.isEmpty || a.mean > best.accuracy.mean { best = (rate, a) }
                    tick()
                }
                results.append(
                    .init(
                        name: "\(count) \(name), best single rate", model: net.name, accuracy: best.accuracy,
                        detail: "lr \(best.rate) of the grid, \(testNets) " + (name == "sentences" ? "nets" : "draws")))
            }
        }
        if json { try printJSON(results) } else { StandardOutput.write(ResultsTable.text(results)) }
    }
}
