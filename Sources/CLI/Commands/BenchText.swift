import CUTF8Proc
import DataFiles
import Foundation
import TensorCore
import TextPipeline

/// `bench --config text`: the text pipeline's throughput.
extension Bench {
    func text(_ report: (String, Double, String) -> Void) throws {
        // English text: every document of the bundled corpora.
        var documents: [String] = []
        for name in CorpusLoader.bundledNames where name != "trec50" {
            let c = try CorpusLoader().load(name)
            documents += (c.train + c.test).map(\.text)
        }
        let bytes = Double(documents.reduce(0) { $0 + $1.utf8.count })
        report("English text: bundled corpora, \(documents.count) documents", bytes / 1e6, "MB")
        let normalizer = Tokenizer(preset: .default).normalizer
        let fast = Stopwatch.median(repeats: repeats) {
            for d in documents { _ = normalizer.normalize(d, offsets: false) }
        }
        report("normalizer NFKC+casefold, ASCII fast path", bytes / fast / 1e6, "MB/s")
        let offsets = Stopwatch.median(repeats: repeats) {
            for d in documents { _ = normalizer.normalize(d, offsets: true) }
        }
        report("normalizer with byte offsets", bytes / offsets / 1e6, "MB/s")
        let slowDocs = Array(documents.prefix(2000))
        let slowBytes = Double(slowDocs.reduce(0) { $0 + $1.utf8.count })
        let slow = Stopwatch.median(repeats: repeats) { for d in slowDocs { _ = utf8procOnly(d) } }
        report("utf8proc alone (utf8proc_map per document)", slowBytes / slow / 1e6, "MB/s")
        for preset in Tokenizer.Preset.allCases {
            let t = Tokenizer(preset: preset)
            let s = Stopwatch.median(repeats: repeats) { for d in documents { _ = t.words(d) } }
            report("tokenizer '\(preset.rawValue)' (normalise + split)", bytes / s / 1e6, "MB/s")
        }

        let path = embeddings ?? DataLocation.root + "/data/glove.6B.50d.txt"
        guard FileManager.default.fileExists(atPath: path) else {
            throw InputError(
                file: path, "not found: run Scripts/fetch-corpora (or pass --embeddings) for the GloVe figures")
        }
        var watch = Stopwatch()
        let table = try GloVe.parse(path: path)
        report("GloVe \(table.count)×\(table.dimension) text parse (validated)", watch.seconds, "s")
        _ = try GloVe.load(path: path)  // writes the cache if it is missing or stale
        watch.restart()
        let cached = try GloVe.load(path: path)
        report("GloVe \(cached.count)×\(cached.dimension) cached load", watch.seconds, "s")

        let decoder = NearestWords(glove: table)
        var rng = RandomGenerator(seed: 2)
        let sentence = Tensor.randomNormal([30, table.dimension], std: 0.5, using: &rng).floats
        for metric in NearestWords.Metric.allCases {
            let s = Stopwatch.median(repeats: repeats) { _ = decoder.nearest(sentence, k: 5, metric: metric) }
            report("decoder \(metric.rawValue) top-5, 30 words vs \(table.count)", 30 / s, "words/s")
        }
    }
}

/// utf8proc's NFKC + case fold over a whole document in one call: what the normalizer's ASCII
/// fast path is measured against.
private func utf8procOnly(_ text: String) -> Int {
    var copy = text
    return copy.withUTF8 { bytes -> Int in
        var out: UnsafeMutablePointer<utf8proc_uint8_t>? = nil
        let options =
            UTF8PROC_STABLE.rawValue | UTF8PROC_COMPAT.rawValue | UTF8PROC_COMPOSE.rawValue | UTF8PROC_CASEFOLD.rawValue
        let n = utf8proc_map(bytes.baseAddress, bytes.count, &out, utf8proc_option_t(options))
        free(out)
        return n
    }
}
