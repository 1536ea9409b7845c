import ArgumentParser
import CUTF8Proc
import DataFiles
import Distillation
import Foundation
import ImageData
import Models
import Tasks
import TensorCore
import TextPipeline

/// `textdistill bench`: throughput figures that speed work is measured against.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print throughput figures (GFLOP/s, µs per op, ms per iteration).",
        discussion: """
            Configurations:
              core   BLAS sgemm and convolution throughput, elementwise kernels, the cost of
                     recording an op and of taking a gradient of a gradient.
              text   normaliser and tokenizer MB/s on the bundled English corpora; GloVe
                     400k × 50 text parse and cached load (needs data/glove.6B.50d.txt from
                     Scripts/fetch-corpora, or --glove); decoder throughput over 400k words.
              trec6-textcnn, trec6-bilstm
                     milliseconds per outer distillation iteration and peak RSS, in the
                     configuration of ../shared/bench/torch_dd.py --bench-iters: bundled
                     TREC-6, reference preset, maxlen 30, GloVe 50d, 6 distilled sentences,
                     T = 2 (1 step × 2 epochs), fixed init, real batch 1024; the Bi-LSTM reads
                     the padding as PyTorch's does. Use --iterations to set the count.
              mnist-lenet
                     the same for MNIST (data/mnist from Scripts/fetch-corpora) with LeNet,
                     10 distilled images, T = 3 (1 step × 3 epochs); compare with
                     torch_dd.py --data mnist --epochs-inner 3 --bench-iters 20.
            Compare figures as ratios measured in one run on a quiet machine.
            """)

    @Option(help: "What to measure: core, text, trec6-textcnn, trec6-bilstm or mnist-lenet.")
    var config: String = "core"

    @Option(help: "The full GloVe 6B 50d text file for --config text (default: data/glove.6B.50d.txt).")
    var glove: String?

    @Option(help: "Timed repetitions per figure (the median is reported).")
    var repeats: Int = 5

    @Option(help: "Outer iterations timed for the distillation configurations (the first is a warm-up).")
    var iterations: Int = 20

    @Flag(
        help:
            "Distillation configurations: also print a per-op profile of the iterations (time, calls, output bytes per op kind, forward / backward / backward of backward)."
    )
    var profile = false

    @Flag(help: "Text configurations: time readable distillation (inner steps see the nearest words).")
    var readable = false

    @Flag(help: "Print the figures as one JSON object.")
    var json = false

    func validate() throws {
        guard Bench.configs.contains(config) else {
            throw ValidationError("unknown --config '\(config)'; known: \(Bench.configs.joined(separator: ", "))")
        }
        guard iterations > 1 else { throw ValidationError("--iterations must be at least 2") }
        guard repeats > 0 else { throw ValidationError("--repeats must be positive") }
    }

    func run() throws {
        var figures: [(String, Double, String)] = []
        let report: (String, Double, String) -> Void = { name, value, unit in
            figures.append((name, value, unit))
            if !json {
                print(name.padding(toLength: 58, withPad: " ", startingAt: 0) + String(format: "%10.2f ", value) + unit)
            }
        }
        let machine =
            "CPU \(BLASKernel.CPU.current.summary); OpenBLAS kernels \(BLASKernel.coreName), \(BLASThreads.current) thread(s)"
        if !json { print(machine) }
        switch config {
        case "text": try text(report)
        case "trec6-textcnn": try distillation(.textcnn, report)
        case "trec6-bilstm": try distillation(.bilstm, report)
        case "mnist-lenet": try distillation(.lenet, report)
        default: core(report)
        }
        if json {
            let object = Dictionary(
                uniqueKeysWithValues: figures.map { ($0.0, ["value": $0.1, "unit": $0.2] as [String: Any]) })
            let data = try JSONSerialization.data(
                withJSONObject: [
                    "config": config, "machine": machine, "blasKernel": BLASKernel.coreName, "figures": object,
                ], options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    private func core(_ report: (String, Double, String) -> Void) {
        var rng = RandomGenerator(seed: 1)
        let threads = BLASThreads.current

        // Matrix products: square, and the shapes distillation runs.
        let gemms: [(String, Int, Int, Int)] = [
            ("sgemm 1024×1024×1024", 1024, 1024, 1024),
            ("sgemm TextCNN conv [28672×150]·[150×100]", 28672, 100, 150),
            ("sgemm LSTM gates [1024×150]·[150×400]", 1024, 400, 150),
        ]
        for t in Array(Set([1, threads])).sorted() {
            BLASThreads.set(t)
            for (name, m, n, k) in gemms {
                let a = Tensor.randomNormal([m, k], using: &rng)
                let b = Tensor.randomNormal([k, n], using: &rng)
                let s = Stopwatch.median(repeats: repeats) { _ = a.matmul(b) }
                report("\(name), \(t) thread\(t > 1 ? "s" : "")", 2.0 * Double(m * n * k) / s / 1e9, "GFLOP/s")
            }
        }
        BLASThreads.set(threads)

        // Convolutions (im2col + GEMM), forward and forward+backward.
        let convs: [(String, [Int], [Int], (Int, Int))] = [
            ("conv2d TextCNN [1024,1,30,50] * [100,1,3,50]", [1024, 1, 30, 50], [100, 1, 3, 50], (0, 0)),
            ("conv2d LeNet-1 [256,1,28,28] * [6,1,5,5] pad 2", [256, 1, 28, 28], [6, 1, 5, 5], (2, 2)),
            ("conv2d LeNet-2 [256,6,14,14] * [16,6,5,5]", [256, 6, 14, 14], [16, 6, 5, 5], (0, 0)),
        ]
        for (name, xs, ws, pad) in convs {
            let x = Tensor.randomNormal(xs, using: &rng)
            let w = Tensor.randomNormal(ws, using: &rng).requiringGrad()
            let y = x.conv2d(weight: w, padding: pad)
            let flops = 2.0 * Double(y.count) * Double(ws[1] * ws[2] * ws[3])
            let fwd = Stopwatch.median(repeats: repeats) { _ = withoutGradients { x.conv2d(weight: w, padding: pad) } }
            report("\(name) forward", flops / fwd / 1e9, "GFLOP/s")
            let both = Stopwatch.median(repeats: repeats) {
                _ = gradients(of: x.conv2d(weight: w, padding: pad).sum(), withRespectTo: [w])
            }
            report("\(name) fwd+bwd", 2 * flops / both / 1e9, "GFLOP/s")
        }

        // Elementwise kernels on 1M floats.
        let big = Tensor.randomNormal([1 << 20], using: &rng)
        for (name, f) in [
            ("tanh", { (t: Tensor) in t.tanh() }), ("sigmoid", { $0.sigmoid() }), ("exp", { $0.exp() }),
            ("add", { $0 + $0 }), ("mul", { $0 * $0 }),
        ] as [(String, (Tensor) -> Tensor)] {
            let s = Stopwatch.median(repeats: repeats) { _ = withoutGradients { f(big) } }
            report("elementwise \(name), 1M floats", s / Double(big.count) * 1e9, "ns/element")
        }

        // Per-op overhead on one-element tensors.
        let a = Tensor([Float(1)], shape: [1]).requiringGrad()
        let b = Tensor([Float(2)], shape: [1])
        let ops = 10_000
        let untracked = Stopwatch.median(repeats: repeats) { withoutGradients { for _ in 0..<ops { _ = a + b } } }
        let recorded = Stopwatch.median(repeats: repeats) { for _ in 0..<ops { _ = a + b } }
        report("op on 1 element, not recorded", untracked / Double(ops) * 1e6, "µs/op")
        report("op on 1 element, recorded", recorded / Double(ops) * 1e6, "µs/op")
        let chainBackward = Stopwatch.median(repeats: repeats) {
            var h = a
            for _ in 0..<ops { h = h * b }
            _ = gradients(of: h.sum(), withRespectTo: [a])
        }
        report("record + backward, per op of a chain", chainBackward / Double(ops) * 1e6, "µs/op")

        // The exact meta-gradient of a small unroll (MLP 50→100→6, 6 distilled samples, T=3,
        // real batch 256).
        let w0 = [
            Tensor.xavierNormal([100, 50], using: &rng), Tensor.zeros([100]),
            Tensor.xavierNormal([6, 100], using: &rng), Tensor.zeros([6]),
        ]
        let xDistilled = Tensor.randomNormal([6, 50], using: &rng).requiringGrad()
        let yDistilled = Tensor.ones([6, 6]).requiringGrad()
        let rates = Tensor.full([3], 0.5).requiringGrad()
        let real = Tensor.randomNormal([256, 50], using: &rng)
        let labels = (0..<256).map { Int32($0 % 6) }
        func forward(_ w: [Tensor], _ x: Tensor) -> Tensor {
            x.linear(weight: w[0], bias: w[1]).relu().linear(weight: w[2], bias: w[3])
        }
        let meta = Stopwatch.median(repeats: repeats) {
            let eta = rates.softplus()
            let steps = (0..<3).map {
                InnerStep(inputs: xDistilled, labels: yDistilled, learningRate: eta.slice(axis: 0, $0..<($0 + 1)))
            }
            let w = InnerTraining.unroll(from: w0, steps: steps, createGraph: true) { w, s in
                Tensor.softTargetCrossEntropy(logits: forward(w, s.inputs), targets: s.labels)
            }
            let loss = Tensor.crossEntropy(logits: forward(w, real), labels: labels)
            _ = gradients(of: loss, withRespectTo: [xDistilled, yDistilled, rates])
        }
        report("meta-gradient, MLP 50-100-6, T=3, real batch 256", meta * 1e3, "ms/iteration")
    }

    static let configs = ["core", "text", "trec6-textcnn", "trec6-bilstm", "mnist-lenet"]

    /// Outer iterations of distillation, as torch_dd.py --bench-iters times them: the task
    /// loaded and the settings chosen as `distill` does, with the reference's tokenizer and
    /// maxlen 30, over-padding recurrent models and the reference's initial rates.
    private func distillation(_ kind: ModelKind, _ report: (String, Double, String) -> Void) throws {
        var recipe = DataRecipe()
        recipe.preset = .reference
        recipe.maxLength = 30
        let task = try LoadedTask.load(data: kind == .lenet ? "mnist" : "trec6", recipe: recipe)
        let model = ModelDescription(
            kind: kind, classes: task.classNames.count, inputDimension: task.inputDimension, imageSize: task.imageSize,
            respectLengths: kind.isRecurrent ? false : nil
        ).make()
        var settings = DistillationSettings.defaults(for: kind)
        settings.outerEpochs = 1_000
        if kind == .lenet { settings.epochs = 3 }
        settings.readable = readable
        let distiller = try Distiller(
            model: model, settings: settings, train: task.train, sampleShape: task.sampleShape,
            projection: readable ? task.wordProjection : nil)
        var times: [Double] = []
        for _ in 0..<iterations {
            let watch = Stopwatch()
            try distiller.iterate()
            times.append(watch.seconds)
        }
        let sorted = times.dropFirst().sorted()
        let n = distiller.set.samplesPerStep
        report(
            "\(config)\(readable ? " readable" : ""): N=\(n) T=\(settings.unrolledSteps) batch 1024, median",
            sorted[sorted.count / 2] * 1e3, "ms/iteration")
        report("\(config): min", sorted[0] * 1e3, "ms/iteration")
        report("\(config): peak RSS", Double(MemoryStats.peakResidentBytes) / 1_048_576, "MiB")
        if profile && !json {
            let count = iterations - 1
            Profiler.start()
            for _ in 0..<count { try distiller.iterate() }
            print(Bench.profileTable(Profiler.stop(), iterations: count))
        }
    }

    /// The profile per iteration, the costliest rows first, and the totals per derivative order.
    static func profileTable(_ profile: (entries: [Profiler.Key: Profiler.Entry], seconds: Double), iterations: Int)
        -> String
    {
        let phases = ["forward", "backward", "backward²", "backward³"]
        let per = 1 / Double(iterations)
        let total = profile.entries.values.reduce(0) { $0 + $1.seconds }
        var lines = [
            "per-op profile, \(iterations) iterations (\(String(format: "%.1f", profile.seconds * per * 1e3)) ms each; "
                + "an op is charged the time since the previous op finished)",
            "op".padding(toLength: 22, withPad: " ", startingAt: 0)
                + "phase       calls/it     ms/it   share   MB out/it",
        ]
        func row(_ name: String, _ phase: String, _ e: Profiler.Entry) -> String {
            name.padding(toLength: 22, withPad: " ", startingAt: 0)
                + phase.padding(toLength: 10, withPad: " ", startingAt: 0)
                + String(
                    format: "%10.0f %9.2f %6.1f%% %11.1f", Double(e.calls) * per, e.seconds * per * 1e3,
                    100 * e.seconds / total,
                    Double(e.bytes) * per / 1_048_576)
        }
        for (key, e) in profile.entries.sorted(by: { $0.value.seconds > $1.value.seconds })
        where e.seconds >= 0.002 * total {
            lines.append(row(key.op, phases[Swift.min(key.order, 3)], e))
        }
        for order in Set(profile.entries.keys.map(\.order)).sorted() {
            var sum = Profiler.Entry()
            for (k, e) in profile.entries where k.order == order {
                sum.calls += e.calls
                sum.seconds += e.seconds
                sum.bytes += e.bytes
            }
            lines.append(row("all ops", phases[Swift.min(order, 3)], sum))
        }
        return lines.joined(separator: "\n")
    }

    private func text(_ report: (String, Double, String) -> Void) throws {
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

        let path = glove ?? DataLocation.root + "/data/glove.6B.50d.txt"
        guard FileManager.default.fileExists(atPath: path) else {
            throw InputError(file: path, "not found: run Scripts/fetch-corpora (or pass --glove) for the GloVe figures")
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
