import DataFiles
import Distillation
import Foundation
import ImageData
import Models
import TensorCore
import TextPipeline

/// A real task ready for distillation: both splits as model inputs, its identity for the
/// artifact, and (text) the vocabulary and embeddings that decode distilled inputs to words.
struct LoadedTask {
    let identity: ArtifactInfo.TaskIdentity
    let train: LabelledData
    let test: LabelledData
    let text: TextTask?

    var classNames: [String] { identity.classNames }
    var sampleShape: [Int] { identity.sampleShape }
    /// Embedding dimension (text) or channels (images).
    var inputDimension: Int { identity.kind == "text" ? identity.sampleShape[1] : identity.sampleShape[0] }
    var imageSize: Int? { identity.kind == "image" ? identity.sampleShape[1] : nil }

    /// A text corpus (bundled name or path) with GloVe-format embeddings.
    static func text(data: String, options: CorpusOptions, embeddings: String?) throws -> LoadedTask {
        let corpus = try options.load(data)
        let path = embeddings ?? DataLocation.bundledEmbeddings
        let glove = try GloVe.load(path: path)
        let minFrequency = options.minimumFrequency(corpus)
        let task = TextTask(corpus: corpus, tokenizer: options.tokenizer, glove: glove, maxVocabulary: options.maxVocabulary,
                            minFrequency: minFrequency)
        let vocabularyText = task.vocabulary.words.joined(separator: "\n")
        let embedding = ArtifactInfo.EmbeddingIdentity(
            source: embeddings == nil ? "bundled:" + (path as NSString).lastPathComponent : path, dimension: glove.dimension,
            vocabularySize: task.vocabulary.count, rowsSHA256: task.embeddings.matrix.converted(to: .float32).sha256,
            vocabularySHA256: SHA256.hex(Array(vocabularyText.utf8)))
        let identity = ArtifactInfo.TaskIdentity(
            kind: "text", data: data, classNames: corpus.classNames, sampleShape: [task.maxLength, glove.dimension],
            trainCount: corpus.train.count, testCount: corpus.test.count, preset: options.preset.rawValue, maxLength: task.maxLength,
            minFrequency: minFrequency, maxVocabulary: options.maxVocabulary, embedding: embedding,
            dataArguments: options.arguments + (embeddings.map { ["--embeddings", $0] } ?? []))
        return LoadedTask(identity: identity, train: task.train, test: task.test, text: task)
    }

    /// An image set (mnist, fashion-mnist, cifar10, or a folder in IDX or CIFAR-10 layout).
    static func image(data: String) throws -> LoadedTask {
        let set = try ImageLoader.load(data)
        var train = LabelledData.images(set.trainImages, labels: set.trainLabels, classes: set.classNames.count)
        if set.augmentTraining { train.augmentation = { Augmentation.cropAndFlip($0, using: &$1) } }
        var identity = ArtifactInfo.TaskIdentity(
            kind: "image", data: data, classNames: set.classNames, sampleShape: [set.channels, set.size, set.size],
            trainCount: set.trainLabels.count, testCount: set.testLabels.count, dataArguments: [])
        identity.normalisationMean = set.mean
        identity.normalisationStd = set.std
        return LoadedTask(identity: identity, train: train, test: .images(set.testImages, labels: set.testLabels, classes: set.classNames.count),
                          text: nil)
    }

    /// Text or images, by what `data` names.
    static func load(data: String, options: CorpusOptions, embeddings: String?) throws -> LoadedTask {
        ImageLoader.isImageData(data) ? try image(data: data) : try text(data: data, options: options, embeddings: embeddings)
    }

    /// The data an artifact was distilled from, rebuilt from its stored options; `data` and
    /// `embeddings` override where the files are (the identity check still applies).
    static func forArtifact(_ info: ArtifactInfo, path: String, data: String?, embeddings: String?) throws -> LoadedTask {
        if info.task.kind == "image" {
            let task = try LoadedTask.image(data: data ?? info.task.data)
            try task.check(matches: info, artifactPath: path)
            return task
        }
        var arguments = info.task.dataArguments ?? []
        var storedEmbeddings: String? = nil
        if let i = arguments.firstIndex(of: "--embeddings"), i + 1 < arguments.count {
            storedEmbeddings = arguments[i + 1]
            arguments.removeSubrange(i...(i + 1))
        }
        let options: CorpusOptions
        do { options = try CorpusOptions.parse(arguments) } catch {
            throw InputError(file: path, "its stored data options \(arguments) are not valid: \(error)")
        }
        let task = try LoadedTask.text(data: data ?? info.task.data, options: options, embeddings: embeddings ?? storedEmbeddings)
        try task.check(matches: info, artifactPath: path)
        return task
    }

    /// Text: the projection of readable distillation and of the "decoded to words" evaluation:
    /// every vocabulary word of the training split that has a vector (never `<unk>`), and `<pad>`.
    var wordProjection: WordProjection? { text.map(WordProjection.init(words:)) }

    /// The model description for `kind` on this task with the command line's hyperparameters.
    func model(_ kind: ModelKind, _ options: ModelOptions) throws -> ModelDescription {
        if identity.kind == "text" && !kind.isText {
            throw ValidationFailure("--model \(kind.rawValue) is an image model; text models: \(ModelKind.textKinds.map(\.rawValue).joined(separator: ", "))")
        }
        if identity.kind == "image" && kind.isText {
            throw ValidationFailure("--model \(kind.rawValue) is a text model; image models: \(ModelKind.imageKinds.map(\.rawValue).joined(separator: ", "))")
        }
        let d = ModelDescription(kind: kind, classes: classNames.count, inputDimension: inputDimension, imageSize: imageSize,
                                 filters: kind == .textcnn ? options.filters : nil, widths: kind == .textcnn ? options.widthList : nil,
                                 dropout: kind == .textcnn ? options.dropout : nil, hidden: kind.isRecurrent ? options.hidden : nil,
                                 layers: kind.isRecurrent ? options.layers : nil, respectLengths: kind.isRecurrent ? !options.overPadding : nil,
                                 learnsEmbeddings: options.learnEmbeddings && kind != .bow ? true : nil)
        var described = d
        if d.readsTokenIDs { described.vocabularySize = text?.vocabulary.count }
        if kind == .textcnn, let widest = options.widthList.max(), let maxLength = identity.maxLength, widest > maxLength {
            throw ValidationFailure("--widths: a TextCNN filter of width \(widest) does not fit texts of --maxlen \(maxLength); "
                                    + "use widths up to \(maxLength) or a larger --maxlen")
        }
        guard described.problems.isEmpty else { throw ValidationFailure(described.problems.joined(separator: "; ")) }
        return described
    }

    /// The model description for distilling or evaluating a set of embeddings: models that read
    /// token ids are refused with what to use instead.
    func embeddingModel(_ kind: ModelKind, _ options: ModelOptions) throws -> ModelDescription {
        let d = try model(kind, options)
        guard !d.readsTokenIDs else {
            throw ValidationFailure("\(kind == .bow ? "bow" : "--learn-embeddings") reads words, not embeddings: write the set's words with "
                                    + "`textdistill decode SET --format tsv --output F` and train on them with `textdistill train --train-file F`")
        }
        return d
    }

    /// The training and test splits as `model` reads them.
    func splits(for model: ModelDescription) -> (train: LabelledData, test: LabelledData) {
        text.map { $0.splits(tokenIDs: model.readsTokenIDs) } ?? (train, test)
    }

    /// Refuses to pair an artifact with data it was not made from.
    func check(matches info: ArtifactInfo, artifactPath: String) throws {
        if let problem = info.task.mismatch(with: identity) { throw InputError(file: artifactPath, problem) }
    }
}

/// A user mistake found after parsing (reported like ArgumentParser's validation errors).
struct ValidationFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension WordProjection {
    /// Onto the words of a text task's vocabulary that have a vector (never `<unk>`), and `<pad>`.
    init(words text: TextTask) {
        let missing = Set(text.embeddings.missingWords)
        let allowed = text.vocabulary.words.indices.dropFirst(2).filter { !missing.contains(text.vocabulary.words[$0]) }.map(Int32.init)
        self.init(embeddings: text.embeddings.matrix, allowed: allowed, paddingID: Vocabulary.paddingID)
    }
}
