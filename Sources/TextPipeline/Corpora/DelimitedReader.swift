import DataFiles
import TensorCore

/// Tables with a header row: TSV (tab-separated, no quoting, as GLUE) or CSV (RFC 4180:
/// quoted fields with "" for a quote, commas and newlines allowed inside quotes). The label and
/// text columns are chosen by header name.
public enum DelimitedReader {
    public enum Format: String, Sendable, CaseIterable {
        case tsv, csv
        /// From the file name (`.tsv`/`.tab` → tsv, otherwise csv; `.gz` is looked through).
        public static func guess(_ path: String) -> Format {
            let name = path.hasSuffix(".gz") ? String(path.dropLast(3)) : path
            return name.hasSuffix(".tsv") || name.hasSuffix(".tab") ? .tsv : .csv
        }
    }

    /// Rows as (1-based line where the row starts, fields). A UTF-8 byte-order mark at the start
    /// of the file is not part of the first column's name.
    public static func rows(_ path: String, format: Format, encoding: TextEncoding = .utf8) throws -> [(
        line: Int, fields: [String]
    )] {
        let file = try MappedFile(path: path)
        let b = file.bytes
        var scan = RowScanner(
            path: path, separator: format == .tsv ? 0x09 : 0x2C, quotes: format == .csv, encoding: encoding)
        var i = b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 3 : 0
        while i < b.count {
            i += try scan.consume(b[i], next: i + 1 < b.count ? b[i + 1] : nil)
        }
        return try scan.finish()
    }

    /// The state of reading delimited text byte by byte: RFC 4180 quoting (CSV), CRLF or LF
    /// line ends, line numbers for errors.
    private struct RowScanner {
        let path: String
        let separator: UInt8
        let quotes: Bool
        let encoding: TextEncoding
        var rows: [(Int, [String])] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var rowStart = 1
        var inQuotes = false
        var quoted = false

        init(path: String, separator: UInt8, quotes: Bool, encoding: TextEncoding) {
            (self.path, self.separator, self.quotes, self.encoding) = (path, separator, quotes, encoding)
        }

        /// Reads byte `c` (`next` is the one after it) and returns how many bytes were used.
        mutating func consume(_ c: UInt8, next: UInt8?) throws -> Int {
            if inQuotes {
                if c == 0x22 {
                    if next == 0x22 {
                        field.append(0x22)
                        return 2
                    }
                    inQuotes = false
                } else {
                    if c == 0x0A { line += 1 }
                    field.append(c)
                }
                return 1
            }
            switch c {
            case 0x22 where quotes && field.isEmpty && !quoted:
                inQuotes = true
                quoted = true
            case separator:
                try finishField()
            case 0x0A:
                if field.last == 0x0D && !quoted { field.removeLast() }
                try finishRow()
                line += 1
                rowStart = line
            case 0x0D where next == 0x0A && quoted:
                break  // CRLF after a quoted field
            default:
                field.append(c)
            }
            return 1
        }

        mutating func finish() throws -> [(Int, [String])] {
            if inQuotes {
                throw InputError(file: path, line: rowStart, "a quoted field is not closed before the end of the file")
            }
            if !field.isEmpty || !fields.isEmpty || quoted { try finishRow() }
            return rows
        }

        private mutating func finishField() throws {
            guard let s = field.withUnsafeBufferPointer({ TextFile.decode($0, encoding) }) else {
                throw InputError(file: path, line: line, "invalid UTF-8", remedy: CorpusRemedy.readAsLatin1)
            }
            fields.append(s)
            field.removeAll(keepingCapacity: true)
            quoted = false
        }

        private mutating func finishRow() throws {
            try finishField()
            if !(fields.count == 1 && fields[0].isEmpty) { rows.append((rowStart, fields)) }
            fields.removeAll(keepingCapacity: true)
        }
    }

    /// Examples from the label and text columns (the named ones, else `TableColumns`' defaults);
    /// rows whose label is in `skipLabels` are dropped.
    public static func read(
        _ path: String, format: Format? = nil, labelColumn: String? = nil, textColumn: String? = nil,
        skipLabels: Set<String> = [], encoding: TextEncoding = .utf8
    ) throws -> [RawExample] {
        let table = try rows(path, format: format ?? Format.guess(path), encoding: encoding)
        guard let header = table.first else { throw InputError(file: path, "empty file: expected a header row") }
        let names = try TableColumns.resolve(
            label: labelColumn, text: textColumn, available: header.fields, file: path, line: header.line)
        guard let l = header.fields.firstIndex(of: names.label), let t = header.fields.firstIndex(of: names.text) else {
            throw InputError(file: path, line: header.line, "no label or text column")
        }
        var examples: [RawExample] = []
        for row in table.dropFirst() {
            guard row.fields.count == header.fields.count else {
                throw InputError(
                    file: path, line: row.line, "\(row.fields.count) fields where the header has \(header.fields.count)"
                )
            }
            let label = row.fields[l]
            if skipLabels.contains(label) { continue }
            guard !label.isEmpty else { throw InputError(file: path, line: row.line, "empty label") }
            examples.append(RawExample(label: label, text: row.fields[t], file: path, line: row.line))
        }
        guard !examples.isEmpty else { throw InputError(file: path, "no examples after the header") }
        return examples
    }
}
