import Distillation
import Foundation
import Models
import Tasks
import TensorCore
import TextPipeline

/// A schedule of soft-labelled sentences (`decode --format tsv|jsonl`) read into a task: the
/// texts tokenised and encoded as the task's own texts are, as embeddings or token ids.
enum TextSchedule {
    /// The schedule as a set for `model` (row classes: the file's `class`, else the largest target).
    static func set(_ texts: SoftLabelledTexts, task: LoadedTask, model: ModelDescription, path: String) throws
        -> DistilledSet
    {
        guard let text = task.text else { throw InputError(file: path, "holds sentences; --data names an image set") }
        guard texts.classNames == task.classNames else {
            throw InputError(
                file: path,
                "has classes \(texts.classNames.joined(separator: ", ")); \(task.identity.data) has "
                    + task.classNames.joined(separator: ", "))
        }
        let outputs = model.make().outputCount
        var inputs: [Tensor] = []
        var labels: [Tensor] = []
        var lengths: [[Int]] = []
        var rowClasses: [Int] = []
        for s in 0..<texts.steps {
            let sentences = texts.sentences.filter { $0.step == s }
            let encoded = EncodedBatch(
                documents: sentences.map { text.tokenizer.words($0.text) }, vocabulary: text.vocabulary,
                maxLength: text.maxLength)
            let rows = Array(0..<sentences.count)
            let data =
                model.readsTokenIDs
                ? LabelledData.tokenIDs(encoded, labels: rows.map { _ in 0 }, classes: 2)
                : LabelledData.text(
                    encoded, labels: rows.map { _ in 0 }, classes: 2, embeddings: text.embeddings.matrix)
            inputs.append(data.batch(rows).input)
            lengths.append(encoded.lengths.map { Swift.max(1, $0) })
            let targets = sentences.flatMap { outputs == 1 ? [$0.targets[1]] : $0.targets }
            labels.append(Tensor(targets, shape: [sentences.count, outputs], dtype: .float32))
            if s == 0 { rowClasses = sentences.map { $0.classIndex(texts.classNames) } }
        }
        let rates = (0..<texts.passes).flatMap { e in
            (0..<texts.steps).map { s in texts.sentences.first { $0.step == s }?.learningRates[e] ?? 0 }
        }
        return DistilledSet(
            inputs: inputs, labels: labels,
            rawRates: Tensor(rates.map { Foundation.log(Foundation.expm1($0)) }, shape: [rates.count], dtype: .float32),
            epochs: texts.passes, rowClasses: rowClasses, labelSoftmax: false, lengths: lengths)
    }

    /// The same layout filled with random real training examples and one-hot labels, rates as
    /// given (draw d from its own stream).
    static func randomReal(like set: DistilledSet, train: LabelledData, outputs: Int, draw d: Int, seed: UInt64) throws
        -> DistilledSet
    {
        var rng = RandomGenerator(seed: seed, stream: [0x5A3, UInt64(d)])
        let examples = try Baselines.randomExamples(
            train, rowClasses: set.rowClasses, steps: set.stepCount, using: &rng)
        let real = Baselines.set(
            inputs: examples.map(\.input), rowClasses: set.rowClasses, outputs: outputs, epochs: set.epochs,
            learningRate: 1,
            lengths: examples.allSatisfy { $0.lengths != nil }
                ? examples.map { ($0.lengths ?? []).map { Swift.max(1, $0) } } : nil)
        return real.replacingRates(set.rawRates.detached())
    }
}
