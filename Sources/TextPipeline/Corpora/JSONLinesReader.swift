import Foundation
import TensorCore

/// Corpora as JSON Lines (`.jsonl`, `.ndjson`, gzip too): one object per line, as Hugging Face's
/// `Dataset.to_json` writes them. The label may be a string, an integer or a boolean (written
/// as text: `0`, `true`); the text must be a string. Blank lines are skipped.
public enum JSONLinesReader {
    /// Whether `path` is named as JSON Lines (`.gz` is looked through).
    public static func handles(_ path: String) -> Bool {
        let name = path.hasSuffix(".gz") ? String(path.dropLast(3)) : path
        return name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson")
    }

    /// Examples from the label and text fields (the named ones, else `TableColumns`' defaults,
    /// found in the first object).
    ///
    /// - Parameters:
    ///   - path: the file.
    ///   - labelColumn: the label's key, or nil for the default.
    ///   - textColumn: the text's key, or nil for the default.
    ///   - encoding: how the bytes are decoded.
    /// - Returns: one example per object, with its line.
    /// - Throws: `InputError` naming the file and line of a line that is not an object with the
    ///   two fields.
    public static func read(
        _ path: String, labelColumn: String? = nil, textColumn: String? = nil, encoding: TextEncoding = .utf8
    ) throws -> [RawExample] {
        let lines = try TextFile(path: path, encoding: encoding).lines
        var keys: (label: String, text: String)? = nil
        var examples: [RawExample] = []
        for (i, line) in lines.enumerated() where !line.allSatisfy(\.isWhitespace) {
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                throw InputError(file: path, line: i + 1, "is not a JSON object (one object per line)")
            }
            let k =
                try keys
                ?? TableColumns.resolve(
                    label: labelColumn, text: textColumn, available: object.keys.sorted(), file: path, line: i + 1)
            keys = k
            guard let text = object[k.text] as? String else {
                throw InputError(
                    file: path, line: i + 1,
                    object[k.text] == nil ? "no field '\(k.text)'" : "'\(k.text)' is not a string")
            }
            guard let label = labelText(object[k.label]), !label.isEmpty else {
                throw InputError(
                    file: path, line: i + 1,
                    object[k.label] == nil
                        ? "no field '\(k.label)'" : "'\(k.label)' is not a string, integer or boolean")
            }
            examples.append(RawExample(label: label, text: text, file: path, line: i + 1))
        }
        guard !examples.isEmpty else { throw InputError(file: path, "holds no JSON objects") }
        return examples
    }

    /// A label value as text: strings as they are, integers in decimal, booleans as true/false.
    private static func labelText(_ value: Any?) -> String? {
        switch value {
        case let s as String: return s
        case let n as NSNumber:
            // JSONSerialization makes booleans NSNumbers of C type `char` ("c"); numbers never are.
            if String(cString: n.objCType) == "c" { return n.boolValue ? "true" : "false" }
            let d = n.doubleValue
            return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : nil
        default: return nil
        }
    }
}
