import Foundation

/// Where the commands' results go: stdout, or, while a test captures them, a buffer (the
/// tests run the commands in-process, beside other tests that print).
enum StandardOutput {
    nonisolated(unsafe) private static var captured: String? = nil

    /// Writes results, as `print` does, unless captured.
    static func write(_ text: String, terminator: String = "\n") {
        if captured != nil { captured?.append(text + terminator) } else { print(text, terminator: terminator) }
    }

    /// What `body` wrote; not nested, one capture at a time.
    static func capture(_ body: () throws -> Void) rethrows -> String {
        captured = ""
        defer { captured = nil }
        try body()
        return captured ?? ""
    }
}

/// Prints a value as pretty, key-sorted JSON on stdout (the `--json` output of the commands).
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    StandardOutput.write(String(decoding: try encoder.encode(value), as: UTF8.self))
}
