import Distillation
import Foundation
import Tasks
import TensorCore
import TextPipeline

/// A text set's sentences as words: the projection `evaluate --decoded` trains on (and a
/// readable set was learned as), with each row's targets and its step's rates.
struct DecodedSentences {
    struct Item {
        let step: Int, row: Int
        let initialClass: String
        /// The word at every position (`<pad>` included) and its distance.
        let words: [String]
        let distances: [Float]
        /// Positions before the end of the sentence (after its last word).
        let length: Int
        /// The training loss's target per class.
        let targets: [Double]
        /// The step's rate in each pass.
        let learningRates: [Double]
        var alternatives: [[NearestWords.Match]]? = nil

        /// The words, padding dropped.
        var text: String { words.prefix(length).filter { $0 != Vocabulary.padding }.joined(separator: " ") }
    }

    let classNames: [String]
    let readable: Bool
    var items: [Item]

    /// The sentences under the projection of `task`'s vocabulary.
    static func read(_ artifact: DistilledArtifact, task: LoadedTask) -> DecodedSentences {
        guard let text = task.text, let projection = task.wordProjection else {
            preconditionFailure("DecodedSentences: \(task.identity.data) is not a text task")
        }
        return read(artifact, projection: projection) { text.vocabulary[$0] }
    }

    /// The sentences under the set's own stored words (no corpus needed), or nil when the file
    /// has none (before format 2).
    static func read(_ artifact: DistilledArtifact) -> DecodedSentences? {
        guard let words = artifact.words else { return nil }
        return read(artifact, projection: words.projection) { words.words[Int($0)] }
    }

    /// The sentences as `projection` snaps them, its ids named by `word`.
    static func read(_ artifact: DistilledArtifact, projection: WordProjection, word: (Int32) -> String)
        -> DecodedSentences
    {
        let set = artifact.set
        let names = artifact.info.task.classNames
        let length = artifact.info.task.sampleShape[0]
        let rates = set.learningRates
        var items: [Item] = []
        for (s, p) in set.inputs.map({ projection.project($0) }).enumerated() {
            let targets = DecodedSentences.targets(set, step: s)
            let stepRates = stride(from: s, to: rates.count, by: set.stepCount).map { rates[$0] }
            for row in 0..<set.samplesPerStep {
                let positions = (row * length)..<((row + 1) * length)
                items.append(
                    Item(
                        step: s, row: row, initialClass: names[set.rowClasses[row]],
                        words: positions.map { word(p.ids[$0]) },
                        distances: Array(p.distances[positions]), length: p.lengths[row], targets: targets[row],
                        learningRates: stepRates))
            }
        }
        return DecodedSentences(classNames: names, readable: artifact.info.settings.readable, items: items)
    }

    /// The targets of step `s`'s rows per class, as the inner loss sees them (softmax or sigmoid
    /// applied where the set uses them); a binary set's one target t is (1 − t, t).
    static func targets(_ set: DistilledSet, step s: Int) -> [[Double]] {
        let y = withoutGradients { () -> Tensor in
            let raw = set.labels[s]
            guard set.labelSoftmax else { return raw }
            return raw.shape[1] == 1 ? raw.sigmoid() : raw.softmax(axis: 1)
        }
        let columns = y.shape[1]
        let values = y.doubles
        return (0..<y.shape[0]).map { r in
            columns == 1 ? [1 - values[r], values[r]] : Array(values[(r * columns)..<((r + 1) * columns)])
        }
    }

    /// Adds the `k` nearest words of `decoder` at every position.
    mutating func addAlternatives(
        _ artifact: DistilledArtifact, _ decoder: NearestWords, k: Int, metric: NearestWords.Metric
    ) {
        let size = artifact.info.task.sampleShape.reduce(1, *)
        for i in items.indices {
            let x = artifact.set.inputs[items[i].step].floats
            items[i].alternatives = decoder.nearest(
                Array(x[(items[i].row * size)..<((items[i].row + 1) * size)]), k: k, metric: metric)
        }
    }

    func labelSummary(_ item: Item) -> String {
        if classNames.count == 2 && item.targets[0] + item.targets[1] == 1 {
            let p = item.targets[1]
            return String(format: "P(%@) %.3f", classNames[1], p)
                + ((0...1).contains(p)
                    ? "" : " (a target outside [0, 1]: the loss drives the logit past any probability)")
        }
        return zip(classNames, item.targets).sorted { $0.1 > $1.1 }.prefix(3).map {
            String(format: "%@ %.3f", $0.0, $0.1)
        }.joined(separator: ", ")
    }

    /// For reading at a terminal.
    func readable(listing: Bool) -> String {
        var lines: [String] = []
        for item in items {
            lines.append(
                "step \(item.step) row \(item.row)  (initialised as \(item.initialClass))  label: \(labelSummary(item))"
            )
            lines.append("  " + (item.text.isEmpty ? "(no words: the whole row is padding)" : item.text))
            lines.append(
                "  distances: "
                    + item.distances.prefix(item.length).map { String(format: "%.2f", $0) }.joined(separator: " ")
                    + (item.length < item.words.count ? "  (then \(item.words.count - item.length) × <pad>)" : ""))
            if listing, let alternatives = item.alternatives {
                for (p, matches) in alternatives.enumerated() {
                    lines.append(
                        String(format: "  %3d  ", p)
                            + matches.map { String(format: "%@ (%.2f)", $0.word, $0.distance) }.joined(separator: "  "))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func json(artifact: String, metric: NearestWords.Metric) throws -> String {
        let object = items.map { item -> [String: Any] in
            var o: [String: Any] = [
                "step": item.step, "row": item.row, "initialClass": item.initialClass, "text": item.text,
                "words": item.words, "distances": item.distances.map(Double.init), "length": item.length,
                "label": Dictionary(uniqueKeysWithValues: zip(classNames, item.targets)),
                "learningRates": item.learningRates,
            ]
            if let alternatives = item.alternatives {
                o["nearest"] = alternatives.map { $0.map { ["word": $0.word, "distance": Double($0.distance)] } }
            }
            return o
        }
        let data = try JSONSerialization.data(
            withJSONObject: [
                "artifact": artifact, "metric": metric.rawValue, "readable": readable, "sentences": object,
            ],
            options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    var texts: SoftLabelledTexts {
        SoftLabelledTexts(
            classNames: classNames,
            sentences: items.map {
                SoftLabelledTexts.Sentence(
                    text: $0.text, step: $0.step, rowClass: $0.initialClass, targets: $0.targets,
                    learningRates: $0.learningRates)
            })
    }

    func about(_ artifact: String) -> [String] {
        [
            "TextDistill distilled sentences from \(artifact)"
                + (readable ? " (distilled as these words: --readable)" : " (continuous set, snapped to words)"),
            "One line per sentence: its words (padding dropped), its step, the class it started as, its soft label (the training loss's target per class), the step's rate in each pass.",
            "Train: for each pass p and each step s in order, one SGD step on step s's sentences with their targets and rate lr:pass<p>.",
            "textdistill train --train-file FILE --data DATA --model MODEL trains and tests networks on it.",
        ]
    }

    func tsv(artifact: String) -> String { texts.tsv(about: about(artifact)) }
    func jsonl(artifact: String) throws -> String { try texts.jsonl(about: about(artifact)) }
}
