import Foundation
import TensorCore

/// The Large Movie Review Dataset (Maas et al.) in its official layout:
/// `aclImdb/{train,test}/{pos,neg}/ID_RATING.txt`, one review per file (with `<br />` tags).
/// Files are read in numeric ID order so that runs are reproducible; `unsup/` is ignored.
public enum IMDBReader {
    public static let classes = ["neg", "pos"]

    public static func read(root: String, split: String, encoding: TextEncoding = .utf8) throws -> [RawExample] {
        var examples: [RawExample] = []
        for label in classes {
            let dir = "\(root)/\(split)/\(label)"
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else {
                throw InputError(file: dir, "missing: expected the aclImdb layout \(split)/{pos,neg}/ID_RATING.txt")
            }
            let files = names.filter { $0.hasSuffix(".txt") }.sorted { (id($0), $0) < (id($1), $1) }
            for name in files {
                let path = "\(dir)/\(name)"
                let text = try TextFile(path: path, encoding: encoding).lines.joined(separator: " ")
                guard !text.allSatisfy(\.isWhitespace) else { throw InputError(file: path, "empty review") }
                examples.append(RawExample(label: label, text: text, file: path, line: nil))
            }
        }
        guard !examples.isEmpty else { throw InputError(file: "\(root)/\(split)", "no reviews found") }
        return examples
    }

    private static func id(_ name: String) -> Int { Int(name.prefix { $0.isNumber }) ?? Int.max }
}
