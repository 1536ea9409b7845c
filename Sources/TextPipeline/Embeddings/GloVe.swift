import DataFiles
import Foundation
import TensorCore

/// Word vectors in GloVe's text format: one line per word, `word v1 v2 … vD`, separated by
/// single spaces. The dimension is detected from the first line. word2vec's and fastText's
/// text format (`.vec`) is the same after a header line `count dimension`, which is read as
/// such; their binary format (`.bin`) is refused with a way to convert it.
///
/// Every line is validated: the number of values, that each is a finite decimal number, that
/// the word is not empty and not a repeat. An error names the file and line. Words may
/// contain spaces (GloVe 840B has some): the last D fields are the values.
///
/// `load` keeps a binary cache beside the source (`<file>.tdcache`) holding every row; it is
/// rebuilt when the source's size or modification time changes, and written atomically, so a
/// second load of the 400k × 50 table takes a fraction of a second.
public struct GloVe: Sendable {
    public let dimension: Int
    public let words: [String]
    /// Row-major [words.count, dimension].
    public let vectors: [Float]
    private let index: [String: Int]

    init(dimension: Int, words: [String], vectors: [Float]) {
        self.dimension = dimension
        self.words = words
        self.vectors = vectors
        self.index = Dictionary(words.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public var count: Int { words.count }

    public func vector(_ word: String) -> ArraySlice<Float>? {
        index[word].map { vectors[($0 * dimension)..<(($0 + 1) * dimension)] }
    }

    public func row(of word: String) -> Int? { index[word] }

    /// Only the rows of `words` that this table has, in this table's order.
    public func restricted(to words: Set<String>) -> GloVe {
        var keptWords: [String] = []
        var kept: [Float] = []
        for (i, w) in self.words.enumerated() where words.contains(w) {
            keptWords.append(w)
            kept += vectors[(i * dimension)..<((i + 1) * dimension)]
        }
        return GloVe(dimension: dimension, words: keptWords, vectors: kept)
    }

    /// The table at `path`, through the binary cache when it is current (and refreshing it
    /// when not; a directory that cannot be written to only means no cache). `notice` hears,
    /// in one line, of a cache that was there but stale or corrupt.
    public static func load(
        path: String, restrictedTo words: Set<String>? = nil, useCache: Bool = true,
        notice: (String) -> Void = { _ in }
    ) throws -> GloVe {
        let file = try MappedFile(path: path)
        let cachePath = path + ".tdcache"
        if useCache, let cached = try? GloVeCache.read(cachePath, matching: file) {
            return words.map { cached.restricted(to: $0) } ?? cached
        }
        if useCache && FileManager.default.fileExists(atPath: cachePath) {
            notice("\(cachePath): does not match \(path) (stale or corrupt); rebuilding it")
        }
        let table = try parse(file)
        if useCache { try? GloVeCache.write(table, to: cachePath, source: file) }
        return words.map { table.restricted(to: $0) } ?? table
    }

    /// Parses the text file without any cache.
    public static func parse(path: String) throws -> GloVe { try parse(MappedFile(path: path)) }

    static func parse(_ file: MappedFile) throws -> GloVe {
        var words: [String] = []
        var vectors: [Float] = []
        var seen: [String: Int] = [:]
        var dimension = 0
        try forEachLine(file) { lineNumber, word, values, _ in
            if dimension == 0 {
                dimension = values.count
                words.reserveCapacity(file.size / (dimension * 8 + 8))
                vectors.reserveCapacity(file.size / 8)
            }
            let fields = try values.enumerated().map { k, r -> Float in
                guard let v = FloatParser.parse(file.bytes, r.lowerBound, r.upperBound) else {
                    let text = String(decoding: UnsafeBufferPointer(rebasing: file.bytes[r]), as: UTF8.self)
                    throw InputError(
                        file: file.path, line: lineNumber,
                        "value \(k + 1) of '\(word)', '\(text)', is not a finite number")
                }
                return v
            }
            if let first = seen.updateValue(lineNumber, forKey: word) {
                throw InputError(file: file.path, line: lineNumber, "duplicate word '\(word)' (first on line \(first))")
            }
            words.append(word)
            vectors += fields
        } dimension: {
            dimension
        }
        guard !words.isEmpty else { throw InputError(file: file.path, "empty file: no word vectors") }
        return GloVe(dimension: dimension, words: words, vectors: vectors)
    }

    /// Copies the lines of `words` from the GloVe file at `source` to `destination`, byte for
    /// byte (values are not reformatted), in the source's order; returns how many.
    @discardableResult
    public static func exportSubset(from source: String, words: Set<String>, to destination: String) throws -> Int {
        let file = try MappedFile(path: source)
        var out = Data()
        var copied = 0
        try forEachLine(file) { _, word, _, line in
            guard words.contains(word) else { return }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: file.bytes[line]))
            out.append(0x0A)
            copied += 1
        } dimension: {
            nil
        }
        try AtomicFile.write(out, to: destination)
        return copied
    }

    /// Splits each line into its word and value ranges, checking the count against the
    /// dimension (the first line's when `dimension()` is nil/0), and hands them to `body` with
    /// the line's byte range.
    private static func forEachLine(
        _ file: MappedFile,
        _ body: (_ lineNumber: Int, _ word: String, _ values: [Range<Int>], _ line: Range<Int>) throws -> Void,
        dimension: () -> Int?
    ) throws {
        let b = file.bytes
        try refuseBinary(file)
        var start = 0
        var lineNumber = 0
        var expected = 0
        if let header = word2vecHeader(b) {
            // `count dimension`: the values per line, and a line that is not a word.
            expected = header.dimension
            start = header.end
            lineNumber = 1
        }
        var accepted = false
        while start < b.count {
            lineNumber += 1
            var end = start
            while end < b.count && b[end] != 0x0A { end += 1 }
            var stop = end
            while stop > start && (b[stop - 1] == 0x0D || b[stop - 1] == 0x20) { stop -= 1 }
            defer { start = end + 1 }
            if stop == start {
                throw InputError(file: file.path, line: lineNumber, "empty line")
            }
            // Fields from the right: values, then the word is everything before them.
            var spaces: [Int] = []
            var k = start
            while k < stop {
                if b[k] == 0x20 { spaces.append(k) }
                k += 1
            }
            if expected == 0 { expected = dimension() ?? 0 }
            if expected == 0 { expected = spaces.count }
            guard expected > 0 else {
                throw InputError(file: file.path, line: lineNumber, "no values after the word")
            }
            let (word, ranges) = try fields(
                b, start..<stop, spaces: spaces, expected: expected, truncated: end >= b.count,
                file: file.path, line: lineNumber)
            try body(lineNumber, word, ranges, start..<stop)
            accepted = true
        }
        if !accepted { throw InputError(file: file.path, "empty file: no word vectors") }
    }

    /// word2vec's binary format, or any file with NUL bytes near its start, is not text.
    private static func refuseBinary(_ file: MappedFile) throws {
        let head = file.bytes.prefix(4096)
        if file.path.hasSuffix(".bin") || head.contains(0) {
            throw InputError(
                file: file.path,
                "is a binary file (word2vec/fastText .bin?); embeddings must be text: GloVe's format or word2vec/fastText .vec "
                    + "(convert with gensim: KeyedVectors.load_word2vec_format(path, binary=True).save_word2vec_format(out, binary=False))"
            )
        }
    }

    /// word2vec's header line `count dimension` (two positive integers), and where the next line
    /// starts; nil when the first line is a word's.
    private static func word2vecHeader(_ b: UnsafeBufferPointer<UInt8>) -> (dimension: Int, end: Int)? {
        var end = 0
        while end < b.count && end < 64 && b[end] != 0x0A { end += 1 }
        guard end < b.count, b[end] == 0x0A,
            let line = String(validating: UnsafeBufferPointer(rebasing: b[0..<end]), as: UTF8.self)
        else { return nil }
        let fields = line.split(separator: " ", omittingEmptySubsequences: true).map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard fields.count == 2, let count = Int(fields[0]), let dimension = Int(fields[1]), count > 0, dimension > 0,
            fields.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else { return nil }
        return (dimension, end + 1)
    }

    /// A line's word and value ranges, given the positions of its spaces.
    private static func fields(
        _ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, spaces: [Int], expected: Int, truncated: Bool,
        file: String, line: Int
    ) throws -> (word: String, values: [Range<Int>]) {
        guard spaces.count >= expected else {
            throw InputError(
                file: file, line: line,
                "expected \(expected) values after the word, found \(spaces.count)\(truncated ? " (truncated file?)" : "")"
            )
        }
        let firstValue = spaces.count - expected
        let wordEnd = spaces[firstValue]
        if firstValue > 0 {
            // A word with spaces, unless the extra field is a number (a line with too many values).
            let extra = spaces[firstValue - 1] + 1
            if FloatParser.parse(b, extra, wordEnd) != nil {
                throw InputError(
                    file: file, line: line, "expected \(expected) values after the word, found more")
            }
        }
        guard wordEnd > range.lowerBound else { throw InputError(file: file, line: line, "empty word") }
        guard let word = String(validating: UnsafeBufferPointer(rebasing: b[range.lowerBound..<wordEnd]), as: UTF8.self)
        else {
            throw InputError(file: file, line: line, "the word is not valid UTF-8")
        }
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(expected)
        for f in firstValue..<spaces.count {
            let s = spaces[f] + 1
            let e = f + 1 < spaces.count ? spaces[f + 1] : range.upperBound
            ranges.append(s..<e)
        }
        return (word, ranges)
    }

}
