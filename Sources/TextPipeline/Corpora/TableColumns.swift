import TensorCore

/// Which columns of a table (a TSV/CSV header, or the keys of JSON Lines objects) hold the label
/// and the text: the ones named, else `label` and `text` (or `sentence`, as GLUE's exports)
/// when present.
public enum TableColumns {
    public static let labelDefaults = ["label"]
    public static let textDefaults = ["text", "sentence"]

    /// The label and text column names for a table whose columns are `available`.
    ///
    /// - Parameters:
    ///   - label: the label column asked for, or nil for the default.
    ///   - text: the text column asked for, or nil for the default.
    ///   - available: the table's column names.
    ///   - file: the table, for errors.
    ///   - line: the header's line, for errors.
    /// - Returns: the two column names, both among `available`.
    /// - Throws: `InputError` naming the columns there are when one is missing.
    public static func resolve(label: String?, text: String?, available: [String], file: String, line: Int?) throws
        -> (label: String, text: String)
    {
        func pick(_ asked: String?, _ defaults: [String], _ role: String) throws -> String {
            let listed = available.map { "'\($0)'" }.joined(separator: ", ")
            if let asked {
                guard available.contains(asked) else {
                    throw InputError(file: file, line: line, "no \(role) column '\(asked)'; the columns are: \(listed)")
                }
                return asked
            }
            guard let found = defaults.first(where: available.contains) else {
                throw InputError(
                    file: file, line: line,
                    "no column named \(defaults.map { "'\($0)'" }.joined(separator: " or ")) for the \(role); the columns are: \(listed)",
                    remedy: CorpusRemedy.nameLabelAndTextColumns)
            }
            return found
        }
        return (try pick(label, labelDefaults, "label"), try pick(text, textDefaults, "text"))
    }
}
