import Foundation
import Testing

@testable import Fuzz

/// The repository root, for the fixtures the fuzz targets' seeds are made from.
private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// A folder of this process for one test and target: the tests run concurrently, and two that
/// shared a folder removed it under each other (the safetensors target's seed vanished).
private func workFolder(_ test: String, _ name: String) -> String {
    NSTemporaryDirectory() + "textdistill-fuzz-test-\(getpid())-\(test)-\(name)"
}

/// Every input that ever crashed a reader (Crashes/TARGET--NAME, kept by Scripts/fuzz or made by
/// hand from a crash report) is read again: an error or a result, never a crash.
@Test func everyInputThatEverCrashedAReaderIsReadOrRefused() throws {
    let folder = try #require(Bundle.module.url(forResource: "Crashes", withExtension: nil)).path
    let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains("--") }.sorted()
    #expect(files.count >= 4)
    for file in files {
        let name = String(file[..<(file.range(of: "--")?.lowerBound ?? file.endIndex)])
        let target = try #require(FuzzTarget.named(name), "\(file): no fuzz target \(name)")
        let work = workFolder("crashes", name)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        _ = try target.seeds(root, work)
        let path = work + "/" + target.fileName
        try Data(contentsOf: URL(fileURLWithPath: folder + "/" + file)).write(to: URL(fileURLWithPath: path))
        #expect(throws: (any Error).self, "\(file) should be refused") { try target.read(path) }
    }
}

/// A short fuzz run of every reader in process (Scripts/fuzz runs long ones): no input crashes
/// or hangs, each target's seeds are read, and the mutations make most inputs bad.
@Test(arguments: FuzzTarget.all.map(\.name))
func shortFuzzRunOfEveryReader(_ name: String) throws {
    let target = try #require(FuzzTarget.named(name))
    let work = workFolder("run", name)
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: work) }
    for seed in try target.seeds(root, work) {
        let path = work + "/" + target.fileName
        try Data(seed).write(to: URL(fileURLWithPath: path))
        try target.read(path)
    }
    let counts = try FuzzRun.run(target, root: root, work: work, start: 0, count: 300)
    #expect(counts.inputs == 300 && counts.read + counts.refused == 300)
    #expect(counts.refused > 0, "\(name): no mutated input was refused")
}
