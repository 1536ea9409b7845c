import TensorCore
import Testing
import TextPipeline

/// (input, expected tokens with byte ranges in the ORIGINAL input).
struct TokenCase: CustomTestStringConvertible, Sendable {
    let input: String
    let expected: [Token]
    var testDescription: String { input.debugDescription }
    init(_ input: String, _ expected: [(String, Range<Int>)]) {
        self.input = input
        self.expected = expected.map { Token($0.0, $0.1) }
    }
}

let defaultCases: [TokenCase] = [
    TokenCase("Hey man!", [("hey", 0..<3), ("man", 4..<7), ("!", 7..<8)]),
    TokenCase("\u{FB01}le", [("file", 0..<5)]),  // ligature ﬁ (3 bytes) → "fi"
    TokenCase("Straße", [("strasse", 0..<7)]),  // full case folding
    TokenCase("ＡＢＣ１", [("abc1", 0..<12)]),  // full-width letters and digit
    TokenCase("cafe\u{301} café", [("café", 0..<6), ("café", 7..<12)]),  // combining acute composes
    TokenCase("don't stop.", [("do", 0..<2), ("n't", 2..<5), ("stop", 6..<10), (".", 10..<11)]),
    TokenCase("What 's it's", [("what", 0..<4), ("'s", 5..<7), ("it", 8..<10), ("'s", 10..<12)]),
    TokenCase("<br />Great<i>film</i>", [("great", 6..<11), ("film", 14..<18)]),
    TokenCase("e-mail u.s. 1,000", [("e-mail", 0..<6), ("u.s", 7..<10), (".", 10..<11), ("1,000", 12..<17)]),
    TokenCase(
        "wait...!? (yes)",
        [("wait", 0..<4), ("...", 4..<7), ("!", 7..<8), ("?", 8..<9), ("(", 10..<11), ("yes", 11..<14), (")", 14..<15)]),
    TokenCase("a\u{200B}b", [("ab", 0..<5)]),  // zero-width space removed
    // curly quotes lumped
    TokenCase(
        "\u{201C}hi\u{201D} \u{2018}n\u{2019}",
        [("\"", 0..<3), ("hi", 3..<5), ("\"", 5..<8), ("'", 9..<12), ("n", 12..<13), ("'", 13..<16)]),
    TokenCase("a\u{2014}b \u{2212}1", [("a-b", 0..<5), ("-", 6..<9), ("1", 9..<10)]),  // em dash and minus lumped
    TokenCase("a\tb\r\nc\u{7}d", [("a", 0..<1), ("b", 2..<3), ("cd", 5..<8)]),  // controls: spaces, or dropped
    TokenCase("x\u{A0}y\u{3000}z", [("x", 0..<1), ("y", 3..<4), ("z", 7..<8)]),  // NBSP and ideographic space
    TokenCase("Ｈｅｌｌｏ， ｗｏｒｌｄ！", [("hello", 0..<15), (",", 15..<18), ("world", 19..<34), ("!", 34..<37)]),
    TokenCase("a,b", [("a,b", 0..<3)]),  // inner punctuation stays
    TokenCase("", []),
    TokenCase("  \n ", []),
]

let referenceCases: [TokenCase] = [
    TokenCase("Hello, World!", [("hello,", 0..<6), ("world!", 7..<13)]),
    TokenCase("Straße", [("straße", 0..<7)]),  // lowercase only
    TokenCase("\u{FB01}le", [("\u{FB01}le", 0..<5)]),  // no NFKC
    TokenCase("<br />Great", [("<br", 0..<3), ("/>great", 4..<11)]),  // markup kept, as the seed
    TokenCase("a\u{A0}b\tc", [("a", 0..<1), ("b", 3..<4), ("c", 5..<6)]),  // Python's str.split() white space
    TokenCase("What 's", [("what", 0..<4), ("'s", 5..<7)]),
]

@Test(arguments: defaultCases)
func defaultPreset(_ c: TokenCase) {
    #expect(Tokenizer(preset: .default).tokenize(c.input) == c.expected)
}

@Test(arguments: referenceCases)
func referencePreset(_ c: TokenCase) {
    #expect(Tokenizer(preset: .reference).tokenize(c.input) == c.expected)
}

@Test func invalidUTF8IsAnErrorWithItsOffset() {
    #expect(throws: Normalizer.Failure.invalidUTF8(byteOffset: 1)) {
        try Tokenizer(preset: .default).tokenize(utf8: [0x61, 0xFF, 0x62])
    }
    #expect(throws: Normalizer.Failure.invalidUTF8(byteOffset: 3)) {
        try Tokenizer(preset: .default).tokenize(utf8: Array("ok ".utf8) + [0xC3])  // truncated sequence
    }
}

@Test func wordsWithoutOffsetsMatchTokens() {
    let text = "The film's <br /> ＦＩＮＡＬＥ… wasn't \u{FB01}ne!"
    let t = Tokenizer(preset: .default)
    #expect(t.words(text) == t.tokenize(text).map(\.text))
    #expect(t.words(text) == ["the", "film", "'s", "finale", "...", "was", "n't", "fine", "!"])
}
