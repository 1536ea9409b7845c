/// What a task's samples are: sentences of word embeddings [L, D], images [C, H, W], or
/// feature vectors [D] (the demo's synthetic task).
public enum TaskKind: String, Codable, Sendable, CaseIterable {
    case text, image, vectors
}
