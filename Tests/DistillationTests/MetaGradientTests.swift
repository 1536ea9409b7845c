import Foundation
import TensorCore
import Testing

@testable import Distillation

/// A tiny distillation problem: an MLP 4 → 5 (tanh) → 3, distilled inputs and raw soft
/// labels for `stepCount` distinct steps reused over `epochs`, one learning rate per
/// unrolled step, and a real batch of 8 with hard labels.
struct TinyProblem {
    let dtype: DType
    let stepCount: Int
    let epochs: Int
    var initial: [Tensor]
    let realInputs: Tensor
    let realLabels: [Int32] = [0, 1, 2, 0, 1, 2, 2, 1]
    /// Flattened distilled inputs (per step), labels (per step), then rates (per unrolled step).
    var variables: [Tensor]

    init(dtype: DType = .float64, stepCount: Int, epochs: Int, seed: UInt64 = 5) {
        self.dtype = dtype
        self.stepCount = stepCount
        self.epochs = epochs
        var rng = RandomGenerator(seed: seed)
        initial = [
            Tensor.xavierNormal([5, 4], dtype: dtype, using: &rng), Tensor.zeros([5], dtype: dtype),
            Tensor.xavierNormal([3, 5], dtype: dtype, using: &rng), Tensor.zeros([3], dtype: dtype),
        ]
        realInputs = Tensor.randomNormal([8, 4], dtype: dtype, using: &rng)
        let inputs = (0..<stepCount).map { _ in Tensor.randomNormal([3, 4], dtype: dtype, using: &rng) }
        // One-hot labels perturbed so that no derivative is accidentally symmetric.
        let oneHot = Tensor([1, 0, 0, 0, 1, 0, 0, 0, 1], shape: [3, 3], dtype: dtype)
        let labels = (0..<stepCount).map { _ in
            oneHot + Tensor.randomNormal([3, 3], std: 0.2, dtype: dtype, using: &rng)
        }
        let rates =
            Tensor.full([stepCount * epochs], 0.3, dtype: dtype)
            + Tensor.randomNormal([stepCount * epochs], std: 0.1, dtype: dtype, using: &rng)
        variables = (inputs + labels + [rates]).map { $0.detached().requiringGrad() }
    }

    static func forward(_ w: [Tensor], _ x: Tensor) -> Tensor {
        x.linear(weight: w[0], bias: w[1]).tanh().linear(weight: w[2], bias: w[3])
    }

    /// The outer loss after unrolling, as a function of `vars` (same layout as `variables`).
    func outerLoss(_ vars: [Tensor], createGraph: Bool) -> Tensor {
        let inputs = Array(vars[0..<stepCount])
        let labels = Array(vars[stepCount..<(2 * stepCount)])
        let rates = vars[2 * stepCount].softplus()
        let steps = (0..<(stepCount * epochs)).map { t in
            InnerStep(
                inputs: inputs[t % stepCount], labels: labels[t % stepCount],
                learningRate: rates.slice(axis: 0, t..<(t + 1)))
        }
        let w = InnerTraining.unroll(from: initial, steps: steps, createGraph: createGraph) { w, step in
            Tensor.softTargetCrossEntropy(logits: TinyProblem.forward(w, step.inputs), targets: step.labels)
        }
        return Tensor.crossEntropy(logits: TinyProblem.forward(w, realInputs), labels: realLabels)
    }

    func metaGradient() -> [Tensor] {
        gradients(of: outerLoss(variables, createGraph: true), withRespectTo: variables)
    }
}

@Test(arguments: [(3, 1), (1, 3)])
func metaGradientMatchesFiniteDifferencesOfTheWholeUnroll(steps: Int, epochs: Int) {
    let problem = TinyProblem(stepCount: steps, epochs: epochs)
    let analytic = problem.metaGradient()
    let values = problem.variables.map(\.doubles)
    let eps = 1e-5
    var numeric: [[Double]] = values.map { [Double](repeating: 0, count: $0.count) }
    for i in values.indices {
        for j in values[i].indices {
            func loss(_ delta: Double) -> Double {
                var v = values
                v[i][j] += delta
                let vars = zip(v, problem.variables).map { Tensor($0, shape: $1.shape) }
                return problem.outerLoss(vars, createGraph: false).item
            }
            numeric[i][j] = (loss(eps) - loss(-eps)) / (2 * eps)
        }
    }
    // Separately for inputs, labels and rates, so no group hides behind a larger one.
    let groups = [("inputs", 0..<steps), ("labels", steps..<(2 * steps)), ("rates", (2 * steps)..<(2 * steps + 1))]
    for (name, range) in groups {
        let err = GradientCheck.relativeError(range.flatMap { analytic[$0].doubles }, range.flatMap { numeric[$0] })
        #expect(err <= 1e-5, "meta-gradient w.r.t. \(name) (S=\(steps), E=\(epochs)): relative error \(err)")
        #expect(
            range.flatMap { numeric[$0] }.contains { abs($0) > 1e-4 },
            "\(name): finite differences are all ~0; the check would be vacuous")
    }
}

/// 1,000 meta-gradients in a child process of its own (so no other test disturbs its
/// resident memory): tensor buffers return exactly to their baseline and RSS stays flat.
@Test func unrolledMetaGradientKeepsMemoryFlat() async {
    await #expect(processExitsWith: .success) {
        let problem = TinyProblem(stepCount: 1, epochs: 3)
        for _ in 0..<100 { _ = problem.metaGradient() }  // warm the allocator
        let baseline = MemoryStats.threadNetBuffers
        let rssBefore = MemoryStats.residentBytes
        for _ in 0..<1000 { _ = problem.metaGradient() }
        let leaked = MemoryStats.threadNetBuffers - baseline
        let growth = MemoryStats.residentBytes - rssBefore
        FileHandle.standardError.write(
            Data("1,000 meta-gradients: \(leaked) buffers leaked, resident memory grew \(growth / 1024) KiB\n".utf8))
        exit(leaked == 0 && growth < 4 << 20 ? 0 : 1)
    }
}

@Test func float32AgreesWithFloat64() {
    let g64 = TinyProblem(dtype: .float64, stepCount: 1, epochs: 2).metaGradient().flatMap(\.doubles)
    let g32 = TinyProblem(dtype: .float32, stepCount: 1, epochs: 2).metaGradient().flatMap(\.doubles)
    #expect(GradientCheck.relativeError(g32, g64) < 1e-4)
}
