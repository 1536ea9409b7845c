import DataFiles
import ArgumentParser
import Foundation
import Models
import TensorCore
import TextPipeline

/// `textdistill train`: a model trained on the whole training split, the full-data reference.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a model on a whole corpus (the full-data reference for distillation results).",
        discussion: """
            Adam over shuffled minibatches, embeddings frozen; prints test accuracy after every \
            epoch and the training throughput.

            Examples:
              textdistill train --data trec6 --model textcnn
              textdistill train --data trec6 --model bilstm --epochs 15 --json
            """)

    @Option(help: "A bundled corpus (trec6, trec50, rotten-tomatoes, fine-foods), an image set (mnist, fashion-mnist, cifar10), or a folder.")
    var data: String = "trec6"

    @Option(help: "textcnn, birnn, bilstm, bigru (text); lenet, alexcifarnet, convnet3 (images).")
    var model: ModelKind = .textcnn

    @OptionGroup(title: "Corpus") var corpusOptions: CorpusOptions
    @OptionGroup(title: "Model") var modelOptions: ModelOptions

    @Option(help: "GloVe-format embeddings (default: the bundled GloVe 6B 50d subset).")
    var embeddings: String?

    @Option(help: "Passes over the training split.") var epochs = 10
    @Option(help: "Examples per minibatch.") var batchSize = 64
    @Option(help: "Adam learning rate.") var lr = 1e-3
    @Option(help: "Halve the learning rate every this many epochs.") var decayEpochs: Int?
    @Option(help: "Random seed (initialisation, shuffling, dropout).") var seed: UInt64 = 1
    @Option(help: "Save the trained parameters (safetensors).") var save: String?
    @Flag(help: "Print the summary as JSON.") var json = false

    func validate() throws {
        guard epochs > 0, batchSize > 0, lr > 0 else { throw ValidationError("--epochs, --batch-size and --lr must be positive") }
    }

    func run() throws {
        let task = try LoadedTask.load(data: data, options: corpusOptions, embeddings: embeddings)
        let net = try task.model(model, modelOptions).make()
        let id = task.identity
        if !json {
            print("\(id.data): train \(id.trainCount), test \(id.testCount), \(id.classNames.count) classes, samples \(id.sampleShape)"
                  + (task.text.map { ", vocabulary \($0.vocabulary.count)" } ?? ""))
            print("model \(net.name): \(net.parameterSpecs.reduce(0) { $0 + $1.shape.reduce(1, *) }) parameters; Adam lr \(lr), batch \(batchSize), \(epochs) epochs")
        }
        var trainer = Trainer()
        trainer.epochs = epochs
        trainer.batchSize = batchSize
        trainer.learningRate = lr
        trainer.decayEpochs = decayEpochs
        trainer.seed = seed
        let bar = Progress(total: epochs * ((task.train.count + batchSize - 1) / batchSize), label: "training")
        let (parameters, history) = trainer.train(net, on: task.train, test: task.test, progress: { done, _, loss in
            bar.update(done, String(format: "loss %.4f", loss))
        }, epochDone: { e in
            if !json { print(String(format: "epoch %2d  loss %.4f  test accuracy %6.2f %%  %.0f examples/s", e.epoch + 1, e.loss, 100 * e.testAccuracy, e.examplesPerSecond)) }
        })
        if let save { try net.save(parameters, to: save, metadata: ["data": id.data, "preset": id.preset ?? ""]) }
        let final = history.last!
        let throughput = history.map(\.examplesPerSecond).sorted()[history.count / 2]
        if json {
            let object: [String: Any] = ["data": id.data, "model": net.name, "epochs": epochs, "batch_size": batchSize, "lr": lr,
                                         "seed": seed, "test_accuracy": final.testAccuracy, "best_test_accuracy": history.map(\.testAccuracy).max()!,
                                         "median_examples_per_second": throughput, "history": history.map { ["epoch": $0.epoch + 1, "loss": $0.loss, "test_accuracy": $0.testAccuracy] }]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(String(format: "\nfinal test accuracy %.2f %% (%@ on %@, %d epochs); training throughput %.0f examples/s (median epoch)",
                         100 * final.testAccuracy, net.name, id.data, epochs, throughput))
        }
    }
}
