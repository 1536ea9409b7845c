import Foundation
import TensorCore
import Testing
import TextPipeline

@Test func trecFolder() throws {
    let corpus = try CorpusLoader().load(fixture("trec"))
    #expect(corpus.train.count == 10 && corpus.test.count == 4)
    #expect(corpus.classNames == ["HUM", "DESC", "ENTY", "ABBR", "LOC", "NUM"])  // frequency, then name
    #expect(corpus.train[0].text == "How did serfdom develop in and then leave Russia ?")
    #expect(corpus.maxLength == 30)
    var fine = CorpusLoader()
    fine.fineLabels = true
    let error = inputError { _ = try fine.load(fixture("trec")) }  // NUM:dist is not a training label
    #expect(error?.file?.hasSuffix("TREC_10.label") == true && error?.line == 1)
}

@Test func aclImdbFolder() throws {
    let corpus = try CorpusLoader().load(fixture("aclImdb"))
    #expect(corpus.classNames == ["neg", "pos"])
    #expect(corpus.train.count == 4 && corpus.test.count == 2)  // unsup/ ignored
    #expect(corpus.train.map(\.label) == [0, 0, 1, 1])
    #expect(corpus.train[0].text.hasPrefix("Airport 77"))  // numeric ID order: 1_1 before 2_3
    #expect(corpus.train[2].text.contains("<br /><br />"))
    #expect(
        Tokenizer(preset: .default).words(corpus.train[2].text).prefix(7) == [
            "bromwell", "high", "is", "a", "cartoon", "comedy", ".",
        ])
    #expect(Tokenizer(preset: .reference).words(corpus.train[2].text).contains("comedy.<br"))
    #expect(corpus.maxLength == 400)
}

@Test func sstTrees() throws {
    let five = try CorpusLoader().load(fixture("sst"))
    #expect(five.classNames == ["0", "1", "2", "3", "4"])
    #expect(five.train.map(\.label) == [3, 2, 1, 0, 4])
    #expect(five.train[0].text == "It 's a lovely film with lovely performances by Buy and Accorsi .")
    var loader = CorpusLoader()
    loader.binary = true
    let two = try loader.load(fixture("sst"))
    #expect(two.classNames == ["negative", "positive"])
    #expect(two.train.map(\.label) == [1, 0, 0, 1] && two.test.map(\.label) == [0, 1])
}

@Test func glueSST2AndQuotedCSVTables() throws {
    var loader = CorpusLoader()
    loader.labelColumn = "label"
    loader.textColumn = "sentence"
    let sst2 = try loader.load(fixture("sst2-glue"))
    #expect(sst2.train.count == 3 && sst2.test[0].text.hasPrefix("it 's a charming"))
    loader.labelColumn = "sentiment"
    loader.textColumn = "text"
    let table = try loader.load(fixture("table"))
    #expect(table.train.map(\.text) == ["Great, really great", "A \"quoted\" word", "Spans\ntwo lines", "plain text"])
    #expect(table.test.count == 2)
}

@Test func unknownColumnListsTheColumns() {
    var loader = CorpusLoader()
    loader.labelColumn = "stars"
    loader.textColumn = "text"
    let error = inputError { _ = try loader.load(fixture("table")) }
    #expect(error?.message == "no label column 'stars'; the columns are: 'id', 'text', 'sentiment'")
    #expect(error?.line == 1 && error?.file?.hasSuffix("train.csv") == true)
}

@Test func malformedCorporaNameFileAndLine() throws {
    let dir = temporaryFolder()
    write("DESC:manner How ?\nnot a label line\n", to: dir + "/train_5500.label")
    write("DESC:def What ?\n", to: dir + "/TREC_10.label")
    let trec = inputError { _ = try CorpusLoader().load(dir) }
    #expect(trec?.line == 2 && trec?.message.contains("COARSE:fine") == true)

    try Data([0x44, 0x45, 0x53, 0x43, 0x3A, 0x78, 0x20, 0x61, 0xFF, 0x0A] + Array("NUM:y b\n".utf8)).write(
        to: URL(fileURLWithPath: dir + "/train_5500.label"))
    let utf8 = inputError { _ = try CorpusLoader().load(dir) }
    #expect(utf8?.line == 1 && utf8?.message.contains("invalid UTF-8 at byte 9") == true)
    var latin = CorpusLoader()
    latin.encoding = .latin1
    #expect(try latin.load(dir).train[0].text == "a\u{FF}")

    write("", to: dir + "/train_5500.label")
    #expect(inputError { _ = try CorpusLoader().load(dir) }?.message.contains("no examples") == true)

    let sst = temporaryFolder()
    write("(3 (2 a) (3 b)\n", to: sst + "/train.txt")
    write("(3 (2 a))\n", to: sst + "/test.txt")
    #expect(inputError { _ = try CorpusLoader().load(sst) }?.message.contains("unbalanced") == true)

    let csv = temporaryFolder()
    write("text,label\n\"never closed,pos\n", to: csv + "/train.csv")
    write("text,label\nok,pos\n", to: csv + "/test.csv")
    var loader = CorpusLoader()
    loader.labelColumn = "label"
    loader.textColumn = "text"
    #expect(inputError { _ = try loader.load(csv) }?.message.contains("not closed") == true)

    #expect(
        inputError { _ = try CorpusLoader().load("no-such-corpus") }?.message.contains(
            "unknown corpus 'no-such-corpus'") == true)
}

/// The bundled TREC-6 with the reference tokenizer reproduces the reference code's numbers.
@Test func bundledTREC6MatchesTheReference() throws {
    let corpus = try CorpusLoader().load("trec6")
    #expect(corpus.train.count == 5452 && corpus.test.count == 500)
    let counts = Dictionary(uniqueKeysWithValues: zip(corpus.classNames, corpus.counts(corpus.train)))
    #expect(counts == ["ENTY": 1250, "HUM": 1223, "DESC": 1162, "NUM": 896, "LOC": 835, "ABBR": 86])
    let tokenizer = Tokenizer(preset: .reference)
    #expect(Vocabulary(documents: corpus.train.map { tokenizer.words($0.text) }).count == 8679)
    #expect(try CorpusLoader().load("trec50").classCount == 50)
}

/// A UTF-8 byte-order mark before the header is not part of the first column's name.
@Test func byteOrderMarkBeforeTheHeaderIsDropped() throws {
    let path = FileManager.default.temporaryDirectory.path + "/bom-\(getpid()).csv"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Data([0xEF, 0xBB, 0xBF] + Array("label,text\npos,good film\n".utf8)).write(to: URL(fileURLWithPath: path))
    let examples = try DelimitedReader.read(path, labelColumn: "label", textColumn: "text")
    #expect(examples.count == 1 && examples[0].text == "good film")
}
