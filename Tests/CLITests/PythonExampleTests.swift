import DataFiles
import Foundation
import Testing

@testable import CLI

/// The Python example of docs/distillation.md, run as written: a Python with torch, numpy and
/// safetensors (`$TEXTDISTILL_PYTHON`, else `python3`), or nil when there is none.
private let pythonWithTorch: String? = {
    let python = ProcessInfo.processInfo.environment["TEXTDISTILL_PYTHON"] ?? "python3"
    let check = Process()
    check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    check.arguments = [python, "-c", "import torch, numpy, safetensors"]
    check.standardOutput = FileHandle.nullDevice
    check.standardError = FileHandle.nullDevice
    guard (try? check.run()) != nil else { return nil }
    check.waitUntilExit()
    return check.terminationStatus == 0 ? python : nil
}()

/// The code block after the `python-example` marker in docs/distillation.md.
private func documentedExample() throws -> String {
    let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/distillation.md")
    let text = try String(contentsOf: docs, encoding: .utf8)
    let marker = try #require(text.range(of: "<!-- python-example"))
    let open = try #require(text.range(of: "```python\n", range: marker.upperBound..<text.endIndex))
    let close = try #require(text.range(of: "\n```", range: open.upperBound..<text.endIndex))
    return String(text[open.upperBound..<close.lowerBound]) + "\n"
}

extension Commands {
    /// The documented snippet decodes a set from the file alone and reproduces the tool's
    /// fixed-init accuracy in PyTorch to within 0.5 points.
    @Test(
        .enabled(
            if: pythonWithTorch != nil,
            "no Python with torch, numpy and safetensors (set TEXTDISTILL_PYTHON); the example is not run"))
    func pythonExampleReproducesTheFixedInitAccuracy() throws {
        let folder = FileManager.default.temporaryDirectory.path + "/python-example-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let set = folder + "/set.safetensors"
        _ = try StandardOutput.capture {
            var command = try TextDistill.parseAsRoot([
                "distill", "--preset", "reference", "--epochs", "1", "--no-baselines", "--no-full-data", "--test-nets",
                "1", "--output", set,
            ])
            try command.run()
        }
        try documentedExample().write(toFile: folder + "/example.py", atomically: true, encoding: .utf8)
        let run = Process()
        let output = Pipe()
        run.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        run.arguments = [
            try #require(pythonWithTorch), folder + "/example.py", set, DataLocation.corpora + "/trec",
            DataLocation.bundledEmbeddings,
        ]
        run.standardOutput = output
        try run.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        run.waitUntilExit()
        #expect(run.terminationStatus == 0, "\(printed)")
        let last = try #require(printed.split(separator: "\n").last)
        let numbers = last.split(whereSeparator: { !"0123456789.".contains($0) }).compactMap { Double($0) }
        #expect(numbers.count == 2 && abs(numbers[0] - numbers[1]) <= 0.5, "\(last)")
        // The decoded sentences: six lines of words before the accuracy.
        #expect(printed.split(separator: "\n").count == 7)
    }
}
