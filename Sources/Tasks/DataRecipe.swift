import TextPipeline

/// How a text corpus becomes model inputs: the reader's options, the tokenizer, the vocabulary
/// and the embeddings. Stored in an artifact, so `decode`, `evaluate` and `report` rebuild the
/// same inputs; every field has the default a plain run uses.
public struct DataRecipe: Codable, Equatable, Sendable {
    public var preset = Tokenizer.Preset.default
    public var encoding = TextEncoding.utf8
    /// TSV/CSV columns (nil: the reader's own choice).
    public var labelColumn: String? = nil
    public var textColumn: String? = nil
    /// One table (or a folder with no test table): the share of each class held out as the test
    /// split, by the seeded, stratified `CorpusSplit`.
    public var testFraction: Double? = nil
    /// The seed of that split (nil: 1).
    public var splitSeed: UInt64? = nil
    /// One table: the table of the test split.
    public var testFile: String? = nil
    /// TREC: the 50 fine labels.
    public var fineLabels = false
    /// SST: binary sentiment.
    public var binary = false
    /// Tokens per text (nil: the corpus's usual length).
    public var maxLength: Int? = nil
    /// Minimum training frequency of a vocabulary word (nil: the corpus's default).
    public var minFrequency: Int? = nil
    /// Vocabulary cap, `<unk>` and `<pad>` included.
    public var maxVocabulary: Int? = nil
    /// A GloVe-format file (nil: the bundled GloVe 6B 50d subset).
    public var embeddings: String? = nil

    public init() {}

    /// The reader of the corpus files under this recipe.
    public var loader: CorpusLoader {
        var loader = CorpusLoader()
        loader.labelColumn = labelColumn
        loader.textColumn = textColumn
        loader.testFraction = testFraction
        loader.testFile = testFile
        loader.splitSeed = splitSeed ?? 1
        loader.fineLabels = fineLabels
        loader.binary = binary
        loader.encoding = encoding
        loader.maxLength = maxLength
        return loader
    }

    public var tokenizer: Tokenizer { Tokenizer(preset: preset) }

    /// The vocabulary's minimum word frequency: the recipe's, else the corpus's default.
    public func minimumFrequency(_ corpus: Corpus) -> Int { minFrequency ?? CorpusLoader.minWordFrequency(corpus.name) }

    /// The training split's vocabulary under this recipe (tokenised by `tokenizer`).
    public func vocabulary(_ corpus: Corpus, tokenized train: [[String]]) -> Vocabulary {
        Vocabulary(documents: train, maxSize: maxVocabulary, minFrequency: minimumFrequency(corpus))
    }

    /// Problems with the values, as sentences; empty when valid.
    public var problems: [String] {
        var p: [String] = []
        if let maxLength, maxLength <= 0 { p.append("the maximum text length must be positive") }
        if let minFrequency, minFrequency <= 0 { p.append("the minimum word frequency must be positive") }
        if let maxVocabulary, maxVocabulary < 3 { p.append("the vocabulary cap must be at least 3") }
        if let testFraction, !(testFraction > 0 && testFraction < 1) {
            p.append("the test fraction must be between 0 and 1, got \(testFraction)")
        }
        return p
    }

    /// Reads the command-line options that artifacts of format 1 stored instead of a recipe
    /// (`--preset default --encoding utf8 --maxlen 30 …`); nil if one is not understood.
    public init?(arguments: [String]) {
        var r = DataRecipe()
        var i = 0
        func value() -> String? {
            i += 1
            return i < arguments.count ? arguments[i] : nil
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--preset":
                guard let v = value().flatMap(Tokenizer.Preset.init(rawValue:)) else { return nil }
                r.preset = v
            case "--encoding":
                guard let v = value().flatMap(TextEncoding.init(rawValue:)) else { return nil }
                r.encoding = v
            case "--label-column":
                guard let v = value() else { return nil }
                r.labelColumn = v
            case "--text-column":
                guard let v = value() else { return nil }
                r.textColumn = v
            case "--fine-labels": r.fineLabels = true
            case "--binary": r.binary = true
            case "--maxlen":
                guard let v = value().flatMap({ Int($0) }) else { return nil }
                r.maxLength = v
            case "--min-frequency":
                guard let v = value().flatMap({ Int($0) }) else { return nil }
                r.minFrequency = v
            case "--max-vocabulary":
                guard let v = value().flatMap({ Int($0) }) else { return nil }
                r.maxVocabulary = v
            case "--embeddings":
                guard let v = value() else { return nil }
                r.embeddings = v
            default: return nil
            }
            i += 1
        }
        self = r
    }
}
