import ArgumentParser
import Foundation
import Testing

@testable import CLI

/// `textdistill --version` prints the release and the commit the build-tool plugin recorded:
/// twelve hex digits, or "unknown" when built outside a git checkout.
@Test func versionNamesTheReleaseAndTheCommit() throws {
    var printed: String? = nil
    do { _ = try TextDistill.parseAsRoot(["--version"]) } catch { printed = TextDistill.message(for: error) }
    let line = try #require(printed)
    #expect(line == TextDistill.version)
    let commit = try #require(line.split(separator: " ").last).dropLast()
    #expect(line.hasPrefix("textdistill \(TextDistill.release) (commit "))
    #expect(commit == "unknown" || (commit.count == 12 && commit.allSatisfy(\.isHexDigit)), "commit '\(commit)'")
}
