import CUTF8Proc

/// A word of the text with the byte range it came from in the ORIGINAL input (before
/// normalisation), so it can be pointed at in the source.
public struct Token: Equatable, Sendable, CustomStringConvertible {
    public let text: String
    public let range: Range<Int>
    public init(_ text: String, _ range: Range<Int>) {
        self.text = text
        self.range = range
    }
    public var description: String { "(\"\(text)\", \(range.lowerBound)..<\(range.upperBound))" }
}

/// The second stage: splits normalised text into words.
///
/// - `.whitespace`: split at white space (Python's `str.split()` set, Unicode included).
/// - `.whitespacePunctuation`: also peels punctuation and symbols off both ends of each word,
///   one token per run of one character ("end..." → "end", "..."; "(a," → "(", "a", ","),
///   keeping inner ones ("e-mail", "u.s", "1,000"), and splits English contractions as the
///   Penn Treebank (and so GloVe 6B) does: "don't" → "do", "n't"; "it's" → "it", "'s".
public enum PreTokenizer: String, Sendable, CaseIterable {
    case whitespace
    case whitespacePunctuation

    public func split(_ text: NormalizedText) -> [Token] {
        var tokens: [Token] = []
        text.bytes.withUnsafeBufferPointer { bytes in
            var i = 0
            while i < bytes.count {
                let (cp, len) = PreTokenizer.decode(bytes, i)
                if PreTokenizer.isWhitespace(cp) {
                    i += len
                    continue
                }
                var j = i + len
                while j < bytes.count {
                    let (c, l) = PreTokenizer.decode(bytes, j)
                    if PreTokenizer.isWhitespace(c) { break }
                    j += l
                }
                switch self {
                case .whitespace: tokens.append(PreTokenizer.token(bytes, i..<j, text))
                case .whitespacePunctuation: PreTokenizer.splitWord(bytes, i..<j, text, into: &tokens)
                }
                i = j
            }
        }
        return tokens
    }

    private static func token(_ bytes: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ text: NormalizedText) -> Token {
        Token(String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self), text.originalRange(of: r) ?? r)
    }

    /// Peels punctuation runs off both ends of one whitespace-delimited word, then splits a
    /// contraction suffix.
    private static func splitWord(
        _ bytes: UnsafeBufferPointer<UInt8>, _ word: Range<Int>, _ text: NormalizedText,
        into tokens: inout [Token]
    ) {
        var start = word.lowerBound
        var end = word.upperBound
        // Trailing runs, collected right to left.
        var trailing: [Range<Int>] = []
        while end > start {
            let (c, l) = decodeBefore(bytes, end)
            guard isPunctuation(c) else { break }
            var k = end - l
            while k > start, decodeBefore(bytes, k).0 == c { k -= l }
            trailing.append(k..<end)
            end = k
        }
        // Leading runs, unless the rest is a contraction on its own ("'s" in "what 's").
        if !isContraction(bytes, start..<end) {
            while start < end {
                let (c, l) = decode(bytes, start)
                guard isPunctuation(c) else { break }
                var k = start + l
                while k < end, decode(bytes, k).0 == c { k += l }
                tokens.append(token(bytes, start..<k, text))
                start = k
            }
        }
        if start < end {
            let core = start..<end
            if let cut = contractionStart(bytes, core) {
                tokens.append(token(bytes, core.lowerBound..<cut, text))
                tokens.append(token(bytes, cut..<core.upperBound, text))
            } else {
                tokens.append(token(bytes, core, text))
            }
        }
        for r in trailing.reversed() { tokens.append(token(bytes, r, text)) }
    }

    /// Where a Penn Treebank contraction suffix starts ("n't", "'s", "'re", "'ve", "'ll",
    /// "'d", "'m"), if the word ends with one after at least one letter.
    private static func contractionStart(_ bytes: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Int? {
        // Every suffix contains an apostrophe within its last 3 bytes: most words stop here.
        guard r.count > 1, bytes[r.upperBound - 2] == 0x27 || (r.count > 2 && bytes[r.upperBound - 3] == 0x27) else {
            return nil
        }
        for suffix in contractionSuffixes
        where r.count > suffix.count
            && bytes[(r.upperBound - suffix.count)..<r.upperBound].elementsEqual(suffix)
        {
            return r.upperBound - suffix.count
        }
        return nil
    }

    private static func isContraction(_ bytes: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        contractionSuffixes.contains { $0.elementsEqual(bytes[r]) }
    }

    private static let contractionSuffixes: [[UInt8]] = ["n't", "'s", "'re", "'ve", "'ll", "'d", "'m"].map {
        Array($0.utf8)
    }

    @inline(__always)
    static func decode(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (Int32, Int) {
        if b[i] < 0x80 { return (Int32(b[i]), 1) }
        var cp: utf8proc_int32_t = 0
        let len = utf8proc_iterate(b.pointer(at: i), b.count - i, &cp)
        return len > 0 ? (cp, len) : (0xFFFD, 1)
    }

    /// The code point that ends just before byte `end`.
    static func decodeBefore(_ b: UnsafeBufferPointer<UInt8>, _ end: Int) -> (Int32, Int) {
        var start = end - 1
        while start > 0 && b[start] & 0xC0 == 0x80 { start -= 1 }
        return decode(b, start)
    }

    /// Python's `str.isspace()` set.
    static func isWhitespace(_ c: Int32) -> Bool {
        switch c {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default: return false
        }
    }

    /// ASCII punctuation and symbols, and Unicode categories P* and S*.
    static func isPunctuation(_ c: Int32) -> Bool {
        if c < 0x80 {
            return (0x21...0x2F).contains(c) || (0x3A...0x40).contains(c) || (0x5B...0x60).contains(c)
                || (0x7B...0x7E).contains(c)
        }
        switch utf8proc_category(c) {
        case UTF8PROC_CATEGORY_PC, UTF8PROC_CATEGORY_PD, UTF8PROC_CATEGORY_PS, UTF8PROC_CATEGORY_PE,
            UTF8PROC_CATEGORY_PI, UTF8PROC_CATEGORY_PF, UTF8PROC_CATEGORY_PO,
            UTF8PROC_CATEGORY_SM, UTF8PROC_CATEGORY_SC, UTF8PROC_CATEGORY_SK, UTF8PROC_CATEGORY_SO:
            return true
        default: return false
        }
    }
}
