/// The warning below an embedding-coverage line whose corpus is poorly covered
/// (`EmbeddingCoverage.needsWarning`), worded with the option that fixes it.
enum CoverageWording {
    static let warning =
        "\nwarning: those positions are zero rows, so the models see little of those texts; embeddings covering the corpus (--embeddings FILE, GloVe or word2vec/fastText .vec text) fix it"
}
