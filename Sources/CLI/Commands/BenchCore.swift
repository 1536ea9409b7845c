import Distillation
import Foundation
import TensorCore

/// `bench --config core`: the numerical core's throughput.
extension Bench {
    typealias Report = (String, Double, String) -> Void

    func core(_ report: Report) {
        var rng = RandomGenerator(seed: 1)
        matrixProducts(report, &rng)
        convolutions(report, &rng)
        elementwise(report, &rng)
        opOverhead(report)
        metaGradient(report, &rng)
    }

    /// Matrix products: square, and the shapes distillation runs.
    private func matrixProducts(_ report: Report, _ rng: inout RandomGenerator) {
        let threads = BLASThreads.current

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
    }

    /// Convolutions (im2col + GEMM), forward and forward+backward.
    private func convolutions(_ report: Report, _ rng: inout RandomGenerator) {
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
    }

    /// Elementwise kernels on 1M floats.
    private func elementwise(_ report: Report, _ rng: inout RandomGenerator) {
        let big = Tensor.randomNormal([1 << 20], using: &rng)
        for (name, f) in [
            ("tanh", { (t: Tensor) in t.tanh() }), ("sigmoid", { $0.sigmoid() }), ("exp", { $0.exp() }),
            ("add", { $0 + $0 }), ("mul", { $0 * $0 }),
        ] as [(String, (Tensor) -> Tensor)] {
            let s = Stopwatch.median(repeats: repeats) { _ = withoutGradients { f(big) } }
            report("elementwise \(name), 1M floats", s / Double(big.count) * 1e9, "ns/element")
        }
    }

    /// Per-op overhead on one-element tensors.
    private func opOverhead(_ report: Report) {
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
    }

    /// The exact meta-gradient of a small unroll (MLP 50→100→6, 6 distilled samples, T=3,
    /// real batch 256).
    private func metaGradient(_ report: Report, _ rng: inout RandomGenerator) {
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
}
