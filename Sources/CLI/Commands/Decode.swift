import ArgumentParser
import Distillation
import Foundation
import TensorCore
import TextPipeline

/// `textdistill decode ARTIFACT`: the distilled sentences as their nearest words.
struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show distilled sentences as words: each position's nearest vocabulary word(s), with distances.",
        discussion: """
            Rebuilds the vocabulary and embedding rows the set was distilled in (from the options \
            stored in the artifact; --data and --embeddings say where the files are if they moved) \
            and refuses a mismatch. Each row prints its soft label (largest entries) and, per \
            position, the nearest word by Euclidean distance (as the reference) or cosine.

            Examples:
              textdistill decode trec6-bilstm.safetensors
              textdistill decode trec6-bilstm.safetensors --top-k 3 --metric cosine
              textdistill decode trec6-bilstm.safetensors --glove data/glove.6B.50d.txt   # search all 400k words
            """)

    @Argument(help: "A distilled set written by 'textdistill distill'.") var artifact: String
    @Option(help: "Nearest words per position.") var topK: Int = 1
    @Option(help: "euclidean or cosine.") var metric: NearestWords.Metric = .euclidean
    @Option(help: "Where the corpus is, if not where the artifact says.") var data: String?
    @Option(help: "Where the embeddings are, if not where the artifact says.") var embeddings: String?
    @Option(help: "Search this whole GloVe-format table instead of the corpus vocabulary.") var glove: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws { guard topK > 0 else { throw ValidationError("--top-k must be positive") } }

    func run() throws {
        let (loaded, _, _) = try DistilledArtifact.read(artifact)
        guard loaded.info.task.kind == "text" else { throw InputError(file: artifact, "holds images, not sentences; see its PNG grid instead") }
        let decoder: NearestWords
        if let glove {
            decoder = NearestWords(glove: try GloVe.load(path: glove))
            guard decoder.dimension == loaded.info.task.sampleShape[1] else {
                throw InputError(file: glove, "has \(decoder.dimension)-d vectors; the set is \(loaded.info.task.sampleShape[1])-d")
            }
        } else {
            let task = try LoadedTask.forArtifact(loaded.info, path: artifact, data: data, embeddings: embeddings)
            decoder = NearestWords(vocabulary: task.text!.vocabulary, embeddings: task.text!.embeddings)
        }
        let sentences = Decode.sentences(loaded, decoder, topK: topK, metric: metric)
        if json {
            let object = sentences.map { s -> [String: Any] in
                ["step": s.step, "row": s.row, "initial_class": s.initialClass, "label": s.label,
                 "words": s.words.map { $0.map { ["word": $0.word, "distance": Double($0.distance)] } }]
            }
            let data = try JSONSerialization.data(withJSONObject: ["artifact": artifact, "metric": metric.rawValue, "sentences": object],
                                                  options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        for s in sentences {
            print("step \(s.step) row \(s.row)  (initialised as \(s.initialClass))  label: " + s.labelSummary)
            if topK == 1 {
                print("  " + s.words.map { $0[0].word }.joined(separator: " "))
                print("  distances: " + s.words.map { String(format: "%.2f", $0[0].distance) }.joined(separator: " "))
            } else {
                for (p, matches) in s.words.enumerated() {
                    print(String(format: "  %3d  ", p) + matches.map { String(format: "%@ (%.2f)", $0.word, $0.distance) }.joined(separator: "  "))
                }
            }
        }
    }

    struct Sentence {
        let step: Int, row: Int
        let initialClass: String
        let label: [String: Double]
        let labelSummary: String
        let words: [[NearestWords.Match]]
    }

    static func sentences(_ artifact: DistilledArtifact, _ decoder: NearestWords, topK: Int = 1, metric: NearestWords.Metric = .euclidean) -> [Sentence] {
        let names = artifact.info.task.classNames
        let (length, dimension) = (artifact.info.task.sampleShape[0], artifact.info.task.sampleShape[1])
        var out: [Sentence] = []
        for (s, inputs) in artifact.set.inputs.enumerated() {
            let x = inputs.floats, y = artifact.set.labels[s].doubles
            let columns = artifact.set.labels[s].shape[1]
            for row in 0..<artifact.set.samplesPerStep {
                let matrix = Array(x[(row * length * dimension)..<((row + 1) * length * dimension)])
                let words = decoder.nearest(matrix, k: topK, metric: metric)
                var label: [String: Double] = [:]
                let summary: String
                if columns == 1 {  // binary: the target of the one logit, P(class 1)
                    label[names[1]] = y[row]
                    summary = String(format: "%@ %.3f (target of the logit)", names[1], y[row])
                } else {
                    for c in 0..<columns { label[names[c]] = y[row * columns + c] }
                    summary = label.sorted { $0.value > $1.value }.prefix(3).map { String(format: "%@ %.3f", $0.key, $0.value) }.joined(separator: ", ")
                }
                out.append(Sentence(step: s, row: row, initialClass: names[artifact.set.rowClasses[row]], label: label, labelSummary: summary, words: words))
            }
        }
        return out
    }
}

extension NearestWords.Metric: ExpressibleByArgument {}
