import DataFiles
import Foundation
import ImageData
import Models
import TensorCore
import TextPipeline

/// A real task ready for distillation: both splits as model inputs, its identity for the
/// artifact, and (text) the vocabulary and embeddings that decode distilled inputs to words.
public struct LoadedTask {
    public let identity: TaskIdentity
    public let train: LabelledData
    public let test: LabelledData
    public let text: TextTask?

    public var kind: TaskKind { identity.kind }
    public var classNames: [String] { identity.classNames }
    public var sampleShape: [Int] { identity.sampleShape }
    /// Embedding dimension (text) or channels (images).
    public var inputDimension: Int { kind == .text ? identity.sampleShape[1] : identity.sampleShape[0] }
    public var imageSize: Int? { kind == .image ? identity.sampleShape[1] : nil }
    /// The split for choosing (baseline rates), never for reported accuracy: the corpus's own
    /// validation split, when it has one.
    public var validation: LabelledData? { text?.validation }

    /// Refuses a task with an empty split.
    static func check(splits train: Int, _ test: Int, _ data: String) throws {
        if train == 0 || test == 0 {
            throw InputError(file: data, "the \(train == 0 ? "training" : "test") split is empty")
        }
    }

    /// A text corpus (bundled name or path) read by `recipe`, with its GloVe-format embeddings.
    /// `notice` hears of a stale or corrupt embeddings cache being rebuilt, and of a validation
    /// table that serves as the test split.
    public static func text(data: String, recipe: DataRecipe, notice: (String) -> Void = { _ in }) throws -> LoadedTask
    {
        let corpus = try recipe.loader.load(data, notice: notice)
        let path = recipe.embeddings ?? DataLocation.bundledEmbeddings
        let glove = try GloVe.load(path: path, notice: notice)
        let minFrequency = recipe.minimumFrequency(corpus)
        let idBytes = Double(corpus.train.count + corpus.test.count) * Double(corpus.maxLength) * 4
        guard idBytes <= Double(ProcessInfo.processInfo.physicalMemory) / 2 else {
            throw InputError(
                file: data,
                String(
                    format:
                        "texts of %d tokens need %.1f GB of token ids alone, over half of this machine's %.1f GB: use a shorter maximum length",
                    corpus.maxLength, idBytes / 1e9, Double(ProcessInfo.processInfo.physicalMemory) / 1e9))
        }
        let task = TextTask(
            corpus: corpus, tokenizer: recipe.tokenizer, glove: glove, maxVocabulary: recipe.maxVocabulary,
            minFrequency: minFrequency)
        try check(splits: corpus.train.count, corpus.test.count, data)
        let words = task.vocabulary.count - 2
        guard words > 0 else {
            throw InputError(
                file: data,
                "no word of the training split is frequent enough for the vocabulary (minimum \(minFrequency))")
        }
        guard task.embeddings.missingWords.count < words else {
            throw InputError(
                file: path,
                "has a vector for none of the \(words) vocabulary words of \(data) (another language, or another tokenizer preset?)"
            )
        }
        var stored = recipe
        stored.testFile = recipe.testFile.map(LoadedTask.absolute)
        stored.embeddings = recipe.embeddings.map(LoadedTask.absolute)
        let vocabularyText = task.vocabulary.words.joined(separator: "\n")
        let embedding = TaskIdentity.EmbeddingIdentity(
            source: stored.embeddings ?? "bundled:" + (path as NSString).lastPathComponent,
            dimension: glove.dimension,
            vocabularySize: task.vocabulary.count, rowsSHA256: task.embeddings.matrix.converted(to: .float32).sha256,
            vocabularySHA256: SHA256.hex(Array(vocabularyText.utf8)))
        var identity = TaskIdentity(
            kind: .text, data: CorpusLoader.bundledNames.contains(data) ? data : absolute(data),
            classNames: corpus.classNames, sampleShape: [task.maxLength, glove.dimension],
            trainCount: corpus.train.count, testCount: corpus.test.count, preset: recipe.preset.rawValue,
            maxLength: task.maxLength,
            minFrequency: minFrequency, maxVocabulary: recipe.maxVocabulary, embedding: embedding, recipe: stored)
        identity.dataSHA256 = try CorpusDigest.sha256(files: corpus.files)
        return LoadedTask(identity: identity, train: task.train, test: task.test, text: task)
    }

    /// An image set (mnist, fashion-mnist, cifar10, or a folder in IDX or CIFAR-10 layout).
    public static func image(data: String) throws -> LoadedTask {
        let set = try ImageLoader.load(data)
        try check(splits: set.trainLabels.count, set.testLabels.count, data)
        var train = LabelledData.images(set.trainImages, labels: set.trainLabels, classes: set.classNames.count)
        if set.augmentTraining { train.augmentation = { Augmentation.cropAndFlip($0, using: &$1) } }
        var identity = TaskIdentity(
            kind: .image, data: ImageLoader.knownNames.contains(data) ? data : absolute(data),
            classNames: set.classNames, sampleShape: [set.channels, set.size, set.size],
            trainCount: set.trainLabels.count, testCount: set.testLabels.count)
        identity.normalisationMean = set.mean
        identity.normalisationStd = set.std
        return LoadedTask(
            identity: identity, train: train,
            test: .images(set.testImages, labels: set.testLabels, classes: set.classNames.count),
            text: nil)
    }

    /// A path made absolute (against the current folder), so an artifact names its data
    /// wherever it is read.
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: (path as NSString).expandingTildeInPath).standardizedFileURL.path
    }

    /// Text or images, by what `data` names.
    public static func load(data: String, recipe: DataRecipe, notice: (String) -> Void = { _ in }) throws -> LoadedTask
    {
        ImageLoader.isImageData(data) ? try image(data: data) : try text(data: data, recipe: recipe, notice: notice)
    }

    /// The data a set was distilled from (`identity`, stored in the artifact at `artifactPath`),
    /// rebuilt by its recipe; `data` and `embeddings` say where the files are now (the identity
    /// check still applies). `notice` hears when the corpus files' content changed since.
    public static func matching(
        _ identity: TaskIdentity, artifactPath: String, data: String? = nil, embeddings: String? = nil,
        notice: (String) -> Void = { _ in }
    ) throws -> LoadedTask {
        let task: LoadedTask
        switch identity.kind {
        case .vectors:
            guard let blobs = LoadedTask.blobs(named: data ?? identity.data) else {
                throw InputError(
                    file: artifactPath,
                    "holds a set of the synthetic task '\(identity.data)', which cannot be drawn again")
            }
            task = blobs
        case .image:
            task = try LoadedTask.image(data: data ?? identity.data)
        case .text:
            var recipe = identity.recipe ?? DataRecipe()
            if let embeddings { recipe.embeddings = embeddings }
            task = try LoadedTask.text(data: data ?? identity.data, recipe: recipe)
        }
        try task.check(matches: identity, artifactPath: artifactPath)
        if let was = identity.dataSHA256, let now = task.identity.dataSHA256, was != now {
            notice(
                "\(artifactPath): the corpus files at \(task.identity.data) are not the ones the set was distilled from "
                    + "(their content hash changed); the vocabulary and embeddings still match, but accuracies may differ"
            )
        }
        return task
    }

    /// The training and test splits as `model` reads them.
    public func splits(for model: ModelDescription) -> (train: LabelledData, test: LabelledData) {
        text.map { $0.splits(tokenIDs: model.readsTokenIDs) } ?? (train, test)
    }

    /// Refuses to pair a set distilled from `identity` (in the file `artifactPath`) with data it
    /// was not made from.
    public func check(matches stored: TaskIdentity, artifactPath: String) throws {
        if let problem = stored.mismatch(with: identity) { throw InputError(file: artifactPath, problem) }
    }
}
