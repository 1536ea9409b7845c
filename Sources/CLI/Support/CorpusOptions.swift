import ArgumentParser
import TextPipeline

extension TextEncoding: ExpressibleByArgument {}
extension Tokenizer.Preset: ExpressibleByArgument {}

/// How to find, read and tokenise a corpus; shared by every command that reads one.
struct CorpusOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Tokenizer preset: 'reference' (lowercase + whitespace split, exactly as the reference code) or 'default' (NFKC + case folding, punctuation and contractions split, markup removed).", valueName: "preset"))
    var preset: Tokenizer.Preset = .default

    @Option(help: ArgumentHelp("Label column of a TSV/CSV corpus.", valueName: "name"))
    var labelColumn: String?

    @Option(help: ArgumentHelp("Text column of a TSV/CSV corpus.", valueName: "name"))
    var textColumn: String?

    @Flag(help: "TREC folder: use the 50 fine labels (COARSE:fine) instead of the 6 coarse ones.")
    var fineLabels = false

    @Flag(help: "SST trees: binary sentiment (drop neutral, 0–1 negative, 3–4 positive).")
    var binary = false

    @Option(help: "Text encoding of the corpus files: utf8 or latin1.")
    var encoding: TextEncoding = .utf8

    @Option(help: "Pad or cut texts to this many tokens (default: the corpus's usual length).")
    var maxlen: Int?

    @Option(help: ArgumentHelp("Minimum training frequency for a vocabulary word (default: 1; 2 for the bundled sentiment sets).", valueName: "n"))
    var minFrequency: Int?

    @Option(help: ArgumentHelp("Maximum vocabulary size, <unk> and <pad> included.", valueName: "n"))
    var maxVocabulary: Int?

    func validate() throws {
        if let maxlen, maxlen <= 0 { throw ValidationError("--maxlen must be positive") }
        if let minFrequency, minFrequency <= 0 { throw ValidationError("--min-frequency must be positive") }
        if let maxVocabulary, maxVocabulary < 3 { throw ValidationError("--max-vocabulary must be at least 3") }
    }

    func load(_ nameOrPath: String) throws -> Corpus {
        var loader = CorpusLoader()
        loader.labelColumn = labelColumn
        loader.textColumn = textColumn
        loader.fineLabels = fineLabels
        loader.binary = binary
        loader.encoding = encoding
        loader.maxLength = maxlen
        return try loader.load(nameOrPath)
    }

    var tokenizer: Tokenizer { Tokenizer(preset: preset) }

    /// These options as command-line arguments (stored in artifacts, so the same corpus can be
    /// rebuilt later by `decode` and `evaluate`).
    var arguments: [String] {
        var a = ["--preset", preset.rawValue, "--encoding", encoding.rawValue]
        if let labelColumn { a += ["--label-column", labelColumn] }
        if let textColumn { a += ["--text-column", textColumn] }
        if fineLabels { a.append("--fine-labels") }
        if binary { a.append("--binary") }
        if let maxlen { a += ["--maxlen", String(maxlen)] }
        if let minFrequency { a += ["--min-frequency", String(minFrequency)] }
        if let maxVocabulary { a += ["--max-vocabulary", String(maxVocabulary)] }
        return a
    }

    /// The vocabulary's minimum word frequency: the option, else the corpus's default.
    func minimumFrequency(_ corpus: Corpus) -> Int { minFrequency ?? CorpusLoader.minWordFrequency(corpus.name) }

    /// The training split's vocabulary under these options.
    func vocabulary(_ corpus: Corpus, tokenized train: [[String]]) -> Vocabulary {
        let minimum = minimumFrequency(corpus)
        return Vocabulary(documents: train, maxSize: maxVocabulary, minFrequency: minimum)
    }
}
