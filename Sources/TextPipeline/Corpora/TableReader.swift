import TensorCore

/// A labelled table of texts in any format people export: TSV, CSV or JSON Lines, each plain or
/// gzipped, told apart by the file name.
public enum TableReader {
    /// The file endings read as tables, in the order a corpus folder is searched.
    public static let extensions = ["tsv", "csv", "jsonl", "ndjson", "tsv.gz", "csv.gz", "jsonl.gz", "ndjson.gz"]

    /// Whether `path` ends with one of `extensions`.
    public static func handles(_ path: String) -> Bool { extensions.contains { path.hasSuffix("." + $0) } }

    /// Examples from the label and text columns (the named ones, else `TableColumns`' defaults).
    ///
    /// - Parameters:
    ///   - path: the file.
    ///   - labelColumn: the label column, or nil for the default.
    ///   - textColumn: the text column, or nil for the default.
    ///   - encoding: how the bytes are decoded.
    /// - Returns: one example per row, with its line.
    /// - Throws: `InputError` naming the file and line of what is wrong.
    public static func read(
        _ path: String, labelColumn: String? = nil, textColumn: String? = nil, encoding: TextEncoding = .utf8
    ) throws -> [RawExample] {
        if JSONLinesReader.handles(path) {
            return try JSONLinesReader.read(path, labelColumn: labelColumn, textColumn: textColumn, encoding: encoding)
        }
        return try DelimitedReader.read(path, labelColumn: labelColumn, textColumn: textColumn, encoding: encoding)
    }
}
