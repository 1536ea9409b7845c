import DataFiles
import Foundation
import ImageData
import TensorCore
import TextPipeline

/// A reader the fuzzer feeds: the file name its input is written under (readers look at the
/// extension), how to make its seed inputs, and how to read one file.
public struct FuzzTarget: Sendable {
    public let name: String
    public let fileName: String
    /// Seed inputs, made from the repository's fixtures (`root`) in the work folder `work`,
    /// which also gets any companion file the reader needs.
    let seeds: @Sendable (_ root: String, _ work: String) throws -> [[UInt8]]
    /// Reads the file at `path` as the tool would; throws on bad input.
    let read: @Sendable (_ path: String) throws -> Void

    /// Every reader of a file the tool takes from a user.
    public static let all: [FuzzTarget] = [
        FuzzTarget(
            name: "glove-text", fileName: "vectors.txt",
            seeds: fixtures("TextPipelineTests/Fixtures/glove/small.txt", "TextPipelineTests/Fixtures/glove/small.vec")
        ) {
            _ = try GloVe.parse(path: $0)
        },
        FuzzTarget(name: "glove-cache", fileName: "vectors.txt.tdcache", seeds: gloveCache) { path in
            // The cache of the text file beside it: used when it matches, else rebuilt (refused,
            // here). A cache that is used must hold exactly the text file's table.
            let text = String(path.dropLast(".tdcache".count))
            var rebuilt = false
            let table = try GloVe.load(path: text) { _ in rebuilt = true }
            if rebuilt { throw InputError(file: path, "stale or corrupt; rebuilt") }
            let parsed = try GloVe.parse(path: text)
            guard table.words == parsed.words && table.vectors == parsed.vectors else {
                fatalError("fuzz glove-cache: \(path) does not hold the table of \(text) and was used")
            }
        },
        FuzzTarget(
            name: "tsv", fileName: "table.tsv", seeds: fixtures("TextPipelineTests/Fixtures/sst2-glue/train.tsv")
        ) {
            _ = try DelimitedReader.rows($0, format: .tsv)
            _ = try DelimitedReader.read($0, labelColumn: "label", textColumn: "sentence")
        },
        FuzzTarget(name: "csv", fileName: "table.csv", seeds: fixtures("TextPipelineTests/Fixtures/table/train.csv")) {
            _ = try DelimitedReader.rows($0, format: .csv)
            _ = try DelimitedReader.read($0, labelColumn: "sentiment", textColumn: "text")
        },
        FuzzTarget(
            name: "corpus-jsonl", fileName: "train.jsonl",
            seeds: fixtures("TextPipelineTests/Fixtures/jsonl/train.jsonl")
        ) {
            _ = try JSONLinesReader.read($0)
        },
        FuzzTarget(name: "jsonl", fileName: "sentences.jsonl", seeds: softLabelled(jsonl: true)) {
            _ = try SoftLabelledTexts.read(path: $0)
        },
        FuzzTarget(name: "sentences-tsv", fileName: "sentences.tsv", seeds: softLabelled(jsonl: false)) {
            _ = try SoftLabelledTexts.read(path: $0)
        },
        FuzzTarget(
            name: "trec", fileName: "train_5500.label",
            seeds: fixtures(
                "TextPipelineTests/Fixtures/trec/train_5500.label", "TextPipelineTests/Fixtures/trec/TREC_10.label")
        ) {
            _ = try TRECReader.read($0, fine: true)
        },
        FuzzTarget(
            name: "sst", fileName: "train.txt",
            seeds: fixtures("TextPipelineTests/Fixtures/sst/train.txt", "TextPipelineTests/Fixtures/sst/test.txt")
        ) {
            _ = try SSTReader.read($0, binary: false)
        },
        FuzzTarget(
            name: "idx", fileName: "images-idx3-ubyte",
            seeds: fixtures(
                "ImageDataTests/Fixtures/idx/t10k-images-idx3-ubyte",
                "ImageDataTests/Fixtures/idx/t10k-labels-idx1-ubyte")
        ) { path in
            // One file, both readers: each must refuse what is not its kind.
            let images = Result { try IDXReader.images(path) }
            let labels = Result { try IDXReader.labels(path) }
            if case .failure(let e) = images, case .failure = labels { throw e }
        },
        FuzzTarget(
            name: "cifar", fileName: "data_batch_1.bin",
            seeds: fixtures("ImageDataTests/Fixtures/cifar-10-batches-bin/data_batch_2.bin")
        ) {
            _ = try CIFARReader.batch($0)
        },
        FuzzTarget(name: "safetensors", fileName: "set.safetensors", seeds: safetensors) {
            _ = try SafeTensors.read($0)
        },
        FuzzTarget(
            name: "gzip", fileName: "sample.bin.gz",
            seeds: fixtures(
                "DataFilesTests/Fixtures/sample.bin.gz", "ImageDataTests/Fixtures/idx/train-labels-idx1-ubyte.gz")
        ) {
            _ = try MappedFile(path: $0)
        },
    ]

    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}

/// Seeds read from fixture files under the repository's Tests folder.
private func fixtures(_ paths: String...) -> @Sendable (String, String) throws -> [[UInt8]] {
    { root, _ in try paths.map { [UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/Tests/" + $0))) } }
}

/// A GloVe cache of the small fixture table, written beside a copy of the table.
@Sendable private func gloveCache(_ root: String, _ work: String) throws -> [[UInt8]] {
    let text = work + "/vectors.txt"
    try Data(contentsOf: URL(fileURLWithPath: root + "/Tests/TextPipelineTests/Fixtures/glove/small.txt")).write(
        to: URL(fileURLWithPath: text))
    try? FileManager.default.removeItem(atPath: text + ".tdcache")
    _ = try GloVe.load(path: text)
    return [[UInt8](try Data(contentsOf: URL(fileURLWithPath: text + ".tdcache")))]
}

/// Soft-labelled sentences as `decode --format jsonl|tsv` writes them.
private func softLabelled(jsonl: Bool) -> @Sendable (String, String) throws -> [[UInt8]] {
    { _, _ in
        let sample = SoftLabelledTexts(
            classNames: ["ABBR", "HUM"],
            sentences: [
                .init(
                    text: "who wrote hamlet ?", step: 0, rowClass: "HUM", targets: [0.1, 1.7],
                    learningRates: [0.84, 3.5]),
                .init(
                    text: "what is an atm", step: 1, rowClass: "ABBR", targets: [0.9, -0.1], learningRates: [0.5, 1e-3]),
            ])
        return [Array((jsonl ? try sample.jsonl(about: ["a comment"]) : sample.tsv(about: ["a comment"])).utf8)]
    }
}

/// A small artifact-like file: two tensors of each dtype and metadata.
@Sendable private func safetensors(_ root: String, _ work: String) throws -> [[UInt8]] {
    let path = work + "/seed.safetensors"
    try SafeTensors.write(
        [
            ("inputs.0", Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [1, 2, 3])),
            ("rates", Tensor([0.5, 0.25], shape: [2], dtype: .float64)),
        ], metadata: ["format": "textdistill", "classes": "[\"a\",\"b\"]"], to: path)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return [[UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))]
}
