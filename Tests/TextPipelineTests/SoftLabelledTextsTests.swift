import Foundation
import TensorCore
import Testing

@testable import TextPipeline

private let sample = SoftLabelledTexts(
    classNames: ["ABBR", "HUM"],
    sentences: [
        .init(text: "who wrote hamlet ?", step: 0, rowClass: "HUM", targets: [0.1, 1.7], learningRates: [0.84, 3.56]),
        .init(
            text: "what does nasa stand for", step: 0, rowClass: "ABBR", targets: [1.2, -0.3],
            learningRates: [0.84, 3.56]),
        .init(
            text: "name a famous\tsinger", step: 1, rowClass: "HUM", targets: [0.25, 0.75], learningRates: [0.5, 0.125]),
        .init(text: "what is an atm", step: 1, rowClass: "ABBR", targets: [0.9, 0.1], learningRates: [0.5, 0.125]),
    ])

private func roundTrip(_ text: String, suffix: String) throws -> SoftLabelledTexts {
    let path = FileManager.default.temporaryDirectory.path + "/soft-\(getpid())\(suffix)"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try AtomicFile.write(Data(text.utf8), to: path)
    return try SoftLabelledTexts.read(path: path)
}

/// What `decode --format tsv|jsonl` writes reads back as the same schedule (a tab in a text
/// becomes a space in either format, the only change).
@Test(arguments: ["tsv", "jsonl"])
func softLabelledTextsRoundTrip(format: String) throws {
    let text = format == "tsv" ? sample.tsv(about: ["a comment"]) : try sample.jsonl(about: ["a comment"])
    let back = try roundTrip(text, suffix: "." + format)
    var expected = sample
    expected.sentences[2].text = "name a famous singer"
    #expect(back == expected)
    #expect(back.steps == 2 && back.passes == 2)
}

/// Broken files are refused with the file and line.
@Test func malformedSoftLabelledTextsNameTheLine() throws {
    let header = "text\tstep\tlabel:A\tlabel:B\tlr:pass1\n"
    let cases = [
        (header + "hello\t0\t1\tx\t0.1\n", ".tsv:2:"),
        (header + "hello\t0\t1\n", "columns"),
        ("hello\t0\t1\t0\t0.1\n", "header"),
        (header + "a\t0\t1\t0\t0.1\nb\t1\t1\t0\t0.1\nc\t1\t0\t1\t0.1\n", "same number"),
        (header + "a\t0\t1\t0\t0.1\nb\t0\t0\t1\t0.2\n", "share"),
        (header + "a\t0\t1\t0\t-1\n", "positive"),
        ("text\tstep\tclass\tlabel:A\tlabel:B\tlr:pass1\na\t0\tC\t1\t0\t0.1\n", "class 'C'"),
    ]
    for (text, fragment) in cases {
        #expect { try roundTrip(text, suffix: ".tsv") } throws: {
            "\($0)".contains(fragment) && "\($0)".contains("soft-")
        }
    }
}

/// JSONL keys are camelCase like every JSON the tool writes; files from before 0.9, with
/// `learning_rates`, still read.
@Test func softLabelledJSONLinesOfEitherKeyStyleRead() throws {
    let written = try sample.jsonl(about: ["a comment"])
    #expect(written.contains("\"learningRates\"") && !written.contains("learning_rates"))
    let old = written.replacingOccurrences(of: "\"learningRates\"", with: "\"learning_rates\"")
    #expect(try roundTrip(old, suffix: ".jsonl").sentences == roundTrip(written, suffix: ".jsonl").sentences)
}
