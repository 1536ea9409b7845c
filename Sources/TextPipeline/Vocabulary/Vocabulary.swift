import Foundation
import TensorCore

/// Words ↔ ids. `<unk>` = 0 and `<pad>` = 1, then the training split's words by descending
/// frequency; equal counts keep the order of first appearance (as Python's
/// `Counter.most_common`, so the reference code's vocabulary is reproduced exactly).
public struct Vocabulary: Equatable, Sendable {
    public static let unknown = "<unk>"
    public static let padding = "<pad>"
    public static let unknownID: Int32 = 0
    public static let paddingID: Int32 = 1

    public let words: [String]
    private let index: [String: Int32]

    public var count: Int { words.count }

    /// A vocabulary from tokenised documents: words seen at least `minFrequency` times, the
    /// most frequent first, capped at `maxSize` entries (specials included).
    public init<S: Sequence>(documents: S, maxSize: Int? = nil, minFrequency: Int = 1) where S.Element == [String] {
        var counts: [String: Int] = [:]
        var order: [String] = []
        for doc in documents {
            for w in doc {
                if let c = counts[w] {
                    counts[w] = c + 1
                } else {
                    counts[w] = 1
                    order.append(w)
                }
            }
        }
        let firstSeen = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        var ranked = order.filter {
            $0 != Vocabulary.unknown && $0 != Vocabulary.padding && counts[$0, default: 0] >= minFrequency
        }
        ranked.sort {
            (counts[$0, default: 0], firstSeen[$1, default: 0]) > (counts[$1, default: 0], firstSeen[$0, default: 0])
        }
        if let maxSize { ranked = Array(ranked.prefix(Swift.max(0, maxSize - 2))) }
        self.init(uncheckedWords: [Vocabulary.unknown, Vocabulary.padding] + ranked)
    }

    /// A vocabulary from its word list (specials first, as written by `save`).
    public init(words: [String]) throws {
        guard words.count >= 2, words[0] == Vocabulary.unknown, words[1] == Vocabulary.padding else {
            throw InputError("a vocabulary must start with \(Vocabulary.unknown) and \(Vocabulary.padding)")
        }
        guard Set(words).count == words.count else { throw InputError("a vocabulary has a repeated word") }
        self.init(uncheckedWords: words)
    }

    private init(uncheckedWords words: [String]) {
        self.words = words
        self.index = Dictionary(uniqueKeysWithValues: words.enumerated().map { ($1, Int32($0)) })
    }

    /// The id of `word`, or `<unk>`'s.
    public func id(_ word: String) -> Int32 { index[word] ?? Vocabulary.unknownID }
    public func contains(_ word: String) -> Bool { index[word] != nil }
    public subscript(id: Int32) -> String { words[Int(id)] }

    /// One word per line (words never contain a newline: they come from split text).
    public func save(to path: String) throws {
        try AtomicFile.write(Data(words.joined(separator: "\n").appending("\n").utf8), to: path)
    }

    public static func load(from path: String) throws -> Vocabulary {
        let lines = try TextFile(path: path).lines
        do { return try Vocabulary(words: lines.last == "" ? Array(lines.dropLast()) : lines) } catch let e
            as InputError
        {
            throw InputError(file: path, e.message, remedy: e.remedy)
        }
    }
}
