import TensorCore

/// The Stanford Sentiment Treebank (Socher et al.) as PTB trees, one sentence per line:
/// `(3 (2 It) (4 (2 's) (3 good)))`. The root's label (0–4) is the sentence's; the leaves,
/// joined by spaces, are its text. Binary (SST-2): sentences labelled 2 are dropped, 0–1 are
/// negative and 3–4 positive. GLUE's SST-2 TSV (`sentence<TAB>label`) is read by
/// `DelimitedReader` with `--text-column sentence --label-column label`.
public enum SSTReader {
    public static let fineClasses = ["0", "1", "2", "3", "4"]
    public static let binaryClasses = ["negative", "positive"]

    public static func read(_ path: String, binary: Bool, encoding: TextEncoding = .utf8) throws -> [RawExample] {
        let file = try TextFile(path: path, encoding: encoding)
        var examples: [RawExample] = []
        for (i, line) in file.lines.enumerated() where !line.allSatisfy(\.isWhitespace) {
            let (label, leaves) = try parseTree(line, path: path, line: i + 1)
            guard !leaves.isEmpty else { throw InputError(file: path, line: i + 1, "the tree has no words") }
            let text = leaves.joined(separator: " ")
            if binary {
                guard label != 2 else { continue }
                examples.append(
                    RawExample(label: binaryClasses[label < 2 ? 0 : 1], text: text, file: path, line: i + 1))
            } else {
                examples.append(RawExample(label: fineClasses[label], text: text, file: path, line: i + 1))
            }
        }
        guard !examples.isEmpty else { throw InputError(file: path, "no examples (empty file?)") }
        return examples
    }

    /// The root label and the leaves of one PTB tree.
    static func parseTree(_ line: String, path: String, line number: Int) throws -> (Int, [String]) {
        let chars = Array(line.unicodeScalars)
        var i = 0
        var depth = 0
        var rootLabel: Int? = nil
        var leaves: [String] = []
        func fail(_ message: String) -> InputError {
            InputError(file: path, line: number, "\(message) (column \(i + 1))")
        }
        func skipSpaces() { while i < chars.count && chars[i] == " " { i += 1 } }
        func atom() -> String {
            let start = i
            while i < chars.count && chars[i] != " " && chars[i] != "(" && chars[i] != ")" { i += 1 }
            return String(String.UnicodeScalarView(chars[start..<i]))
        }
        skipSpaces()
        guard i < chars.count && chars[i] == "(" else { throw fail("a tree must start with '('") }
        while i < chars.count {
            skipSpaces()
            guard i < chars.count else { break }
            switch chars[i] {
            case "(":
                i += 1
                depth += 1
                let label = atom()
                guard let value = Int(label), (0...4).contains(value) else {
                    throw fail("expected a label 0–4 after '(', found '\(label)'")
                }
                if rootLabel == nil { rootLabel = value }
            case ")":
                i += 1
                depth -= 1
                if depth < 0 { throw fail("unbalanced ')'") }
                if depth == 0 {
                    skipSpaces()
                    guard i == chars.count else { throw fail("text after the tree's closing ')'") }
                }
            default:
                let word = atom()
                guard depth > 0 else { throw fail("a word outside the tree") }
                leaves.append(word)
            }
        }
        guard depth == 0, let rootLabel else { throw fail("unbalanced '(': the tree is not closed") }
        return (rootLabel, leaves)
    }
}
