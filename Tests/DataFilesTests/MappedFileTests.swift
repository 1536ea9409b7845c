import Foundation
import TensorCore
import Testing

@testable import DataFiles

private let fixtures = Bundle.module.path(forResource: "Fixtures", ofType: nil) ?? ""
private let expected = Array("line one\nline two\n".utf8) + (0...255).map(UInt8.init)

/// A plain file is mapped, a gzip one decompressed: both give the same bytes, and the size and
/// modification time are the file's on disk.
@Test func plainAndGzipFilesGiveTheSameBytes() throws {
    let plain = try MappedFile(path: fixtures + "/sample.bin")
    let gzip = try MappedFile(path: fixtures + "/sample.bin.gz")
    #expect(Array(plain.bytes) == expected)
    #expect(Array(gzip.bytes) == expected)
    #expect(plain.size == expected.count && gzip.size < expected.count + 40)
    #expect(plain.modificationTime > 0)
}

/// Missing files, folders, truncated gzip and empty files: a clear error naming the file, or
/// no bytes.
@Test func badFilesAreErrorsNamingTheFile() throws {
    let dir = FileManager.default.temporaryDirectory.path + "/mapped-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect { try MappedFile(path: dir + "/none") } throws: {
        "\($0)".contains("no such file") && "\($0)".contains(dir)
    }
    #expect { try MappedFile(path: dir) } throws: { "\($0)".contains("not a regular file") }
    let whole = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/sample.bin.gz"))
    try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: dir + "/cut.gz"))
    #expect { try MappedFile(path: dir + "/cut.gz") } throws: { "\($0)".contains(dir + "/cut.gz") }
    _ = FileManager.default.createFile(atPath: dir + "/empty", contents: Data())
    #expect(try MappedFile(path: dir + "/empty").bytes.isEmpty)
}

/// `TEXTDISTILL_HOME` is not set in tests: the bundled data is found from the checkout.
@Test func bundledDataIsFoundFromTheCheckout() {
    #expect(FileManager.default.fileExists(atPath: DataLocation.corpora))
    #expect(FileManager.default.fileExists(atPath: DataLocation.bundledEmbeddings))
}
