import ArgumentParser
import Tasks
import TextPipeline

extension TextEncoding: ExpressibleByArgument {}
extension Tokenizer.Preset: ExpressibleByArgument {}

/// How to find, read and tokenise a corpus; shared by every command that reads one.
struct CorpusOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Tokenizer preset: 'reference' (lowercase + whitespace split, exactly as the reference code) or 'default' (NFKC + case folding, punctuation and contractions split, markup removed).",
            valueName: "preset"))
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

    @Option(
        help: ArgumentHelp(
            "Minimum training frequency for a vocabulary word (default: 1; 2 for the bundled sentiment sets).",
            valueName: "n"))
    var minFrequency: Int?

    @Option(help: ArgumentHelp("Maximum vocabulary size, <unk> and <pad> included.", valueName: "n"))
    var maxVocabulary: Int?

    func validate() throws {
        if let maxlen, maxlen <= 0 { throw ValidationError("--maxlen must be positive") }
        if let minFrequency, minFrequency <= 0 { throw ValidationError("--min-frequency must be positive") }
        if let maxVocabulary, maxVocabulary < 3 { throw ValidationError("--max-vocabulary must be at least 3") }
    }

    /// These options as the recipe a task is read by (and stored in its artifact), with the
    /// embeddings file if one was given.
    func recipe(embeddings: String? = nil) -> DataRecipe {
        var r = DataRecipe()
        r.preset = preset
        r.encoding = encoding
        r.labelColumn = labelColumn
        r.textColumn = textColumn
        r.fineLabels = fineLabels
        r.binary = binary
        r.maxLength = maxlen
        r.minFrequency = minFrequency
        r.maxVocabulary = maxVocabulary
        r.embeddings = embeddings
        return r
    }
}
