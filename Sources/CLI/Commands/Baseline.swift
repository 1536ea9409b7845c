import ArgumentParser
import Distillation
import Foundation
import Models
import Tasks
import TensorCore

/// `textdistill baseline`: the baselines alone, for a task and a set size.
struct Baseline: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Accuracy of the baselines a distilled set is compared with: random real examples, k-means centroids, full data.",
        discussion: """
            The same layout as a distilled set (samples per class × classes, steps, epochs), hard \
            labels, each at its best rate of a small grid; then the model trained on the whole \
            training split.

            Examples:
              textdistill baseline --data trec6 --model bilstm
              textdistill baseline --data fine-foods --model textcnn \\
                  --samples-per-class 10 --distill-epochs 5
            """)

    @Option(help: "A bundled corpus, an image set (mnist, fashion-mnist, cifar10), or a folder.") var data: String =
        "trec6"
    @Option(help: "textcnn, birnn, bilstm, bigru (text); lenet, alexcifarnet, convnet3 (images).") var model:
        ModelKind = .bilstm
    @OptionGroup(title: "Corpus") var corpusOptions: CorpusOptions
    @OptionGroup(title: "Model") var modelOptions: ModelOptions
    @Option(help: "GloVe-format embeddings (default: the bundled GloVe 6B 50d subset).") var embeddings: String?
    @Option(help: "Real samples per class per step.") var samplesPerClass: Int = 1
    @Option(help: "Steps (S).") var distillSteps: Int = 1
    @Option(help: "Passes over the steps (E).") var distillEpochs: Int = 2
    @Option(help: "fixed: one init for every draw; random: a fresh init per draw.") var `init`:
        DistillationSettings.InitRegime = .random
    @Option(help: "Random draws per rate.") var draws: Int = 20
    @Flag(help: "Skip training on the whole training split.") var noFullData = false
    @Option(parsing: .unconditional, help: "Random seed. A non-negative integer.") var seed: UInt64 = 1
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard samplesPerClass > 0, distillSteps > 0, distillEpochs > 0, draws > 0 else {
            throw ValidationError("counts must be positive")
        }
    }

    func run() throws {
        let task = try LoadedTask.load(data: data, recipe: corpusOptions.recipe(embeddings: embeddings))
        let description = try task.embeddingModel(model, modelOptions)
        let classes = task.classNames.count
        let rowClasses = (0..<(samplesPerClass * classes)).map { $0 % classes }
        var rng = RandomGenerator(seed: seed, stream: [Distiller.initStream])
        let fixedInit = `init` == .fixed ? description.make().initialParameters(using: &rng) : nil
        var assessment = Assessment()
        assessment.baselineDraws = draws
        assessment.seed = seed
        assessment.log = { note($0) }
        let results = assessment.baselines(
            model: description, task: task, rowClasses: rowClasses, steps: distillSteps,
            epochs: distillEpochs, fixedInit: fixedInit, fullData: !noFullData)
        if json {
            try printJSON(results)
        } else {
            StandardOutput.write(ResultsTable.text(results))
        }
    }
}
