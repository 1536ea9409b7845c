import Models
import Tasks

/// The model a command line asks for on a loaded task.
extension LoadedTask {
    /// The model description for `kind` on this task with the command line's hyperparameters.
    func model(_ kind: ModelKind, _ options: ModelOptions) throws -> ModelDescription {
        if self.kind == .text && !kind.isText {
            throw ValidationFailure(
                "--model \(kind.rawValue) is an image model; text models: \(ModelKind.textKinds.map(\.rawValue).joined(separator: ", "))"
            )
        }
        if self.kind == .vectors && !kind.isVector {
            throw ValidationFailure("the synthetic vector task takes --model mlp, not \(kind.rawValue)")
        }
        if self.kind != .vectors && kind.isVector {
            throw ValidationFailure("--model mlp reads feature vectors: it is the demo's network")
        }
        if self.kind == .image && kind.isText {
            throw ValidationFailure(
                "--model \(kind.rawValue) is a text model; image models: \(ModelKind.imageKinds.map(\.rawValue).joined(separator: ", "))"
            )
        }
        let d = ModelDescription(
            kind: kind, classes: classNames.count, inputDimension: inputDimension, imageSize: imageSize,
            filters: kind == .textcnn ? options.filters : nil, widths: kind == .textcnn ? options.widthList : nil,
            dropout: kind == .textcnn ? options.dropout : nil, hidden: kind.isRecurrent ? options.hidden : nil,
            layers: kind.isRecurrent ? options.layers : nil,
            respectLengths: kind.isRecurrent ? !options.overPadding : nil,
            learnsEmbeddings: options.learnEmbeddings && kind != .bow ? true : nil)
        var described = d
        if d.readsTokenIDs { described.vocabularySize = text?.vocabulary.count }
        if kind == .textcnn, let widest = options.widthList.max(), let maxLength = identity.maxLength,
            widest > maxLength
        {
            throw ValidationFailure(
                "--widths: a TextCNN filter of width \(widest) does not fit texts of --maxlen \(maxLength); "
                    + "use widths up to \(maxLength) or a larger --maxlen")
        }
        guard described.problems.isEmpty else {
            throw ValidationFailure(described.problems.map(ModelOptions.flagged).joined(separator: "; "))
        }
        return described
    }

    /// The model description for distilling or evaluating a set of embeddings: models that read
    /// token ids are refused with what to use instead.
    func embeddingModel(_ kind: ModelKind, _ options: ModelOptions) throws -> ModelDescription {
        let d = try model(kind, options)
        guard !d.readsTokenIDs else {
            throw ValidationFailure(
                "\(kind == .bow ? "bow" : "--learn-embeddings") reads words, not embeddings: write the set's words with "
                    + "`textdistill decode SET --format tsv --output F` and train on them with `textdistill train --train-file F`"
            )
        }
        return d
    }
}
