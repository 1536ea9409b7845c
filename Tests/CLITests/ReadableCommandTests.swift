import Distillation
import Foundation
import Tasks
import TensorCore
import Testing
import TextPipeline

@testable import CLI

private func temporary(_ name: String) -> String {
    FileManager.default.temporaryDirectory.path + "/cli-\(getpid())-" + name
}

private func run(_ arguments: [String]) throws {
    var command = try TextDistill.parseAsRoot(arguments)
    try command.run()
}

extension Commands {
    /// `distill --readable` on the bundled TREC-6 (one epoch), then `decode --format tsv`: the
    /// set's reported accuracy is the accuracy of its decoded words, and the exported file, read
    /// back into the task, gives the same words, soft labels and rates.
    @Test func readableDistillationDecodesToWhatItTrainedOnAndTheExportRoundTrips() throws {
        let output = temporary("readable.safetensors")
        let tsv = temporary("readable.tsv")
        defer { for p in [output, tsv] { try? FileManager.default.removeItem(atPath: p) } }
        try run([
            "distill", "--data", "trec6", "--model", "textcnn", "--readable", "--sample-init", "real", "--distill-lr",
            "0.1", "--lr", "0.1",
            "--epochs", "1", "--eval-every", "1", "--no-baselines", "--no-full-data", "--test-nets", "2", "--output",
            output, "--json",
        ])
        let (artifact, _, _) = try DistilledArtifact.read(output)
        #expect(artifact.info.settings.readable && artifact.info.settings.sampleInit == .real)
        let results = Dictionary(uniqueKeysWithValues: artifact.info.results.map { ($0.name, $0.accuracy.values) })
        let own = try #require(results["distilled, fixed init"])
        #expect(results["distilled, decoded to words, fixed init"] == own)
        #expect(
            artifact.info.history.last?.accuracy == own.first,
            "the in-run evaluation trains on other inputs than the final one")

        let task = try LoadedTask.matching(artifact.info.task, artifactPath: output)
        let decoded = Assessment().distilled(artifact, task: task, otherModels: [], form: .decoded)
        #expect(decoded.first?.accuracy.values == own)

        try run(["decode", output, "--format", "tsv", "--output", tsv])
        let texts = try SoftLabelledTexts.read(path: tsv)
        let back = try TextSchedule.set(texts, task: task, model: artifact.info.model, path: tsv)
        let words = artifact.set.decoded(by: try #require(task.wordProjection))
        let (n, l) = (artifact.set.samplesPerStep, artifact.info.task.sampleShape[0])
        // The file drops padding, so a <pad> inside a sentence closes up; compare what it encodes.
        let ids = (0..<n).flatMap { r -> [Int32] in
            let kept = words.projected[0].ids[(r * l)..<(r * l + words.projected[0].lengths[r])].filter {
                $0 != Vocabulary.paddingID
            }
            return kept + [Int32](repeating: Vocabulary.paddingID, count: l - kept.count)
        }
        let expected = Tensor.embedding(task.text!.embeddings.matrix, ids: ids, shape: [n, l])
        #expect(back.inputs[0].doubles == expected.doubles)
        #expect(back.rowClasses == artifact.set.rowClasses)
        #expect(zip(back.learningRates, artifact.set.learningRates).allSatisfy { abs($0 - $1) <= 1e-6 * $1 })
        #expect(
            zip(back.labels[0].doubles, artifact.set.labels[0].doubles).allSatisfy {
                abs($0 - $1) <= 1e-6 * Swift.max(1, abs($1))
            })
    }

    /// Paths that cannot be written, and text sets asked for a PNG grid, are refused before any work.
    @Test func unwritableOutputsAreRefusedFirst() throws {
        #expect { try run(["distill", "--output", "/nonexistent-folder/x.safetensors"]) } throws: {
            "\($0)".contains("does not exist")
        }
        #expect { try run(["distill", "--output", FileManager.default.temporaryDirectory.path]) } throws: {
            "\($0)".contains("is a folder")
        }
        #expect { try run(["distill", "--epochs", "0"]) } throws: { "\($0)".contains("--epochs") }
    }
}
