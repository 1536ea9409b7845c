import Testing

@testable import TensorCore

/// Every differentiable op: gradient and Hessian-vector product against central finite
/// differences in Double (relative error ≤ 1e-6).
struct OpCase: CustomTestStringConvertible, Sendable {
    let name: String
    let shapes: [[Int]]
    /// Keeps inputs away from singularities (log, div) where needed.
    var positive = false
    let f: @Sendable ([Tensor]) -> Tensor
    var testDescription: String { name }
}

let opCases: [OpCase] = [
    OpCase(name: "add (broadcast rows)", shapes: [[3, 4], [4]]) { $0[0] + $0[1] },
    OpCase(name: "add (broadcast both)", shapes: [[2, 3, 1], [1, 4]]) { $0[0] + $0[1] },
    OpCase(name: "sub (broadcast column)", shapes: [[3, 4], [3, 1]]) { $0[0] - $0[1] },
    OpCase(name: "mul (broadcast)", shapes: [[2, 3, 4], [3, 1]]) { $0[0] * $0[1] },
    OpCase(name: "mul (same shape)", shapes: [[3, 4], [3, 4]]) { $0[0] * $0[1] },
    OpCase(name: "div (broadcast)", shapes: [[3, 4], [4]], positive: true) { $0[0] / $0[1] },
    OpCase(name: "div scalar by tensor", shapes: [[5]], positive: true) { 2.0 / $0[0] },
    OpCase(name: "neg", shapes: [[4]]) { -$0[0] },
    OpCase(name: "scalar scale and shift", shapes: [[4]]) { 3.0 - $0[0] * 2.5 + 1.0 },
    OpCase(name: "square", shapes: [[3, 2]]) { $0[0].squared() },
    OpCase(name: "exp", shapes: [[3, 4]]) { $0[0].exp() },
    OpCase(name: "log", shapes: [[3, 4]], positive: true) { $0[0].log() },
    OpCase(name: "tanh", shapes: [[3, 4]]) { $0[0].tanh() },
    OpCase(name: "sigmoid", shapes: [[3, 4]]) { $0[0].sigmoid() },
    OpCase(name: "relu", shapes: [[3, 4]]) { $0[0].relu() },
    OpCase(name: "softplus", shapes: [[3, 4]]) { ($0[0] * 3).softplus() },
    OpCase(name: "sum", shapes: [[3, 4]]) { $0[0].squared().sum() },
    OpCase(name: "sum over axes", shapes: [[2, 3, 4]]) { $0[0].squared().sum(axes: [0, 2]) },
    OpCase(name: "sum keeping dims", shapes: [[2, 3, 4]]) { $0[0].squared().sum(axis: 1, keepingDims: true) },
    OpCase(name: "mean", shapes: [[3, 4]]) { $0[0].squared().mean() },
    OpCase(name: "mean over axes", shapes: [[2, 3, 4]]) { $0[0].squared().mean(axes: [-1]) },
    OpCase(name: "sum to shape", shapes: [[2, 3, 4]]) { $0[0].squared().sum(toShape: [3, 1]) },
    OpCase(name: "broadcast to", shapes: [[3, 1]]) { $0[0].squared().broadcast(to: [2, 3, 4]) },
    OpCase(name: "max over axis", shapes: [[3, 5]]) { $0[0].squared().max(axis: 1).values },
    OpCase(name: "max over middle axis", shapes: [[2, 4, 3]]) { $0[0].tanh().max(axis: 1, keepingDims: true).values },
    OpCase(name: "matmul", shapes: [[3, 4], [4, 2]]) { $0[0].matmul($0[1]) },
    OpCase(name: "matmul Aᵀ", shapes: [[4, 3], [4, 2]]) { $0[0].matmul($0[1], transposeSelf: true) },
    OpCase(name: "matmul Bᵀ", shapes: [[3, 4], [2, 4]]) { $0[0].matmul($0[1], transposeOther: true) },
    OpCase(name: "matmul AᵀBᵀ", shapes: [[4, 3], [2, 4]]) {
        $0[0].matmul($0[1], transposeSelf: true, transposeOther: true)
    },
    OpCase(name: "matmul chain (x·W then ·x)", shapes: [[3, 3], [3, 3]]) { $0[0].matmul($0[1]).matmul($0[0]) },
    OpCase(name: "linear", shapes: [[3, 4], [2, 4], [2]]) { $0[0].linear(weight: $0[1], bias: $0[2]).tanh() },
    OpCase(name: "reshape", shapes: [[2, 6]]) { $0[0].squared().reshaped([3, -1]) },
    OpCase(name: "permute", shapes: [[2, 3, 4]]) { $0[0].squared().permuted([2, 0, 1]) },
    OpCase(name: "transpose", shapes: [[2, 3]]) { $0[0].squared().transposed() },
    OpCase(name: "slice", shapes: [[3, 5]]) { $0[0].squared().slice(axis: 1, 1..<4) },
    OpCase(name: "pad", shapes: [[3, 2]]) { $0[0].squared().padded(axis: 0, before: 1, after: 2) },
    OpCase(name: "concat", shapes: [[2, 3], [2, 1], [2, 2]]) {
        Tensor.concat([$0[0], $0[1].squared(), $0[2]], axis: 1).tanh()
    },
    OpCase(name: "stack", shapes: [[2, 3], [2, 3]]) { Tensor.stack([$0[0].squared(), $0[1]], axis: 1) },
    OpCase(name: "gather rows", shapes: [[4, 3]]) { $0[0].squared().gather(rows: [2, 0, 2, 3]) },
    OpCase(name: "scatter-add rows", shapes: [[4, 3]]) { $0[0].squared().scatterAdd(rows: [1, 0, 1, 4], count: 5) },
    OpCase(name: "gather flat", shapes: [[3, 4]]) {
        $0[0].squared().gather(flatIndices: [5, 0, 11, 5], shape: [2, 2])
    },
    OpCase(name: "scatter-add flat", shapes: [[2, 2]]) {
        $0[0].squared().scatterAdd(flatIndices: [5, 0, 11, 5], shape: [3, 4])
    },
    OpCase(name: "embedding lookup", shapes: [[5, 3]]) {
        Tensor.embedding($0[0].tanh(), ids: [4, 1, 1, 0, 2, 3], shape: [2, 3])
    },
    OpCase(name: "im2col (stride 2, padding 1)", shapes: [[2, 2, 5, 4]]) {
        $0[0].squared().im2col(kernel: (3, 2), stride: (2, 1), padding: (1, 1))
    },
    OpCase(name: "col2im", shapes: [[2, 6, 8]]) {
        $0[0].squared().col2im(ConvGeometry(n: 2, c: 2, h: 3, w: 4, kh: 2, kw: 2, sh: 1, sw: 2, ph: 0, pw: 1))
    },
    OpCase(name: "lstmMemory", shapes: [[3, 8], [3, 2]]) { $0[0].lstmMemory(previous: $0[1]).tanh() },
    OpCase(name: "lstmOutput", shapes: [[3, 8], [3, 2]]) { $0[0].lstmOutput(memory: $0[1]).tanh() },
    OpCase(name: "LSTM cell (memory then output)", shapes: [[2, 12], [2, 3]]) {
        $0[0].lstmOutput(memory: $0[0].lstmMemory(previous: $0[1]))
    },
    OpCase(name: "lstmMemoryGradient", shapes: [[3, 8], [3, 2], [3, 2]]) {
        $0[0].lstmMemoryGradient(cell: $0[1], incoming: $0[2]).tanh()
    },
    OpCase(name: "lstmOutputGradient", shapes: [[3, 8], [3, 2], [3, 2]]) {
        $0[0].lstmOutputGradient(cell: $0[1], incoming: $0[2]).tanh()
    },
    OpCase(name: "lstmOutputCellGradient", shapes: [[3, 8], [3, 2], [3, 2]]) {
        $0[0].lstmOutputCellGradient(cell: $0[1], incoming: $0[2]).tanh()
    },
    OpCase(name: "lstmSequence", shapes: [[4, 2, 8], [8, 2]]) {
        $0[0].lstmSequence(recurrent: $0[1], masks: nil, reverse: false)
    },
    OpCase(name: "lstmSequence reversed, with masks", shapes: [[4, 3, 8], [8, 2]]) {
        let masks = Tensor([1, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0], shape: [4, 3, 1], dtype: .float64)
        return $0[0].lstmSequence(recurrent: $0[1], masks: masks, reverse: true).tanh()
    },
    OpCase(name: "lstmSequence of one position", shapes: [[1, 2, 4], [4, 1]]) {
        $0[0].lstmSequence(recurrent: $0[1], masks: nil, reverse: false)
    },
    OpCase(name: "slices assembled (disjoint, overlapping, two axes)", shapes: [[5, 4]]) {
        let x = $0[0].squared()
        return x.slice(axis: 0, 0..<1) * x.slice(axis: 0, 3..<4)
            + x.slice(axis: 0, 1..<3).sum(axis: 0, keepingDims: true)
            + x.slice(axis: 0, 2..<4).sum(axis: 0, keepingDims: true) * x.slice(axis: 1, 1..<2).sum()
    },
    OpCase(name: "sharedMatmul", shapes: [[3, 4], [2, 4, 5]]) { $0[0].sharedMatmul($0[1]).tanh() },
    OpCase(name: "sharedMatmul Aᵀ", shapes: [[4, 3], [2, 4, 5]]) {
        $0[0].sharedMatmul($0[1], transposeSelf: true).tanh()
    },
    OpCase(name: "batchOuterSum", shapes: [[2, 3, 5], [2, 4, 5]]) { $0[0].batchOuterSum($0[1]).tanh() },
    OpCase(name: "im2colPlanar (stride 2, padding 1)", shapes: [[2, 2, 5, 4]]) {
        $0[0].squared().im2colPlanar(kernel: (3, 2), stride: (2, 1), padding: (1, 1))
    },
    OpCase(name: "conv2d (stride, padding, bias)", shapes: [[2, 2, 5, 5], [3, 2, 3, 3], [3]]) {
        $0[0].conv2d(weight: $0[1], bias: $0[2], stride: (2, 2), padding: (1, 1)).tanh()
    },
    OpCase(name: "conv2d spanning the embedding (TextCNN)", shapes: [[2, 1, 6, 4], [3, 1, 3, 4], [3]]) {
        $0[0].conv2d(weight: $0[1], bias: $0[2]).relu().max(axis: 2).values
    },
    OpCase(name: "maxWindowResponse (convolution and max over time)", shapes: [[2, 6, 4], [3, 12]]) {
        $0[0].maxWindowResponse(filters: $0[1], width: 3).tanh()
    },
    OpCase(name: "maxWindowResponse of width 1 and of the whole text", shapes: [[2, 3, 2], [2, 2], [2, 6]]) {
        $0[0].maxWindowResponse(filters: $0[1], width: 1) * $0[0].maxWindowResponse(filters: $0[2], width: 3)
    },
    OpCase(name: "conv1d", shapes: [[2, 3, 6], [4, 3, 2], [4]]) {
        $0[0].conv1d(weight: $0[1], bias: $0[2], padding: 1).tanh()
    },
    OpCase(name: "conv2dMaxPooled (padding, 2×2 windows, a row left over)", shapes: [[2, 2, 5, 6], [3, 2, 3, 3]]) {
        $0[0].conv2dMaxPooled(weight: $0[1], padding: (1, 0), pool: (2, 2)).tanh()
    },
    OpCase(name: "max-pool 2×2", shapes: [[2, 2, 4, 6]]) { $0[0].tanh().maxPool2d(kernel: (2, 2)) },
    OpCase(name: "max-pool 3×2 stride 1", shapes: [[1, 2, 4, 5]]) {
        $0[0].squared().maxPool2d(kernel: (3, 2), stride: (1, 1))
    },
    OpCase(name: "max-pool 3×3 stride 2 padding 1", shapes: [[1, 2, 5, 4]]) {
        $0[0].tanh().maxPool2d(kernel: (3, 3), stride: (2, 2), padding: (1, 1))
    },
    OpCase(name: "avg-pool 2", shapes: [[2, 2, 4, 4]]) { $0[0].squared().avgPool2d(2) },
    OpCase(name: "pow", shapes: [[3, 4]], positive: true) { $0[0].pow(-0.75) },
    OpCase(name: "sqrt", shapes: [[5]], positive: true) { $0[0].sqrt() },
    OpCase(name: "local response norm", shapes: [[2, 5, 2, 3]]) {
        $0[0].localResponseNorm(size: 4, alpha: 0.5, beta: 0.75, k: 1)
    },
    OpCase(name: "instance norm", shapes: [[2, 3, 2, 3], [3], [3]]) { $0[0].instanceNorm(weight: $0[1], bias: $0[2]) },
    OpCase(name: "log-softmax (last axis)", shapes: [[3, 5]]) { $0[0].logSoftmax() },
    OpCase(name: "log-softmax (axis 0)", shapes: [[4, 3]]) { $0[0].logSoftmax(axis: 0) },
    OpCase(name: "softmax", shapes: [[3, 4]]) { $0[0].softmax(axis: 1) },
    OpCase(name: "soft-target cross-entropy (raw labels)", shapes: [[4, 3], [4, 3]]) {
        Tensor.softTargetCrossEntropy(logits: $0[0], targets: $0[1])
    },
    OpCase(name: "cross-entropy (hard labels)", shapes: [[4, 3]]) {
        Tensor.crossEntropy(logits: $0[0].tanh() * 2, labels: [2, 0, 1, 2])
    },
    OpCase(name: "binary cross-entropy with logits", shapes: [[5, 1], [5, 1]]) {
        Tensor.binaryCrossEntropy(logits: $0[0] * 2, targets: $0[1])
    },
    OpCase(name: "dropout with mask", shapes: [[3, 4]]) {
        var rng = RandomGenerator(seed: 3)
        return $0[0].squared().dropout(mask: .dropoutMask([3, 4], probability: 0.5, dtype: .float64, using: &rng))
    },
]

@Test(arguments: opCases)
func derivativesMatchFiniteDifferences(_ op: OpCase) {
    var rng = RandomGenerator(seed: 11)
    let inputs = op.shapes.map { shape -> Tensor in
        let t = Tensor.randomNormal(shape, dtype: .float64, using: &rng)
        return op.positive ? (t.squared() + 0.5) : t
    }
    let result = GradientCheck.check(inputs, op.f)
    #expect(result.firstOrderError <= 1e-6, "\(op.name): \(result)")
    #expect(result.secondOrderError <= 1e-6, "\(op.name): \(result)")
}

/// A check that cannot pass by accident: a deliberately wrong backward rule is caught.
@Test func gradientCheckCatchesAWrongRule() {
    var rng = RandomGenerator(seed: 1)
    let x = Tensor.randomNormal([4], dtype: .float64, using: &rng)
    let wrong = GradientCheck.check([x]) { xs in
        Tensor.record("badSquare", xs[0].detached().squared(), [xs[0]]) { c in [c.grad * c.inputs[0]] }  // missing ×2
    }
    #expect(wrong.firstOrderError > 0.1)
}

/// A backward rule that is right to first order but treats the output as a constant (the
/// classic create_graph bug) is caught by the second-order check only.
@Test func gradientCheckCatchesAConstantInTheBackwardPass() {
    var rng = RandomGenerator(seed: 2)
    let x = Tensor.randomNormal([5], dtype: .float64, using: &rng)
    let result = GradientCheck.check([x]) { xs in
        Tensor.record("tanhDetached", xs[0].detached().tanh(), [xs[0]]) { c in
            [c.grad * (1 - c.output.detached().squared())]
        }
    }
    #expect(result.firstOrderError <= 1e-6)
    #expect(result.secondOrderError > 0.1)
}
