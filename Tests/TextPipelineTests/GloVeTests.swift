import Foundation
import TensorCore
import Testing

@testable import TextPipeline

@Test func parsesValuesExactlyAsPythonFloatThenFloat32() throws {
    let g = try GloVe.parse(path: fixture("glove/small.txt"))
    #expect(g.dimension == 4 && g.count == 6)
    #expect(Array(g.vector("the")!) == [Float(0.418), Float(0.24968), Float(-0.41242), Float(0.1217)])
    #expect(Array(g.vector("bad")!) == [0, Float(Double("1e-05")!), -25, Float(3.14159265358979)])
    #expect(g.vector("new york") != nil)  // words may contain spaces
    #expect(g.row(of: ",") == 1)
}

@Test func floatParserAgreesWithCorrectRoundingOnRandomDecimals() {
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<20_000 {
        let mantissa = Int.random(in: -99_999_999...99_999_999, using: &rng)
        let exponent = Int.random(in: -12...6, using: &rng)
        let text = Bool.random(using: &rng) ? "\(mantissa)e\(exponent)" : String(Double(mantissa) * 1e-7)
        let bytes = Array(text.utf8)
        let parsed = bytes.withUnsafeBufferPointer { FloatParser.parse($0, 0, bytes.count) }
        #expect(parsed == Float(Double(text)!), "\(text)")
    }
    for bad in ["", "-", "1.2.3", "abc", "1e", "nan", "inf", "1e400", "0x10", "1,5"] {
        let bytes = Array(bad.utf8)
        #expect(bytes.withUnsafeBufferPointer { FloatParser.parse($0, 0, bytes.count) } == nil, "\(bad)")
    }
}

/// Each malformed file gives one error naming the file and the line.
@Test(arguments: [
    ("the 1 2 3\ncat 1 2\n", 2, "expected 3 values"),
    ("the 1 2 3\ncat 1 x 3\n", 2, "'x', is not a finite number"),
    ("the 1 2 3\ncat 1 2 3\nthe 4 5 6\n", 3, "duplicate word 'the' (first on line 1)"),
    ("the 1 2 3\ncat 1 2 3 4\n", 2, "found more"),
    ("the 1 2 3\ncat 1 2", 2, "truncated file?"),
    ("the 1 2 3\n\ncat 1 2 3\n", 2, "empty line"),
    ("the 1 2 3\ncat 1 2 1e999\n", 2, "not a finite number"),
])
func malformedGloVeNamesFileAndLine(text: String, line: Int, message: String) {
    let path = temporaryFolder() + "/vectors.txt"
    write(text, to: path)
    let error = inputError { _ = try GloVe.load(path: path) }
    #expect(error?.file == path && error?.line == line, "\(String(describing: error))")
    #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    #expect(!FileManager.default.fileExists(atPath: path + ".tdcache"), "no cache is written for a bad file")
}

@Test func emptyAndMissingFilesAreErrors() {
    let dir = temporaryFolder()
    write("", to: dir + "/empty.txt")
    #expect(inputError { _ = try GloVe.load(path: dir + "/empty.txt") }?.message.contains("empty") == true)
    #expect(inputError { _ = try GloVe.load(path: dir + "/absent.txt") }?.message == "no such file")
}

@Test func cacheIsReusedAndRebuiltWhenTheSourceChanges() throws {
    let dir = temporaryFolder()
    let path = dir + "/vectors.txt"
    write("the 1 2\ncat 3 4\n", to: path)
    let first = try GloVe.load(path: path)
    #expect(FileManager.default.fileExists(atPath: path + ".tdcache"))
    let cached = try GloVe.load(path: path)
    #expect(cached.words == first.words && cached.vectors == first.vectors)
    write("the 1 2\ndog 5 6\nemu 7 8\n", to: path)  // a different size invalidates the cache
    let changed = try GloVe.load(path: path)
    #expect(changed.words == ["the", "dog", "emu"] && changed.vectors == [1, 2, 5, 6, 7, 8])
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp") }
    #expect(leftovers.isEmpty)
    #expect(try GloVe.load(path: path, restrictedTo: ["emu", "zzz"]).words == ["emu"])
}

@Test func gzipSourcesReadLikePlainOnes() throws {
    let plain = try GloVe.parse(path: fixture("glove/small.txt"))
    let packed = try GloVe.parse(path: fixture("glove/small.txt.gz"))
    #expect(plain.words == packed.words && plain.vectors == packed.vectors)
    // A truncated gzip stream is an error, not a silently short table.
    let dir = temporaryFolder()
    let bytes = try Data(contentsOf: URL(fileURLWithPath: fixture("glove/small.txt.gz")))
    try bytes.prefix(bytes.count - 12).write(to: URL(fileURLWithPath: dir + "/cut.txt.gz"))
    #expect(inputError { _ = try GloVe.parse(path: dir + "/cut.txt.gz") }?.message.contains("gzip") == true)
}

@Test func subsetExportCopiesLinesByteForByte() throws {
    let out = temporaryFolder() + "/subset.txt"
    #expect(try GloVe.exportSubset(from: fixture("glove/small.txt"), words: ["bad", "film", "absent"], to: out) == 2)
    let text = try String(contentsOfFile: out, encoding: .utf8)
    #expect(text == "bad 0.0 1e-05 -2.5E+01 3.14159265358979\nfilm 0.85 -0.5 0.00066023 -0.0095095\n")
}

@Test func embeddingTableZeroesOrDrawsMissingWords() throws {
    let glove = try GloVe.parse(path: fixture("glove/small.txt"))
    let vocabulary = Vocabulary(documents: [["good", "film", "zorp", "good"]])
    let zero = EmbeddingTable(vocabulary: vocabulary, glove: glove)
    #expect(zero.matrix.shape == [5, 4])
    #expect(zero.missingWords == ["zorp"])
    let rows = zero.matrix.floats
    #expect(Array(rows[0..<8]) == [Float](repeating: 0, count: 8))  // <unk>, <pad>
    #expect(Array(rows[8..<12]) == Array(glove.vector("good")!))
    #expect(Array(rows[16..<20]) == [0, 0, 0, 0])  // zorp
    let random = EmbeddingTable(vocabulary: vocabulary, glove: glove, outOfVocabulary: .random(seed: 3))
    let again = EmbeddingTable(vocabulary: vocabulary, glove: glove, outOfVocabulary: .random(seed: 3))
    #expect(random.matrix.floats == again.matrix.floats)
    #expect(random.matrix.floats[16..<20].allSatisfy { $0 != 0 })
    #expect(Array(random.matrix.floats[0..<8]) == [Float](repeating: 0, count: 8))
}

/// A corrupt cache (a flipped payload byte, an absurd row count, a truncation) is never used
/// and never crashes: the text is parsed again and the cache rewritten.
@Test func corruptCachesAreRebuilt() throws {
    let dir = temporaryFolder()
    let path = dir + "/vectors.txt"
    write("the 1 2\ncat 3 4\n", to: path)
    let good = try GloVe.load(path: path)
    let cache = try Data(contentsOf: URL(fileURLWithPath: path + ".tdcache"))
    var flipped = cache
    flipped[flipped.count - 3] ^= 0x40  // inside the last float
    var absurd = cache
    absurd.replaceSubrange(40..<44, with: [0xFF, 0xFF, 0xFF, 0x7F])  // the row count (header bytes 40–43)
    for bad in [flipped, absurd, cache.prefix(cache.count - 5)] {
        try bad.write(to: URL(fileURLWithPath: path + ".tdcache"))
        var notices: [String] = []
        let again = try GloVe.load(path: path, notice: { notices.append($0) })
        #expect(again.words == good.words && again.vectors == good.vectors)
        #expect(notices.count == 1 && notices[0].contains("rebuilding"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path + ".tdcache")) == cache, "the cache was not rewritten")
    }
}

@Test func word2vecTextFilesReadLikeGloVeAndBinaryOnesAreRefused() throws {
    let dir = temporaryFolder()
    let rows = "the 0.1 0.2 0.3\nof -1 2.5 0\n"
    write(rows, to: dir + "/glove.txt")
    write("2 3\n" + rows, to: dir + "/ft.vec")
    let (glove, vec) = (try GloVe.parse(path: dir + "/glove.txt"), try GloVe.parse(path: dir + "/ft.vec"))
    #expect(vec.words == glove.words && vec.vectors == glove.vectors && vec.dimension == 3)
    write("2 3\nthe 0.1 0.2\n", to: dir + "/short.vec")
    let short = inputError { _ = try GloVe.parse(path: dir + "/short.vec") }
    #expect(short?.line == 2 && short?.message.hasPrefix("expected 3 values after the word") == true)

    try Data([0x32, 0x20, 0x32, 0x0A, 0x61, 0x20, 0, 0, 0x80, 0x3F, 0, 0, 0, 0]).write(
        to: URL(fileURLWithPath: dir + "/w2v.data"))
    #expect(inputError { _ = try GloVe.parse(path: dir + "/w2v.data") }?.message.contains("binary file") == true)
}

@Test func committedVecFixtureIsTheGloVeFixtureWithAHeader() throws {
    let (vec, glove) = (
        try GloVe.parse(path: fixture("glove/small.vec")), try GloVe.parse(path: fixture("glove/small.txt"))
    )
    #expect(vec.words == glove.words && vec.vectors == glove.vectors)
}
