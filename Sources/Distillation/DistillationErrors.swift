import Foundation

/// An error that ends a distillation run (not a programming error), with the values that say
/// what is wrong; `description` words it for a reader, and the CLI words settings problems with
/// their options.
public enum DistillationError: Error, CustomStringConvertible, Equatable {
    /// Settings that cannot run.
    case invalidSettings([DistillationSettings.Problem])
    /// The set's labels have `labels` columns; the model has `outputs` logits.
    case labelsDoNotFitModel(labels: Int, model: String, outputs: Int)
    /// Readable distillation without a text task's vocabulary to project onto.
    case readableNeedsVocabulary
    /// A baseline needs `needed` training examples of class `classIndex`, which has `available`.
    case tooFewExamples(classIndex: Int, available: Int, needed: Int)
    /// Rows packed with real texts (`SampleInit.packed`) on a task whose examples have no lengths.
    case packedStartNeedsText
    /// The set and a real batch need `neededBytes` at least; the machine has `availableBytes`.
    case tooLarge(
        steps: Int, perClass: Int, sampleShape: [Int], batchSize: Int, neededBytes: Double, availableBytes: Double)
    /// A checkpoint holds optimizer moments for `moments` tensors, its set has `tensors`.
    case checkpointMoments(moments: Int, tensors: Int)

    public var description: String {
        switch self {
        case .invalidSettings(let problems): return problems.map(\.description).joined(separator: "; ")
        case .labelsDoNotFitModel(let labels, let model, let outputs):
            return "the distilled labels have \(labels) columns, model \(model) has \(outputs) outputs"
        case .readableNeedsVocabulary:
            return "readable distillation needs the vocabulary of a text task to project onto"
        case .tooFewExamples(let c, let available, let needed):
            return "class \(c) has \(available) training examples; the baseline needs \(needed)"
        case .packedStartNeedsText:
            return "rows packed with real texts need a text task: images have no words to pack"
        case .tooLarge(let steps, let perClass, let shape, let batch, let need, let have):
            return String(
                format:
                    "the distilled set (%d step(s) × %d per class of %@) and a real batch of %d need at least %.1f GB; "
                    + "this machine has %.1f GB", steps, perClass, "\(shape)", batch, need / 1e9, have / 1e9)
        case .checkpointMoments(let moments, let tensors):
            return "the checkpoint holds \(moments) optimizer moments for \(tensors) tensors"
        }
    }
}

/// The outer loss or its gradient stopped being finite (nothing was updated); usually a rate
/// too large for the task.
public struct Diverged: Error, CustomStringConvertible {
    /// 1-based.
    public let epoch: Int
    public let iteration: Int
    /// The outer loss (finite if only its gradient was not).
    public let loss: Double

    public var description: String {
        let what =
            loss.isFinite
            ? "the meta-gradient stopped being finite (the outer loss was \(loss))" : "the outer loss became \(loss)"
        return "\(what) in epoch \(epoch), iteration \(iteration)"
    }
}
