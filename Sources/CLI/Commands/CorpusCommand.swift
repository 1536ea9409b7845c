import ArgumentParser
import DataFiles
import Foundation
import Tasks
import TextPipeline

/// `textdistill corpus NAME`: what a corpus holds once read and tokenised.
struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Show a corpus: split sizes, class counts, vocabulary size and out-of-vocabulary rates.",
        discussion: """
            NAME is a bundled corpus (trec6, trec50, rotten-tomatoes, fine-foods), a folder in a \
            supported layout, or one table file:
              TREC          train_5500.label + TREC_10.label
              IMDB          aclImdb/ (train/test × pos/neg)
              SST           train.txt + test.txt (PTB trees; --binary for SST-2)
              tables        train + test (+ validation or dev, used to choose
                            baseline rates, never for reported accuracy) as
                            .tsv, .csv or .jsonl, gzipped too; a Hugging Face
                            export with train + validation only tests on
                            validation
              one table     sms.csv --test-fraction 0.2 (a seeded, stratified
                            split) or --test-file test.csv
            Table columns default to 'label' and 'text' (or 'sentence'); JSONL labels may be \
            strings, integers or booleans.

            Examples:
              textdistill corpus trec6 --preset reference
              textdistill corpus ~/data/aclImdb --json
              textdistill corpus ~/data/sst2-glue
              textdistill corpus sms.csv --test-fraction 0.2
              textdistill corpus reviews/ --label-column stars --text-column body
            """)

    @Argument(help: "A bundled corpus name, a corpus folder or one table file.")
    var name: String

    @OptionGroup var corpusOptions: CorpusOptions

    @Option(help: "GloVe-format embeddings to measure coverage against (default: the bundled GloVe 6B 50d subset).")
    var embeddings: String?

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        let recipe = corpusOptions.recipe()
        let corpus = try recipe.loader.load(name, notice: note)
        let tokenizer = recipe.tokenizer
        let train = corpus.train.map { tokenizer.words($0.text) }
        let test = corpus.test.map { tokenizer.words($0.text) }
        let vocabulary = recipe.vocabulary(corpus, tokenized: train)
        let embeddingPath = embeddings ?? DataLocation.bundledEmbeddings
        let glove = try GloVe.load(path: embeddingPath, restrictedTo: Set(vocabulary.words))
        let trainCoverage = EmbeddingCoverage(documents: train, vocabulary: vocabulary) { glove.row(of: $0) != nil }
        let testCoverage = EmbeddingCoverage(documents: test, vocabulary: vocabulary) { glove.row(of: $0) != nil }
        let missing = trainCoverage.wordsWithoutVector
        let testTokens = testCoverage.tokens
        let unknownTokens = test.reduce(0) { $0 + $1.filter { !vocabulary.contains($0) }.count }
        let noVector = testCoverage.tokensWithoutVector
        let (trainCounts, testCounts) = (corpus.counts(corpus.train), corpus.counts(corpus.test))

        if json {
            let report: [String: Any] = [
                "corpus": corpus.name, "preset": corpusOptions.preset.rawValue, "maxlen": corpus.maxLength,
                "train": corpus.train.count, "test": corpus.test.count, "validation": corpus.validation.count,
                "classes": corpus.classNames,
                "trainTokens": trainCoverage.tokens, "trainWithoutVectorRate": trainCoverage.tokenShare,
                "trainCounts": Dictionary(uniqueKeysWithValues: zip(corpus.classNames, trainCounts)),
                "testCounts": Dictionary(uniqueKeysWithValues: zip(corpus.classNames, testCounts)),
                "vocabulary": vocabulary.count, "embeddings": embeddingPath, "dimension": glove.dimension,
                "vocabularyWithoutVector": missing, "testTokens": testTokens,
                "testUnknownRate": rate(unknownTokens, testTokens),
                "testWithoutVectorRate": rate(noVector, testTokens),
            ]
            let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys, .prettyPrinted])
            StandardOutput.write(String(decoding: data, as: UTF8.self))
            return
        }
        StandardOutput.write("corpus \(corpus.name): \(corpus.classCount) classes, maxlen \(corpus.maxLength)")
        StandardOutput.write(
            "  train \(corpus.train.count), test \(corpus.test.count)"
                + (corpus.validation.isEmpty ? "" : ", validation \(corpus.validation.count)"))
        let width = max(5, corpus.classNames.map(\.count).max() ?? 0)
        StandardOutput.write("  " + "class".padding(toLength: width, withPad: " ", startingAt: 0) + "   train    test")
        for (i, c) in corpus.classNames.enumerated() {
            StandardOutput.write(
                "  " + c.padding(toLength: width, withPad: " ", startingAt: 0)
                    + String(format: " %7d %7d", trainCounts[i], testCounts[i]))
        }
        StandardOutput.write(
            "tokenizer \(corpusOptions.preset.rawValue): vocabulary \(vocabulary.count) words (<unk> and <pad> included)"
        )
        StandardOutput.write(
            "embeddings \(embeddingPath) (\(glove.dimension)-d): " + trainCoverage.line(split: "training"))
        StandardOutput.write(
            String(
                format: "test tokens %d: %.1f %% unknown to the vocabulary, %.1f %% without a vector", testTokens,
                100 * rate(unknownTokens, testTokens), 100 * rate(noVector, testTokens)))
        if trainCoverage.needsWarning {
            StandardOutput.write(CoverageWording.warning.trimmingCharacters(in: .newlines))
        }
    }

    private func rate(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
}
