import Foundation

/// How much of a corpus an embedding table covers: vocabulary words without a vector, and
/// tokens of a split that end up a zero row (unknown to the vocabulary, or without a vector).
public struct EmbeddingCoverage: Equatable, Sendable {
    /// Vocabulary words (`<unk>` and `<pad>` aside).
    public let words: Int
    public let wordsWithoutVector: Int
    /// Tokens of the split measured.
    public let tokens: Int
    public let tokensWithoutVector: Int

    /// Above this share of tokens without a vector, a run warns: those positions are zero rows.
    public static let warningShare = 0.1

    /// The coverage of `documents` (tokenised) by `vocabulary` and the words `hasVector` accepts.
    public init(documents: [[String]], vocabulary: Vocabulary, hasVector: (String) -> Bool) {
        let known = vocabulary.words.dropFirst(2)
        let covered = Set(known.filter(hasVector))
        words = known.count
        wordsWithoutVector = known.count - covered.count
        tokens = documents.reduce(0) { $0 + $1.count }
        tokensWithoutVector = documents.reduce(0) { $0 + $1.filter { !covered.contains($0) }.count }
    }

    public var wordShare: Double { words == 0 ? 0 : Double(wordsWithoutVector) / Double(words) }
    public var tokenShare: Double { tokens == 0 ? 0 : Double(tokensWithoutVector) / Double(tokens) }
    public var needsWarning: Bool { tokenShare > EmbeddingCoverage.warningShare }

    /// One line: "… of … vocabulary words (…) and … % of the … tokens have no vector".
    public func line(split: String) -> String {
        String(
            format: "%d of %d vocabulary words (%.1f %%) and %.1f %% of the %d %@ tokens have no vector",
            wordsWithoutVector, words, 100 * wordShare, 100 * tokenShare, tokens, split)
    }
}
