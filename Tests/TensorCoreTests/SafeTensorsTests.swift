import Foundation
import Testing

@testable import TensorCore

private func file(header: String, data: Data = Data()) throws -> String {
    let path =
        FileManager.default.temporaryDirectory.path + "/st-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).safetensors"
    var bytes = Data()
    var length = UInt64(header.utf8.count).littleEndian
    withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
    bytes += Data(header.utf8) + data
    try bytes.write(to: URL(fileURLWithPath: path))
    return path
}

/// Shapes whose size overflows, or exceeds the file, are refused with the file's name (a shape
/// of [2^62] crashed the reader before).
@Test func safetensorsShapesThatCannotFitAreRefused() throws {
    for shape in ["[4611686018427387904]", "[4294967296, 4294967296]", "[1000000]"] {
        let path = try file(
            header: #"{"x":{"dtype":"F32","shape":"# + shape + #","data_offsets":[0,8]}}"#, data: Data(count: 8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect { try SafeTensors.read(path) } throws: { "\($0)".contains(path) && "\($0)".contains("entry 'x'") }
    }
    let path = try file(header: #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: Data(count: 8))
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(try SafeTensors.read(path)["x"]?.shape == [2])
}

/// A temporary file left by a killed writer is removed on the next write to its folder; one of
/// a live process (this one) and other hidden files stay.
@Test func staleTemporaryFilesOfDeadWritersAreRemoved() throws {
    let dir = FileManager.default.temporaryDirectory.path + "/atomic-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let dead = try #require((100_000...4_000_000).lazy.map(Int32.init).first { kill($0, 0) != 0 && errno == ESRCH })
    let stale = dir + "/.set.safetensors.tmp-\(dead)-12345"
    let live = dir + "/.set.safetensors.tmp-\(getpid())-777"
    let other = dir + "/.hidden"
    for p in [stale, live, other] { _ = FileManager.default.createFile(atPath: p, contents: Data([1])) }
    try AtomicFile.write(Data([1, 2, 3]), to: dir + "/other.bin")
    #expect(!FileManager.default.fileExists(atPath: stale))
    #expect(FileManager.default.fileExists(atPath: live) && FileManager.default.fileExists(atPath: other))
    #expect(FileManager.default.contents(atPath: dir + "/other.bin") == Data([1, 2, 3]))
}
