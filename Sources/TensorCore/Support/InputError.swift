/// What would fix a bad input, as the library knows it (e.g. "read the file as Latin-1"). Each
/// library names its remedies as a type of its own; the CLI words them as its options, so no
/// library error names a command-line flag.
public protocol InputRemedy: Sendable, CustomStringConvertible {}

/// Bad input from a user's file: what is wrong, and where (file and 1-based line), with the
/// remedy when one is known. Commands print it and exit non-zero; nothing half-written is left
/// behind.
public struct InputError: Error, CustomStringConvertible, Equatable {
    public let file: String?
    public let line: Int?
    public let message: String
    public let remedy: (any InputRemedy)?

    /// - Parameters:
    ///   - file: the file that was bad, if any.
    ///   - line: the line in it, if known.
    ///   - message: what was wrong.
    ///   - remedy: what would fix it, if known.
    public init(file: String? = nil, line: Int? = nil, _ message: String, remedy: (any InputRemedy)? = nil) {
        self.file = file
        self.line = line
        self.message = message
        self.remedy = remedy
    }

    /// Where and what, without the remedy.
    public var problem: String {
        switch (file, line) {
        case (let f?, let l?): return "\(f):\(l): \(message)"
        case (let f?, nil): return "\(f): \(message)"
        default: return message
        }
    }

    public var description: String { remedy.map { "\(problem) (\($0))" } ?? problem }

    public static func == (a: InputError, b: InputError) -> Bool {
        a.file == b.file && a.line == b.line && a.message == b.message
            && a.remedy?.description == b.remedy?.description
    }
}
