import Models
import TensorCore
import TextPipeline

/// A text corpus made ready for the models: tokenised, its training vocabulary, the frozen
/// embedding rows of that vocabulary, and its splits encoded to ids at the corpus's maxlen.
public struct TextTask {
    public let corpus: Corpus
    public let tokenizer: Tokenizer
    public let vocabulary: Vocabulary
    public let embeddings: EmbeddingTable
    public let train: LabelledData
    public let test: LabelledData
    /// The corpus's validation split, if it has one.
    public let validation: LabelledData?
    public let maxLength: Int
    /// How much of the training split the embeddings cover.
    public let coverage: EmbeddingCoverage
    /// Both splits as token ids.
    public let trainTokens: EncodedBatch
    public let testTokens: EncodedBatch

    public init(
        corpus: Corpus, tokenizer: Tokenizer, glove: GloVe, maxVocabulary: Int? = nil, minFrequency: Int = 1,
        outOfVocabulary: EmbeddingTable.OutOfVocabulary = .zero
    ) {
        let trainWords = corpus.train.map { tokenizer.words($0.text) }
        let testWords = corpus.test.map { tokenizer.words($0.text) }
        let vocabulary = Vocabulary(documents: trainWords, maxSize: maxVocabulary, minFrequency: minFrequency)
        let embeddings = EmbeddingTable(vocabulary: vocabulary, glove: glove, outOfVocabulary: outOfVocabulary)
        let missing = Set(embeddings.missingWords)
        coverage = EmbeddingCoverage(documents: trainWords, vocabulary: vocabulary) { !missing.contains($0) }
        self.corpus = corpus
        self.tokenizer = tokenizer
        self.vocabulary = vocabulary
        self.embeddings = embeddings
        self.maxLength = corpus.maxLength
        let classes = corpus.classCount
        trainTokens = EncodedBatch(documents: trainWords, vocabulary: vocabulary, maxLength: corpus.maxLength)
        testTokens = EncodedBatch(documents: testWords, vocabulary: vocabulary, maxLength: corpus.maxLength)
        train = .text(
            trainTokens, labels: corpus.train.map { Int32($0.label) }, classes: classes, embeddings: embeddings.matrix)
        test = .text(
            testTokens, labels: corpus.test.map { Int32($0.label) }, classes: classes, embeddings: embeddings.matrix)
        validation =
            corpus.validation.isEmpty
            ? nil
            : .text(
                EncodedBatch(
                    documents: corpus.validation.map { tokenizer.words($0.text) }, vocabulary: vocabulary,
                    maxLength: corpus.maxLength),
                labels: corpus.validation.map { Int32($0.label) }, classes: classes, embeddings: embeddings.matrix)
    }

    /// The splits as a model reads them: embeddings, or token ids (`tokenIDs`).
    public func splits(tokenIDs: Bool) -> (train: LabelledData, test: LabelledData) {
        guard tokenIDs else { return (train, test) }
        return (
            .tokenIDs(trainTokens, labels: train.labels, classes: train.classes),
            .tokenIDs(testTokens, labels: test.labels, classes: test.classes)
        )
    }
}

extension LabelledData {
    /// Texts as token ids looked up in a frozen embedding table: [rows, maxLength, D].
    public static func text(_ encoded: EncodedBatch, labels: [Int32], classes: Int, embeddings: Tensor) -> LabelledData
    {
        LabelledData(labels: labels, classes: classes) { rows in
            let ids = encoded.rows(rows)
            let input = withoutGradients {
                Tensor.embedding(embeddings, ids: ids, shape: [rows.count, encoded.maxLength])
            }
            return (input, rows.map { encoded.lengths[$0] })
        }
    }

    /// Texts as token ids [rows, maxLength] (numbers, for models with their own embedding layer).
    public static func tokenIDs(_ encoded: EncodedBatch, labels: [Int32], classes: Int) -> LabelledData {
        LabelledData(labels: labels, classes: classes) { rows in
            (
                Tensor(encoded.rows(rows).map(Float.init), shape: [rows.count, encoded.maxLength]),
                rows.map { encoded.lengths[$0] }
            )
        }
    }
}
