import DataFiles
import Foundation
import TensorCore

/// How the bytes of a text file are decoded. Corpora are UTF-8; some old releases are
/// Latin-1, which `--encoding latin1` reads instead of rejecting them.
public enum TextEncoding: String, Codable, Sendable, CaseIterable {
    case utf8, latin1
}

/// A text file (plain or gzip) read whole, split into lines (LF or CRLF), each decoded and
/// validated, so an error can name the file and line.
public struct TextFile {
    public let path: String
    public let lines: [String]

    public init(path: String, encoding: TextEncoding = .utf8) throws {
        self.path = path
        let file = try MappedFile(path: path)
        var lines: [String] = []
        var lineNumber = 0
        try { (buffer: UnsafeBufferPointer<UInt8>) in
            var start = 0
            while start < buffer.count {
                lineNumber += 1
                var end = start
                while end < buffer.count && buffer[end] != 0x0A { end += 1 }
                var stop = end
                if stop > start && buffer[stop - 1] == 0x0D { stop -= 1 }
                let slice = UnsafeBufferPointer(rebasing: buffer[start..<stop])
                guard let line = TextFile.decode(slice, encoding) else {
                    throw InputError(
                        file: path, line: lineNumber,
                        "invalid UTF-8 at byte \(TextFile.firstInvalidByte(slice) + 1) of the line",
                        remedy: CorpusRemedy.readAsLatin1)
                }
                lines.append(line)
                start = end + 1
            }
        }(file.bytes)
        self.lines = lines
    }

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ encoding: TextEncoding) -> String? {
        switch encoding {
        case .utf8: return String(validating: bytes, as: UTF8.self)
        case .latin1: return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        }
    }

    /// Index of the first byte that is not part of a valid UTF-8 sequence.
    static func firstInvalidByte(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s): offset += UTF8.width(s)
            case .emptyInput, .error: return offset
            }
        }
    }
}
