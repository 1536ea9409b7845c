/// Token ids in a fixed-length layout: each document's ids truncated or padded with `<pad>`
/// at the END to `maxLength`, with its true length kept (models that respect lengths use it).
public struct EncodedBatch: Equatable, Sendable {
    /// Row-major [count, maxLength].
    public let ids: [Int32]
    /// min(tokens, maxLength) per document.
    public let lengths: [Int]
    public let maxLength: Int
    public var count: Int { lengths.count }

    public init(documents: [[String]], vocabulary: Vocabulary, maxLength: Int) {
        precondition(maxLength > 0, "EncodedBatch: maxLength must be positive")
        var ids = [Int32](repeating: Vocabulary.paddingID, count: documents.count * maxLength)
        var lengths: [Int] = []
        lengths.reserveCapacity(documents.count)
        for (i, doc) in documents.enumerated() {
            let n = Swift.min(doc.count, maxLength)
            for j in 0..<n { ids[i * maxLength + j] = vocabulary.id(doc[j]) }
            lengths.append(n)
        }
        self.ids = ids
        self.lengths = lengths
        self.maxLength = maxLength
    }

    /// The ids of rows `rows`, in that order ([rows.count, maxLength]).
    public func rows(_ rows: [Int]) -> [Int32] {
        rows.flatMap { ids[($0 * maxLength)..<(($0 + 1) * maxLength)] }
    }
}
