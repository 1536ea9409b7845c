/// Bad input from a user's file: what is wrong, and where (file and 1-based line).
/// Commands print it and exit non-zero; nothing half-written is left behind.
public struct InputError: Error, CustomStringConvertible, Equatable {
    public let file: String?
    public let line: Int?
    public let message: String

    /// - Parameters:
    ///   - file: the file that was bad, if any.
    ///   - line: the line in it, if known.
    ///   - message: what was wrong.
    public init(file: String? = nil, line: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        switch (file, line) {
        case (let f?, let l?): return "\(f):\(l): \(message)"
        case (let f?, nil): return "\(f): \(message)"
        default: return message
        }
    }
}
