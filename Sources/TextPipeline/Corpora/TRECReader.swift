import TensorCore

/// TREC question classification (Li & Roth) in its official format: one question per line,
/// `COARSE:fine question words ?` (`train_5500.label`, `TREC_10.label`). The coarse label
/// gives TREC-6, the whole `COARSE:fine` label TREC-50.
public enum TRECReader {
    public static func read(_ path: String, fine: Bool, encoding: TextEncoding = .utf8) throws -> [RawExample] {
        let file = try TextFile(path: path, encoding: encoding)
        var examples: [RawExample] = []
        for (i, line) in file.lines.enumerated() where !line.allSatisfy(\.isWhitespace) {
            guard let space = line.firstIndex(of: " "), let colon = line[..<space].firstIndex(of: ":"),
                colon != line.startIndex, line.index(after: colon) != space
            else {
                throw InputError(file: path, line: i + 1, "expected 'COARSE:fine question', found '\(line.prefix(40))'")
            }
            let text = line[line.index(after: space)...]
            guard !text.allSatisfy(\.isWhitespace) else {
                throw InputError(file: path, line: i + 1, "the question is empty")
            }
            let label = fine ? String(line[..<space]) : String(line[..<colon])
            examples.append(RawExample(label: label, text: String(text), file: path, line: i + 1))
        }
        guard !examples.isEmpty else { throw InputError(file: path, "no examples (empty file?)") }
        return examples
    }
}
