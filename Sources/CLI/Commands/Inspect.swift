import ArgumentParser
import Distillation
import Foundation
import Tasks
import TensorCore

/// `textdistill inspect ARTIFACT`: what a distilled set is, without the data.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Describe a distilled set or checkpoint: task, model, settings, learned rates and labels, results.",
        discussion: """
            Validates the file (header, shapes, dtypes, checksums) and prints its metadata. Needs \
            neither the corpus nor the embeddings.

            Examples:
              textdistill inspect trec6-bilstm.safetensors
              textdistill inspect trec6-bilstm.checkpoint.safetensors --json
            """)

    @Argument(help: "A file written by 'textdistill distill'.") var artifact: String
    @Flag(help: "Print the metadata as JSON.") var json = false

    func run() throws {
        let (a, checkpoint, _) = try DistilledArtifact.read(artifact)
        let info = a.info
        if json {
            try printJSON(info)
            return
        }
        let s = info.settings
        StandardOutput.write(
            "\(artifact): \(checkpoint == nil ? "distilled set" : "checkpoint"), format \(DistilledArtifact.format) v\(info.formatVersion)"
        )
        StandardOutput.write(
            "task       \(info.task.kind) \(info.task.data): \(info.task.classNames.count) classes (\(info.task.classNames.joined(separator: ", "))), "
                + "train \(info.task.trainCount), test \(info.task.testCount), samples \(info.task.sampleShape)")
        if let e = info.task.embedding {
            StandardOutput.write(
                "embedding  \(e.source), \(e.dimension)-d, vocabulary \(e.vocabularySize), preset \(info.task.preset ?? "?"), rows sha256 \(e.rowsSHA256.prefix(16))…"
            )
        }
        StandardOutput.write(
            "model      \(info.model.kind.rawValue) (\(a.model.parameterSpecs.reduce(0) { $0 + $1.shape.reduce(1, *) }) parameters)"
        )
        StandardOutput.write("settings   " + Inspect.settingsLine(s, samples: a.set.samplesPerStep))
        if let checkpoint {
            StandardOutput.write(
                "position   epoch \(checkpoint.position.epoch + 1), iteration \(checkpoint.position.iteration + 1) (Adam step \(checkpoint.adamSteps))"
            )
        }
        StandardOutput.write(
            "rates      " + a.set.learningRates.map { String(format: "%.4f", $0) }.joined(separator: ", "))
        for (step, labels) in a.set.labels.enumerated() {
            StandardOutput.write("labels \(step)   (rows × classes)")
            let columns = labels.shape[1]
            let y = labels.doubles
            for row in 0..<a.set.samplesPerStep {
                let values = (0..<columns).map { String(format: "%7.3f", y[row * columns + $0]) }.joined()
                StandardOutput.write(
                    "  \(info.task.classNames[a.set.rowClasses[row]].padding(toLength: 8, withPad: " ", startingAt: 0))\(values)"
                )
            }
        }
        if let last = info.history.last(where: { $0.accuracy != nil }), let accuracy = last.accuracy {
            StandardOutput.write(
                String(
                    format: "training   last evaluation: epoch %d, test accuracy %.2f %%", last.epoch + 1,
                    100 * accuracy))
        }
        if let s = info.selection {
            StandardOutput.write(
                String(
                    format: "selection  kept the set of epoch %d: held-out accuracy %.2f %% on %d training examples",
                    s.epoch, 100 * s.accuracy, s.heldOut))
        }
        if !info.results.isEmpty { StandardOutput.write("\n" + ResultsTable.text(info.results)) }
    }

    /// The settings in one line: the schedule, the regime, the rates, the outer loop, and what
    /// differs from the defaults of a long unroll.
    static func settingsLine(_ s: DistillationSettings, samples: Int) -> String {
        "\(s.steps) step(s) × \(samples) samples × \(s.epochs) epoch(s); \(s.initialization.rawValue) init; "
            + "distill lr \(s.distillLearningRate), Adam lr \(s.learningRate) (β \(s.beta1), \(s.beta2)), decay every \(s.decayEpochs); "
            + "\(s.outerEpochs) epochs, batch \(s.batchSize), seed \(s.seed)"
            + (s.nets > 1 ? "; \(s.nets) nets per iteration" : "")
            + (s.unrollMemory == .full ? "" : "; checkpointed unroll")
            + (s.window.map { "; window \($0)" } ?? "") + (s.rates == .perStep ? "" : "; rates \(s.rates.rawValue)")
    }
}
