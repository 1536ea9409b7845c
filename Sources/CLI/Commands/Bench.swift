import ArgumentParser
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
              core   BLAS sgemm and convolution throughput, elementwise kernels,
                     the cost of recording an op and of taking a gradient of a
                     gradient.
              text   normaliser and tokenizer MB/s on the bundled English
                     corpora; GloVe 400k × 50 text parse and cached load (needs
                     data/glove.6B.50d.txt from Scripts/fetch-corpora, or
                     --embeddings); decoder throughput over 400k words.
              trec6-textcnn, trec6-bilstm
                     milliseconds per outer distillation iteration and peak
                     RSS, in the configuration of ../shared/bench/torch_dd.py
                     --bench-iters: bundled TREC-6, reference preset, maxlen 30,
                     GloVe 50d, 6 distilled sentences, T = 2 (1 step × 2
                     epochs), fixed init, real batch 1024; the Bi-LSTM reads
                     the padding as PyTorch's does. --iterations sets the count.
              mnist-lenet
                     the same for MNIST (data/mnist from Scripts/fetch-corpora)
                     with LeNet, 10 distilled images, T = 3 (1 step × 3 epochs);
                     compare with torch_dd.py --data mnist --epochs-inner 3
                     --bench-iters 20.
              foods-textcnn-long
                     the long-document shape of the paper's IMDB result on the
                     bundled Fine Food reviews (not IMDB): maxlen 400, 20
                     distilled reviews (10 per class), T = 5 (1 step × 5
                     epochs), TextCNN, real batch 1024; compare with torch_dd.py
                     --data foods --maxlen 400 --per-class 10 --epochs-inner 5
                     --arch cnn --bench-iters 5 (and the same for jax_dd.py).
            Compare figures as ratios measured in one run on a quiet machine.
            """)

    /// What `bench` measures.
    enum Config: String, CaseIterable, ExpressibleByArgument {
        case core, text
        case trec6TextCNN = "trec6-textcnn"
        case trec6BiLSTM = "trec6-bilstm"
        case mnistLeNet = "mnist-lenet"
        case foodsTextCNNLong = "foods-textcnn-long"
    }

    @Option(help: "What to measure: core, text, trec6-textcnn, trec6-bilstm, mnist-lenet or foods-textcnn-long.")
    var config: Config = .core

    @Option(help: "The full GloVe 6B 50d text file for --config text (default: data/glove.6B.50d.txt).")
    var embeddings: String?

    @Option(help: "Timed repetitions per figure (the median is reported).")
    var repeats: Int = 5

    @Option(help: "Outer iterations timed for the distillation configurations (the first is a warm-up).")
    var iterations: Int = 20

    @Flag(
        help:
            "Distillation configurations: also print a per-op profile of the iterations, run on one thread (time, calls, output bytes per op kind, forward / backward / backward of backward)."
    )
    var profile = false

    @Flag(help: "Text configurations: time readable distillation (inner steps see the nearest words).")
    var readable = false

    @Option(
        help: ArgumentHelp(
            "Distillation configurations: passes over the distilled steps instead of the configuration's (T = S × E).",
            valueName: "E"))
    var distillEpochs: Int?

    @Option(help: "Distillation configurations: full (one graph of the unroll) or checkpointed (√T memory).")
    var unrollMemory: UnrollMemory = .full

    @Flag(help: "Print the figures as one JSON object.")
    var json = false

    func validate() throws {
        guard iterations > 1 else { throw ValidationError("--iterations must be at least 2") }
        guard (distillEpochs ?? 1) > 0 else { throw ValidationError("--distill-epochs must be positive") }
        guard repeats > 0 else { throw ValidationError("--repeats must be positive") }
    }

    func run() throws {
        var figures: [(String, Double, String)] = []
        let report: (String, Double, String) -> Void = { name, value, unit in
            figures.append((name, value, unit))
            if !json {
                StandardOutput.write(
                    name.padding(toLength: 58, withPad: " ", startingAt: 0) + String(format: "%10.2f ", value) + unit)
            }
        }
        let machine =
            "CPU \(BLASKernel.CPU.current.summary); OpenBLAS kernels \(BLASKernel.coreName), \(BLASThreads.current) thread(s)"
        if !json { StandardOutput.write(machine) }
        switch config {
        case .core: core(report)
        case .text: try text(report)
        case .trec6TextCNN: try distillation(.textcnn, report)
        case .trec6BiLSTM: try distillation(.bilstm, report)
        case .mnistLeNet: try distillation(.lenet, report)
        case .foodsTextCNNLong: try distillation(.textcnn, report)
        }
        if json {
            let object = Dictionary(
                uniqueKeysWithValues: figures.map { ($0.0, ["value": $0.1, "unit": $0.2] as [String: Any]) })
            let data = try JSONSerialization.data(
                withJSONObject: [
                    "config": config.rawValue, "machine": machine, "blasKernel": BLASKernel.coreName, "figures": object,
                ], options: [.sortedKeys, .prettyPrinted])
            StandardOutput.write(String(decoding: data, as: UTF8.self))
        }
    }

    /// Outer iterations of distillation, as torch_dd.py --bench-iters times them: the task
    /// loaded and the settings chosen as `distill` does, with the reference's tokenizer and
    /// maxlen 30 (400 for the long shape), over-padding recurrent models and the reference's initial rates.
    private func distillation(_ kind: ModelKind, _ report: (String, Double, String) -> Void) throws {
        let long = config == .foodsTextCNNLong
        var recipe = DataRecipe()
        recipe.preset = .reference
        recipe.maxLength = long ? 400 : 30
        let task = try LoadedTask.load(data: kind == .lenet ? "mnist" : long ? "fine-foods" : "trec6", recipe: recipe)
        let model = ModelDescription(
            kind: kind, classes: task.classNames.count, inputDimension: task.inputDimension, imageSize: task.imageSize,
            respectLengths: kind.isRecurrent ? false : nil
        ).make()
        var settings = DistillationSettings.defaults(for: kind)
        settings.outerEpochs = 1_000
        if kind == .lenet { settings.epochs = 3 }
        if long { (settings.perClass, settings.epochs) = (10, 5) }
        settings.epochs = distillEpochs ?? settings.epochs
        settings.unrollMemory = unrollMemory
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
            "\(config.rawValue)\(readable ? " readable" : "")\(unrollMemory == .full ? "" : " checkpointed"): N=\(n) T=\(settings.unrolledSteps) batch 1024, median",
            sorted[sorted.count / 2] * 1e3, "ms/iteration")
        report("\(config.rawValue): min", sorted[0] * 1e3, "ms/iteration")
        report("\(config.rawValue): peak RSS", Double(MemoryStats.peakResidentBytes) / 1_048_576, "MiB")
        if profile && !json {
            let count = iterations - 1
            // One thread, so that each op's time is its own (the outer batch is not split).
            let profile = try Parallel.serially {
                Profiler.start()
                for _ in 0..<count { try distiller.iterate() }
                return Profiler.stop()
            }
            StandardOutput.write(Bench.profileTable(profile, iterations: count))
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
            "op".padding(toLength: 25, withPad: " ", startingAt: 0)
                + "phase       calls/it     ms/it   share   MB out/it",
        ]
        func row(_ name: String, _ phase: String, _ e: Profiler.Entry) -> String {
            name.padding(toLength: 25, withPad: " ", startingAt: 0)
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

}
