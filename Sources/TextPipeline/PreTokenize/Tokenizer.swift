/// Normaliser + pre-tokeniser: text → words.
///
/// Two presets:
/// - `reference` reproduces the reference code exactly: lowercase, split at white space,
///   nothing else (`text.lower().split()`; IMDB's `<br />` survives as tokens such as `/><br`).
/// - `default` (recommended): NFKC + case folding + typographic lumping, control characters
///   and markup tags removed, punctuation peeled off words and contractions split as GloVe 6B
///   was tokenised, so far fewer words fall outside GloVe (see docs/text-pipeline.md).
public struct Tokenizer: Sendable, Equatable {
    public enum Preset: String, Codable, Sendable, CaseIterable {
        case reference
        case `default`
    }

    public let normalizer: Normalizer
    public let preTokenizer: PreTokenizer

    public init(normalizer: Normalizer, preTokenizer: PreTokenizer) {
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
    }

    public init(preset: Preset) {
        switch preset {
        case .reference:
            self.init(
                normalizer: Normalizer(form: .lowercase, stripControl: false, stripHTML: false),
                preTokenizer: .whitespace)
        case .default:
            self.init(
                normalizer: Normalizer(form: .nfkcCaseFold, stripControl: true, stripHTML: true),
                preTokenizer: .whitespacePunctuation)
        }
    }

    /// Words with their byte ranges in `text`.
    public func tokenize(_ text: String) -> [Token] {
        preTokenizer.split(normalizer.normalize(text))
    }

    /// Words with their byte ranges in `utf8`; invalid UTF-8 is an error.
    public func tokenize(utf8: [UInt8]) throws -> [Token] {
        try utf8.withUnsafeBufferPointer { try preTokenizer.split(normalizer.normalize(utf8: $0)) }
    }

    /// Just the words (no offsets tracked: the fast path for whole corpora).
    public func words(_ text: String) -> [String] {
        preTokenizer.split(normalizer.normalize(text, offsets: false)).map(\.text)
    }
}
