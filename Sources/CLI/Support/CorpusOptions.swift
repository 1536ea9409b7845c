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

    @Option(
        help: ArgumentHelp(
            "Label column of a TSV/CSV/JSONL corpus (default: 'label').", valueName: "name"))
    var labelColumn: String?

    @Option(
        help: ArgumentHelp(
            "Text column of a TSV/CSV/JSONL corpus (default: 'text', else 'sentence').", valueName: "name"))
    var textColumn: String?

    @Option(
        help: ArgumentHelp(
            "One table file (or a folder without a test table): hold out this share of each class as the test split (seeded, stratified; recorded in the artifact).",
            valueName: "fraction"))
    var testFraction: Double?

    @Option(help: ArgumentHelp("One table file: the table of its test split.", valueName: "file"))
    var testFile: String?

    @Option(help: ArgumentHelp("The seed of the --test-fraction split (default 1).", valueName: "n"))
    var splitSeed: UInt64?

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
        if let testFraction, !(testFraction > 0 && testFraction < 1) {
            throw ValidationError("--test-fraction must be between 0 and 1 (e.g. 0.2), got \(testFraction)")
        }
        if testFraction != nil && testFile != nil {
            throw ValidationError("--test-fraction and --test-file both name the test split; give one")
        }
        if splitSeed != nil && testFraction == nil { throw ValidationError("--split-seed goes with --test-fraction") }
    }

    /// These options as the recipe a task is read by (and stored in its artifact), with the
    /// embeddings file if one was given.
    func recipe(embeddings: String? = nil) -> DataRecipe {
        var r = DataRecipe()
        r.preset = preset
        r.encoding = encoding
        r.labelColumn = labelColumn
        r.textColumn = textColumn
        r.testFraction = testFraction
        r.splitSeed = splitSeed
        r.testFile = testFile
        r.fineLabels = fineLabels
        r.binary = binary
        r.maxLength = maxlen
        r.minFrequency = minFrequency
        r.maxVocabulary = maxVocabulary
        r.embeddings = embeddings
        return r
    }
}
