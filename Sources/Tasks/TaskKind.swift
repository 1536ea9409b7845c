/// What a task's samples are: sentences of word embeddings [L, D], or images [C, H, W].
public enum TaskKind: String, Codable, Sendable, CaseIterable {
    case text, image
}
