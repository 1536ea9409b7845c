import Foundation
import TensorCore
import Testing
import TextPipeline

/// A CSV of `count` rows, labels "spam" for every third row, else "ham".
private func smsTable(_ count: Int) -> String {
    "label,text\n" + (0..<count).map { "\($0 % 3 == 0 ? "spam" : "ham"),message number \($0)" }.joined(separator: "\n")
}

@Test func oneTableNeedsATestSplitAndSplitsItStratified() throws {
    let dir = temporaryFolder()
    write(smsTable(90), to: dir + "/sms.csv")
    let missing = inputError { _ = try CorpusLoader().load(dir + "/sms.csv") }
    #expect(missing?.message == "is one table, with no test split")
    #expect(missing?.remedy as? CorpusRemedy == .splitOffATestSet)

    var loader = CorpusLoader()
    loader.testFraction = 0.2
    let a = try loader.load(dir + "/sms.csv")
    #expect(a.name == "sms" && a.classNames == ["ham", "spam"])
    // 60 ham and 30 spam: 12 and 6 held out, the rest trained on.
    #expect(a.counts(a.test) == [12, 6] && a.counts(a.train) == [48, 24])
    #expect(Set(a.train.map(\.text)).isDisjoint(with: a.test.map(\.text)))
    #expect(try loader.load(dir + "/sms.csv").test == a.test)
    loader.splitSeed = 2
    #expect(try loader.load(dir + "/sms.csv").test != a.test)

    write(smsTable(9), to: dir + "/test.csv")
    var named = CorpusLoader()
    named.testFile = dir + "/test.csv"
    let b = try named.load(dir + "/sms.csv")
    #expect(b.train.count == 90 && b.test.count == 9)
}

@Test func jsonLinesFolderWithAValidationSplit() throws {
    let dir = temporaryFolder()
    func lines(_ range: Range<Int>) -> String {
        range.map { #"{"idx": \#($0), "text": "text \#($0)", "label": \#($0 % 2)}"# }.joined(separator: "\n") + "\n"
    }
    write(lines(0..<10), to: dir + "/train.jsonl")
    write(lines(10..<14), to: dir + "/test.jsonl")
    write(lines(14..<17), to: dir + "/validation.jsonl")
    let corpus = try CorpusLoader().load(dir)
    #expect(corpus.train.count == 10 && corpus.test.count == 4 && corpus.validation.count == 3)
    #expect(Set(corpus.classNames) == ["0", "1"] && corpus.train[1].text == "text 1")

    write(
        #"{"text": "a", "label": true}"# + "\n" + #"{"text": "b", "label": false}"# + "\n[1, 2]\n",
        to: dir + "/train.jsonl")
    let bad = inputError { _ = try CorpusLoader().load(dir) }
    #expect(bad?.line == 3 && bad?.message == "is not a JSON object (one object per line)")
    write(#"{"text": "a", "label": 1.5}"# + "\n", to: dir + "/train.jsonl")
    #expect(inputError { _ = try CorpusLoader().load(dir) }?.message == "'label' is not a string, integer or boolean")
}

@Test func huggingFaceExportTestsOnValidation() throws {
    let dir = temporaryFolder()
    write(smsTable(12), to: dir + "/train.csv")
    write(smsTable(6), to: dir + "/validation.csv")
    var notices: [String] = []
    let corpus = try CorpusLoader().load(dir) { notices.append($0) }
    #expect(corpus.test.count == 6 && corpus.validation.isEmpty)
    #expect(notices == ["\(dir): no test table; validation.csv is the test split"])

    var split = CorpusLoader()
    split.testFraction = 0.25
    let cut = try split.load(dir)
    #expect(cut.test.count == 3 && cut.validation.count == 6)
}

@Test func defaultColumnsAndTheirErrors() throws {
    let dir = temporaryFolder()
    write("sentence\tlabel\nfine words\t1\nbad words\t0\n", to: dir + "/train.tsv")
    write("sentence\tlabel\nfine\t1\n", to: dir + "/test.tsv")
    #expect(try CorpusLoader().load(dir).train[0].text == "fine words")
    write("body,stars\nok,5\nno,1\n", to: dir + "/train.csv")
    try FileManager.default.removeItem(atPath: dir + "/train.tsv")
    try FileManager.default.removeItem(atPath: dir + "/test.tsv")
    write("body,stars\nok,5\n", to: dir + "/test.csv")
    let error = inputError { _ = try CorpusLoader().load(dir) }
    #expect(error?.message == "no column named 'label' for the label; the columns are: 'body', 'stars'")
    #expect(error?.remedy as? CorpusRemedy == .nameLabelAndTextColumns)
    var named = CorpusLoader()
    named.labelColumn = "stars"
    named.textColumn = "body"
    #expect(try named.load(dir).classNames == ["1", "5"])
}

@Test func oneClassIsRefused() {
    let dir = temporaryFolder()
    write("label,text\nham,a\nham,b\n", to: dir + "/train.csv")
    write("label,text\nham,c\n", to: dir + "/test.csv")
    #expect(inputError { _ = try CorpusLoader().load(dir) }?.message.contains("needs two classes or more") == true)
}

@Test func committedJSONLinesFixtureReads() throws {
    let corpus = try CorpusLoader().load(fixture("jsonl"))
    #expect(corpus.train.count == 4 && corpus.train[2].text == "Spans \"quotes\" and \\ escapes é")
    #expect(corpus.train[3].text == "the acting is terrible" && corpus.test.count == 2)
}
