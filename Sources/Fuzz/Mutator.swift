import TensorCore

/// Mutations of a seed input: one to four stacked edits of the kinds that break readers —
/// flipped bits, bytes and words set to boundary values (sizes of 0, 2³¹ − 1, 2³², 2⁶³),
/// bytes inserted, deleted, repeated or cut off, characters that mean something to a text
/// format, a splice with another seed.
public enum Mutator {
    static let tokens: [[UInt8]] =
        [
            "\t", "\n", "\r\n", "\"", "\"\"", ",", " ", "#", "(", ")", "{", "}", "[", "]", ":", "-", "0", "-1", "1e999",
            "nan", "inf", "-0", "999999999999999999999", "\u{FEFF}", "é", "\u{0301}", "\u{0000}", "null", "true",
        ].map { Array($0.utf8) } + [[0xC3], [0xFF, 0xFE], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]]

    static let words: [UInt64] = [
        0, 1, 0x7F, 0x80, 0xFF, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000, 0x7FFF_FFFF_FFFF_FFFF,
        0x8000_0000_0000_0000, 0xFFFF_FFFF_FFFF_FFFF, 0x4000_0000_0000_0000,
    ]

    /// A mutation of one of `seeds`, chosen by `rng`.
    public static func mutate(_ seeds: [[UInt8]], using rng: inout RandomGenerator) -> [UInt8] {
        var bytes = seeds[rng.below(seeds.count)]
        for _ in 0..<(1 + rng.below(4)) { edit(&bytes, seeds, &rng) }
        return bytes
    }

    private static func edit(_ b: inout [UInt8], _ seeds: [[UInt8]], _ rng: inout RandomGenerator) {
        let at = b.isEmpty ? 0 : rng.below(b.count + 1)
        switch rng.below(10) {
        case 0 where !b.isEmpty:  // flip a bit
            let i = Swift.min(at, b.count - 1)
            b[i] ^= UInt8(1 << rng.below(8))
        case 1 where !b.isEmpty:  // a random byte
            b[Swift.min(at, b.count - 1)] = UInt8(truncatingIfNeeded: rng.next())
        case 2:  // a boundary value, 1, 2, 4 or 8 bytes, either byte order
            let width = [1, 2, 4, 8][rng.below(4)]
            let value = words[rng.below(words.count)]
            var w = (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
            if rng.below(2) == 0 { w.reverse() }
            let start = Swift.min(at, Swift.max(0, b.count - width))
            b.replaceSubrange(start..<Swift.min(b.count, start + width), with: w)
        case 3:  // a token of a text format
            b.insert(contentsOf: tokens[rng.below(tokens.count)], at: at)
        case 4 where !b.isEmpty:  // delete a range
            b.removeSubrange(at..<Swift.min(b.count, at + 1 + rng.below(Swift.max(1, b.count / 8))))
        case 5 where !b.isEmpty:  // repeat a range
            let end = Swift.min(b.count, at + 1 + rng.below(64))
            let piece = Array(b[Swift.min(at, b.count - 1)..<end])
            b.insert(contentsOf: Array(repeating: piece, count: 1 + rng.below(8)).joined(), at: at)
        case 6:  // cut off
            b.removeSubrange(at..<b.count)
        case 7:  // splice another seed's tail
            let other = seeds[rng.below(seeds.count)]
            let from = other.isEmpty ? 0 : rng.below(other.count)
            b.replaceSubrange(at..<b.count, with: other[from...])
        case 8:  // random bytes
            b.insert(contentsOf: (0..<(1 + rng.below(16))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: at)
        default:  // a digit changed into another (numbers and counts in text)
            if let i = b.indices.dropFirst(at).first(where: { (0x30...0x39).contains(b[$0]) }) {
                b[i] = 0x30 + UInt8(rng.below(10))
            }
        }
    }
}
