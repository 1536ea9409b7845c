import Tasks
import TensorCore
import TextPipeline

/// A text set's own words: the vocabulary words its positions decode to (`<pad>` included when
/// a sentence ends early), in vocabulary order, with their embedding rows. Stored in the
/// artifact (the words in its JSON, the rows as the tensor `word_embeddings`), so the set decodes
/// with nothing else, in this tool or in Python: every position's nearest stored row is the
/// nearest allowed word of the whole vocabulary, since the stored rows are exactly those winners.
public struct SetWords: Equatable {
    /// The words, in vocabulary order (`<pad>` among them when a sentence ends early).
    public let words: [String]
    /// [words.count, D], float32.
    public let rows: Tensor

    /// - Parameters:
    ///   - words: the words.
    ///   - rows: their embedding rows, [words.count, D].
    public init(words: [String], rows: Tensor) {
        precondition(
            rows.rank == 2 && rows.shape[0] == words.count, "SetWords: \(words.count) words for rows \(rows.shape)")
        self.words = words
        self.rows = rows
    }

    /// The same words with the same rows, value for value.
    public static func == (a: SetWords, b: SetWords) -> Bool {
        a.words == b.words && a.rows.shape == b.rows.shape && a.rows.floats == b.rows.floats
    }

    /// The words `set`'s positions decode to under `task`'s projection, and their rows.
    ///
    /// - Parameters:
    ///   - set: a text set.
    ///   - task: the text task it was distilled from.
    /// - Returns: the words in vocabulary order, or nil for a task without words.
    public static func of(_ set: DistilledSet, task: LoadedTask) -> SetWords? {
        guard let text = task.text, let projection = task.wordProjection else { return nil }
        let ids = Set(set.inputs.flatMap { projection.project($0).ids }).sorted()
        let table = text.embeddings.matrix.converted(to: .float32)
        let rows = withoutGradients { Tensor.embedding(table, ids: ids, shape: [1, ids.count]) }
        return SetWords(
            words: ids.map { text.vocabulary[$0] }, rows: rows.reshaped([ids.count, text.embeddings.dimension]))
    }

    /// The projection onto these words (`<pad>` the end of a sentence, when among them): the
    /// decoder of a set without its corpus.
    public var projection: WordProjection {
        let pad = words.firstIndex(of: Vocabulary.padding).map(Int32.init)
        let allowed = words.indices.filter { $0 != pad.map(Int.init) }.map(Int32.init)
        return WordProjection(embeddings: rows, allowed: allowed, paddingID: pad)
    }
}
