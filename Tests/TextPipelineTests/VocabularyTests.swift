import Foundation
import TensorCore
import Testing
import TextPipeline

@Test func vocabularyOrdersByFrequencyThenFirstAppearance() throws {
    let docs = [["b", "a", "c"], ["a", "d", "c"], ["e", "a"]]
    let v = Vocabulary(documents: docs)
    #expect(v.words == ["<unk>", "<pad>", "a", "c", "b", "d", "e"])  // a×3, c×2, then b, d, e as first seen
    #expect(v.id("c") == 3 && v.id("zzz") == Vocabulary.unknownID)
    #expect(Vocabulary(documents: docs, maxSize: 4).words == ["<unk>", "<pad>", "a", "c"])
    #expect(Vocabulary(documents: docs, minFrequency: 2).words == ["<unk>", "<pad>", "a", "c"])
    let path = temporaryFolder() + "/vocab.txt"
    try v.save(to: path)
    #expect(try Vocabulary.load(from: path) == v)
}

@Test func vocabularyFileMustStartWithTheSpecials() {
    let path = temporaryFolder() + "/bad.txt"
    write("the\n<pad>\n", to: path)
    #expect(inputError { _ = try Vocabulary.load(from: path) }?.file == path)
}

@Test func encoderPadsAndTruncatesAtTheEnd() {
    let v = Vocabulary(documents: [["a", "b", "c"]])
    let batch = EncodedBatch(documents: [["a", "b"], ["c", "a", "b", "x", "b"], []], vocabulary: v, maxLength: 3)
    #expect(batch.ids == [2, 3, 1, 4, 2, 3, 1, 1, 1])
    #expect(batch.lengths == [2, 3, 0])
    #expect(batch.rows([1]) == [4, 2, 3])
}
