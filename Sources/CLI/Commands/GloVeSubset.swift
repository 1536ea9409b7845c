import ArgumentParser
import Tasks
import TextPipeline

/// `textdistill glove-subset`: the rows of a GloVe file that some corpora need.
struct GloVeSubset: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "glove-subset",
        abstract: "Copy the GloVe lines of the words some corpora use into a small file.",
        discussion: """
            Builds each corpus's training vocabulary with every tokenizer preset (at the corpus's \
            default minimum frequency) and copies the matching lines of --embeddings, byte for byte, \
            to --output (written atomically). This is how vocab/ is made from the full GloVe file.

            Example:
              textdistill glove-subset --embeddings data/glove.6B.50d.txt \\
                  --corpus trec6 --corpus trec50 --output vocab/glove.subset.txt
            """)

    @Option(help: "The full embeddings text file (GloVe or word2vec/fastText .vec).") var embeddings: String
    @Option(help: "A corpus (bundled name or folder); repeat for several.") var corpus: [String]
    @Option(help: "Where to write the subset.") var output: String

    func run() throws {
        guard !corpus.isEmpty else { throw ValidationError("give at least one --corpus") }
        var words = Set<String>()
        for name in corpus {
            for preset in Tokenizer.Preset.allCases {
                var recipe = DataRecipe()
                recipe.preset = preset
                let c = try recipe.loader.load(name)
                words.formUnion(recipe.vocabulary(c, tokenized: c.train.map { recipe.tokenizer.words($0.text) }).words)
            }
        }
        let copied = try GloVe.exportSubset(from: embeddings, words: words, to: output)
        StandardOutput.write("\(copied) of \(words.count) vocabulary words have a vector; wrote \(output)")
    }
}
