import ArgumentParser
import Distillation
import Foundation
import Tasks
import TensorCore

/// `textdistill demo`: the whole distillation mechanism on a small synthetic task, with the
/// baselines beside it. It exercises the core end to end in seconds; `distill` is the real job.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Distill a synthetic Gaussian-blob task into one sample per class (a quick end-to-end check).",
        discussion: """
            Data: C classes of Gaussian blobs in D dimensions (synthetic, made from --seed). \
            Model: an MLP D → 32 (ReLU) → C from one fixed Xavier init. Distilled: C inputs, \
            their raw soft labels and one learning rate per inner step, learned through the \
            unrolled inner SGD with the exact meta-gradient (Adam, betas 0.5/0.999). Reported: \
            test accuracy of the fixed init trained on the distilled schedule, beside C random \
            real samples (best of a small lr grid) and full-data training.
            """)

    @Option(help: "Classes.") var classes = 4
    @Option(help: "Input dimension.") var dimension = 16
    @Option(help: "Inner epochs over the one distilled step.") var innerEpochs = 3
    @Option(help: "Outer iterations.") var iterations = 300
    @Option(help: "Initial inner learning rate.") var distillLR = 0.1
    @Option(help: "Adam learning rate for the distilled set.") var lr = 0.01
    @Option(help: "Random seed.") var seed: UInt64 = 1

    func validate() throws {
        guard classes >= 2, dimension >= 1, innerEpochs >= 1, iterations >= 1, distillLR > 0, lr > 0 else {
            throw ValidationError("all sizes and rates must be positive (and --classes ≥ 2)")
        }
    }

    func run() throws {
        var rng = RandomGenerator(seed: seed)
        let (train, test) = makeBlobs(using: &rng)
        let w0 = [
            Tensor.xavierNormal([32, dimension], using: &rng), Tensor.zeros([32]),
            Tensor.xavierNormal([classes, 32], using: &rng), Tensor.zeros([classes]),
        ]

        let x = Tensor.randomNormal([classes, dimension], using: &rng).requiringGrad()
        let y = Tensor(
            (0..<classes * classes).map { $0 / classes == $0 % classes ? 1.0 : 0.0 },
            shape: [classes, classes], dtype: .float32
        ).requiringGrad()
        let rho = Tensor.full([innerEpochs], log(expm1(distillLR))).requiringGrad()
        let adam = Adam(parameters: [x, y, rho], learningRate: lr, betas: (0.5, 0.999))

        let progress = Progress(total: iterations, label: "distilling")
        var loss = 0.0
        for it in 1...iterations {
            let batch = (0..<256).map { _ in rng.below(train.labels.count) }
            let w = unroll(w0, x, y, rho.softplus(), createGraph: true)
            let l = Tensor.crossEntropy(
                logits: Self.forward(w, train.inputs.gather(rows: batch.map(Int32.init))),
                labels: batch.map { train.labels[$0] })
            loss = l.item
            adam.step(gradients(of: l, withRespectTo: [x, y, rho]))
            progress.update(it, String(format: "outer loss %.4f", loss))
        }

        let distilled = accuracy(
            unroll(w0, x.detached(), y.detached(), rho.softplus().detached(), createGraph: false), test)
        let random = randomRealBaseline(w0, train, test, using: &rng)
        let full = fullDataAccuracy(w0, train, test, using: &rng)
        StandardOutput.write(
            """

            synthetic Gaussian blobs: \(classes) classes, \(dimension)-D, train \(train.labels.count), test \(test.labels.count)
            learned learning rates: \(rho.softplus().floats.map { String(format: "%.3f", $0) }.joined(separator: ", "))
            \(row("distilled: \(classes) samples, \(innerEpochs) steps", distilled))
            \(row("random real: \(classes) samples, best lr of a grid", random))
            \(row("full training data: \(train.labels.count) samples", full))
            """)
    }

    static func forward(_ w: [Tensor], _ x: Tensor) -> Tensor {
        x.linear(weight: w[0], bias: w[1]).relu().linear(weight: w[2], bias: w[3])
    }

    private func unroll(_ w0: [Tensor], _ x: Tensor, _ y: Tensor, _ eta: Tensor, createGraph: Bool) -> [Tensor] {
        let steps = (0..<innerEpochs).map {
            InnerStep(inputs: x, labels: y, learningRate: eta.slice(axis: 0, $0..<($0 + 1)))
        }
        return InnerTraining.unroll(from: w0, steps: steps, createGraph: createGraph) { w, s in
            Tensor.softTargetCrossEntropy(logits: Self.forward(w, s.inputs), targets: s.labels)
        }
    }

    private func makeBlobs(using rng: inout RandomGenerator) -> (train: LabelledSet, test: LabelledSet) {
        let centres = (0..<classes).map { _ in (0..<dimension).map { _ in 1.2 * rng.normal() } }
        func sample(_ n: Int) -> LabelledSet {
            var values: [Double] = []
            var labels: [Int32] = []
            for i in 0..<n {
                let c = i % classes
                values += centres[c].map { $0 + rng.normal() }
                labels.append(Int32(c))
            }
            return LabelledSet(inputs: Tensor(values, shape: [n, dimension], dtype: .float32), labels: labels)
        }
        return (sample(4000), sample(2000))
    }

    private func accuracy(_ w: [Tensor], _ set: LabelledSet) -> Double {
        let predicted = withoutGradients { Self.forward(w, set.inputs).argmax(axis: 1) }
        let hits = zip(predicted, set.labels).filter { $0 == Int($1) }.count
        return Double(hits) / Double(set.labels.count)
    }

    private func sgd(_ w0: [Tensor], _ x: Tensor, _ labels: [Int32], lr: Double, steps: Int) -> [Tensor] {
        var w = w0.map { $0.detached().requiringGrad() }
        for _ in 0..<steps {
            let g = gradients(of: Tensor.crossEntropy(logits: Self.forward(w, x), labels: labels), withRespectTo: w)
            w = withoutGradients { zip(w, g).map { $0 - $1 * lr } }.map { $0.requiringGrad() }
        }
        return w
    }

    /// One random real sample per class, hard labels, the same init and number of steps,
    /// best test accuracy over a small learning-rate grid (a generous baseline).
    private func randomRealBaseline(
        _ w0: [Tensor], _ train: LabelledSet, _ test: LabelledSet,
        using rng: inout RandomGenerator
    ) -> Double {
        let picks = (0..<classes).map { c in
            let members = train.labels.indices.filter { train.labels[$0] == Int32(c) }
            return Int32(members[rng.below(members.count)])
        }
        let x = train.inputs.gather(rows: picks)
        let labels = picks.map { train.labels[Int($0)] }
        return [0.01, 0.03, 0.1, 0.3, 1.0].map { accuracy(sgd(w0, x, labels, lr: $0, steps: innerEpochs), test) }.max()
            ?? 0
    }

    /// The same net trained on all training data with Adam for 20 epochs of batch 128.
    private func fullDataAccuracy(
        _ w0: [Tensor], _ train: LabelledSet, _ test: LabelledSet,
        using rng: inout RandomGenerator
    ) -> Double {
        let w = w0.map { $0.detached().converted(to: .float32).requiringGrad() }
        let adam = Adam(parameters: w, learningRate: 0.01)
        for _ in 0..<20 {
            let order = rng.permutation(train.labels.count)
            for start in stride(from: 0, to: order.count, by: 128) {
                let idx = Array(order[start..<min(start + 128, order.count)])
                let loss = Tensor.crossEntropy(
                    logits: Self.forward(w, train.inputs.gather(rows: idx.map(Int32.init))),
                    labels: idx.map { train.labels[$0] })
                adam.step(gradients(of: loss, withRespectTo: w))
            }
        }
        return accuracy(w, test)
    }
}

struct LabelledSet {
    let inputs: Tensor
    let labels: [Int32]
}

/// One line of a results table: a label padded to a column, then the accuracy in percent.
func row(_ label: String, _ accuracy: Double) -> String {
    "  " + label.padding(toLength: 46, withPad: " ", startingAt: 0) + String(format: "%6.2f %%", 100 * accuracy)
}
