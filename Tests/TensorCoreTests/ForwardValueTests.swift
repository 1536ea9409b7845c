import Foundation
import Testing

@testable import TensorCore

/// Forward values against direct, obviously-correct computations (the derivative checks only
/// prove that backward rules agree with forward ones).

private func close(_ a: [Double], _ b: [Double], _ tol: Double = 1e-12) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tol * max(1, abs($1)) }
}

@Test(arguments: [DType.float32, .float64])
func matmulMatchesNaiveProduct(dtype: DType) {
    var rng = RandomGenerator(seed: 1)
    let a = Tensor.randomNormal([5, 7], dtype: dtype, using: &rng)
    let b = Tensor.randomNormal([7, 3], dtype: dtype, using: &rng)
    let (x, y) = (a.doubles, b.doubles)
    var expected = [Double](repeating: 0, count: 15)
    for i in 0..<5 { for j in 0..<3 { for k in 0..<7 { expected[i * 3 + j] += x[i * 7 + k] * y[k * 3 + j] } } }
    let tol = dtype == .float32 ? 1e-5 : 1e-12
    #expect(close(a.matmul(b).doubles, expected, tol))
    #expect(close(a.transposed().matmul(b, transposeSelf: true).doubles, expected, tol))
    #expect(close(a.matmul(b.transposed(), transposeOther: true).doubles, expected, tol))
    #expect(
        close(a.transposed().matmul(b.transposed(), transposeSelf: true, transposeOther: true).doubles, expected, tol))
}

@Test func conv2dMatchesDirectConvolution() {
    var rng = RandomGenerator(seed: 2)
    let (n, c, h, w, f, kh, kw, s, p) = (2, 3, 6, 5, 4, 3, 2, 2, 1)
    let x = Tensor.randomNormal([n, c, h, w], dtype: .float64, using: &rng)
    let wt = Tensor.randomNormal([f, c, kh, kw], dtype: .float64, using: &rng)
    let b = Tensor.randomNormal([f], dtype: .float64, using: &rng)
    let y = x.conv2d(weight: wt, bias: b, stride: (s, s), padding: (p, p))
    let (oh, ow) = ((h + 2 * p - kh) / s + 1, (w + 2 * p - kw) / s + 1)
    #expect(y.shape == [n, f, oh, ow])
    let (xv, wv, bv) = (x.doubles, wt.doubles, b.doubles)
    var expected: [Double] = []
    for i in 0..<n {
        for o in 0..<f {
            for r in 0..<oh {
                for q in 0..<ow {
                    var acc = bv[o]
                    for ch in 0..<c {
                        for a in 0..<kh {
                            for e in 0..<kw {
                                let (yy, xx) = (r * s - p + a, q * s - p + e)
                                if yy >= 0 && yy < h && xx >= 0 && xx < w {
                                    acc += xv[((i * c + ch) * h + yy) * w + xx] * wv[((o * c + ch) * kh + a) * kw + e]
                                }
                            }
                        }
                    }
                    expected.append(acc)
                }
            }
        }
    }
    #expect(close(y.doubles, expected))
}

@Test func im2colAndCol2imAreAdjoint() {
    var rng = RandomGenerator(seed: 3)
    let g = ConvGeometry(n: 2, c: 3, h: 5, w: 6, kh: 3, kw: 2, sh: 2, sw: 1, ph: 1, pw: 2)
    let x = Tensor.randomNormal([g.n, g.c, g.h, g.w], dtype: .float64, using: &rng)
    let cols = x.im2col(kernel: (g.kh, g.kw), stride: (g.sh, g.sw), padding: (g.ph, g.pw))
    let y = Tensor.randomNormal(cols.shape, dtype: .float64, using: &rng)
    let lhs = (cols * y).sum().item
    let rhs = (x * y.col2im(g)).sum().item
    #expect(abs(lhs - rhs) < 1e-10 * max(1, abs(lhs)))
}

@Test func broadcastingFollowsNumPy() {
    let a = Tensor([1.0, 2, 3], shape: [3, 1])
    let b = Tensor([10.0, 20], shape: [2])
    #expect((a + b).shape == [3, 2])
    #expect((a + b).doubles == [11, 21, 12, 22, 13, 23])
    #expect((b - a).doubles == [9, 19, 8, 18, 7, 17])
    #expect((a * b).sum(axis: 0).doubles == [60, 120])
    #expect((a + b).sum(toShape: [3, 1]).doubles == [32, 34, 36])
    #expect(Tensor([1.0, 2], shape: [2, 1]).broadcast(to: [2, 3]).doubles == [1, 1, 1, 2, 2, 2])
}

@Test func reductionsAndMaxima() {
    let x = Tensor([3.0, 1, 3, -2, 5, 5], shape: [2, 3])
    let (v, i) = x.max(axis: 1)
    #expect(v.doubles == [3, 5])
    #expect(i == [0, 4])  // ties go to the first maximum
    #expect(x.max(axis: 0).values.doubles == [3, 5, 5])
    #expect(x.argmax(axis: 1) == [0, 1])
    #expect(x.argmax(axis: 0) == [0, 1, 1])
    #expect(x.sum().item == 15)
    let means: [Double] = [7.0 / 3, 8.0 / 3]
    #expect(close(x.mean(axes: [1]).doubles, means))
    let pooled = Tensor((0..<16).map(Double.init), shape: [1, 1, 4, 4]).maxPool2d(kernel: (2, 2))
    #expect(pooled.doubles == [5, 7, 13, 15])
}

@Test func logSoftmaxIsStableAndNormalised() {
    let x = Tensor([1000.0, 0, -1000, 1, 2, 3], shape: [2, 3])
    let y = x.logSoftmax()
    #expect(y.isFinite)
    let p = y.exp().sum(axis: 1).doubles
    #expect(close(p, [1, 1]))
    let logZ: Double = log(exp(1.0) + exp(2.0) + exp(3.0))
    let expected: [Double] = [1 - logZ, 2 - logZ, 3 - logZ]
    #expect(close(Array(y.doubles[3...]), expected))
}

@Test func lossesMatchTheirDefinitions() {
    let z = Tensor([2.0, -1, 0.5, 0, 3, -2], shape: [2, 3])
    let y = Tensor([1.0, 0, 0, -0.5, 2, 0], shape: [2, 3])  // raw soft labels, negative allowed
    let lsm = z.logSoftmax().doubles
    let soft = -(zip(lsm, y.doubles).map { $0 * $1 }.reduce(0, +)) / 2
    #expect(close([Tensor.softTargetCrossEntropy(logits: z, targets: y).item], [soft]))
    let hard = -(lsm[2] + lsm[4]) / 2
    #expect(close([Tensor.crossEntropy(logits: z, labels: [2, 1]).item], [hard]))
    let zb = Tensor([40.0, -40, 0.3], shape: [3, 1])
    let yb = Tensor([1.0, 0, 0.7], shape: [3, 1])
    let bce =
        [(40.0, 1.0), (-40, 0), (0.3, 0.7)].map { z, t in max(z, 0) - z * t + log1p(exp(-abs(z))) }.reduce(0, +) / 3
    #expect(close([Tensor.binaryCrossEntropy(logits: zb, targets: yb).item], [bce]))
}

@Test func shapeOpsMoveValuesCorrectly() {
    let x = Tensor((0..<24).map(Double.init), shape: [2, 3, 4])
    let p = x.permuted([2, 0, 1])
    #expect(p.shape == [4, 2, 3])
    #expect(p.doubles[0..<6] == [0, 4, 8, 12, 16, 20])
    #expect(x.slice(axis: 1, 1..<2).doubles == [4, 5, 6, 7, 16, 17, 18, 19])
    let cat = Tensor.concat([x.slice(axis: 2, 0..<1), x.slice(axis: 2, 1..<4)], axis: 2)
    #expect(cat.doubles == x.doubles)
    #expect(
        Tensor.stack([Tensor([1.0, 2], shape: [2]), Tensor([3.0, 4], shape: [2])], axis: 1).doubles == [1, 3, 2, 4])
    #expect(Tensor([1.0, 2], shape: [2]).padded(axis: 0, before: 1, after: 2).doubles == [0, 1, 2, 0, 0])
    let table = Tensor([0.0, 1, 10, 11, 20, 21], shape: [3, 2])
    #expect(Tensor.embedding(table, ids: [2, 0], shape: [1, 2]).doubles == [20, 21, 0, 1])
}

@Test func pointwiseValuesAndExtremes() {
    let x = Tensor([-800.0, -1, 0, 1, 800], shape: [5])
    #expect(x.sigmoid().isFinite && x.softplus().isFinite)
    let l1: Double = log1p(exp(-1.0))
    let softplusExpected: [Double] = [0, l1, log(2.0), 1 + l1, 800]
    #expect(close(x.softplus().doubles, softplusExpected))
    let s1: Double = 1 / (1 + exp(1.0))
    let sigmoidExpected: [Double] = [0, s1, 0.5, 1 - s1, 1]
    #expect(close(x.sigmoid().doubles, sigmoidExpected))
    #expect(x.relu().doubles == [0, 0, 0, 1, 800])
    let f = Tensor([Float(-800), -1, 0, 1, 800], shape: [5])
    #expect(f.sigmoid().isFinite && f.softplus().isFinite && f.softplus().floats[4] == 800)
}

/// Large enough batches split across cores (im2col, per-image products, the weight-gradient
/// sum); the result must equal a direct computation and the single-part gradient.
@Test func batchSplitConvolutionMatchesDirectComputation() {
    var rng = RandomGenerator(seed: 21)
    let x = Tensor.randomNormal([128, 3, 16, 16], dtype: .float64, using: &rng)
    let w = Tensor.randomNormal([8, 3, 3, 3], dtype: .float64, using: &rng).requiringGrad()
    #expect(Parallel.parts(count: 128, grain: 4_000_000 / (2 * 8 * 27 * 196)) >= Swift.min(Parallel.ways, 2))
    let y = x.conv2d(weight: w, padding: (1, 1))
    let (xv, wv, yv) = (x.doubles, w.doubles, y.doubles)
    var worst = 0.0
    for n in stride(from: 0, to: 128, by: 37) {
        for f in 0..<8 {
            for oy in [0, 7, 15] {
                for ox in [0, 9, 15] {
                    var s = 0.0
                    for c in 0..<3 {
                        for i in 0..<3 {
                            for j in 0..<3 {
                                let (yy, xx) = (oy + i - 1, ox + j - 1)
                                if yy >= 0 && yy < 16 && xx >= 0 && xx < 16 {
                                    s += xv[((n * 3 + c) * 16 + yy) * 16 + xx] * wv[((f * 3 + c) * 3 + i) * 3 + j]
                                }
                            }
                        }
                    }
                    worst = Swift.max(worst, abs(s - yv[((n * 8 + f) * 16 + oy) * 16 + ox]))
                }
            }
        }
    }
    #expect(worst < 1e-12)
    // The weight gradient summed in parts equals the sum of per-image gradients.
    let g = gradients(of: y.sum(), withRespectTo: [w])[0].doubles
    var direct = [Double](repeating: 0, count: w.count)
    for n in 0..<128 {
        let gi = gradients(
            of: x.slice(axis: 0, n..<(n + 1)).conv2d(weight: w, padding: (1, 1)).sum(), withRespectTo: [w])[0].doubles
        for k in direct.indices { direct[k] += gi[k] }
    }
    #expect(GradientCheck.relativeError(g, direct) < 1e-12)
}

/// The fused LSTM cell equals the cell written with separate ops, and its fused backward
/// (no graph) equals its composite backward (graph recorded).
@Test func fusedLSTMCellMatchesItsDefinition() {
    var rng = RandomGenerator(seed: 31)
    let z = Tensor.randomNormal([5, 12], dtype: .float64, using: &rng).requiringGrad()
    let c = Tensor.randomNormal([5, 3], dtype: .float64, using: &rng).requiringGrad()
    let i = z.slice(axis: 1, 0..<3).sigmoid()
    let f = z.slice(axis: 1, 3..<6).sigmoid()
    let g = z.slice(axis: 1, 6..<9).tanh()
    let o = z.slice(axis: 1, 9..<12).sigmoid()
    let memory = f * c + i * g
    let output = o * memory.tanh()
    let fusedMemory = z.lstmMemory(previous: c)
    let fusedOutput = z.lstmOutput(memory: fusedMemory)
    #expect(GradientCheck.relativeError(fusedMemory.doubles, memory.doubles) < 1e-14)
    #expect(GradientCheck.relativeError(fusedOutput.doubles, output.doubles) < 1e-14)
    let loss = (fusedOutput * fusedOutput + fusedMemory).sum()
    let plain = gradients(of: loss, withRespectTo: [z, c])
    let recorded = gradients(of: loss, withRespectTo: [z, c], createGraph: true)
    let reference = gradients(of: (output * output + memory).sum(), withRespectTo: [z, c])
    for k in 0..<2 {
        #expect(GradientCheck.relativeError(plain[k].doubles, recorded[k].doubles) < 1e-14)
        #expect(GradientCheck.relativeError(plain[k].doubles, reference[k].doubles) < 1e-14)
    }
}

/// The fused convolution and max over time equals im2col, a product and `max(axis:)` (the
/// composition TextCNN used before), and its fused backward equals its recorded one, over
/// more texts than one chunk of the forward pass holds.
@Test func maxWindowResponseMatchesItsDefinition() {
    var rng = RandomGenerator(seed: 37)
    let (n, l, d, k, f) = (300, 17, 5, 4, 7)
    let x = Tensor.randomNormal([n, l, d], dtype: .float64, using: &rng).requiringGrad()
    let w = Tensor.randomNormal([f, k * d], dtype: .float64, using: &rng).requiringGrad()
    let fused = x.maxWindowResponse(filters: w, width: k)
    let windows = x.reshaped([n, 1, l, d]).im2col(kernel: (k, d)).reshaped([n * (l - k + 1), k * d])
    let composite = windows.matmul(w, transposeOther: true).reshaped([n, l - k + 1, f]).max(axis: 1).values
    #expect(GradientCheck.relativeError(fused.doubles, composite.doubles) < 1e-14)
    let weights = Tensor.randomNormal([n, f], dtype: .float64, using: &rng)
    let plain = gradients(of: (fused * weights).sum(), withRespectTo: [x, w])
    let recorded = gradients(of: (fused * weights).sum(), withRespectTo: [x, w], createGraph: true)
    let reference = gradients(of: (composite * weights).sum(), withRespectTo: [x, w])
    for i in 0..<2 {
        #expect(GradientCheck.relativeError(plain[i].doubles, recorded[i].doubles) < 1e-14)
        #expect(GradientCheck.relativeError(plain[i].doubles, reference[i].doubles) < 1e-14)
    }
}

/// The LSTM layer as one op equals the fused cell stepped position by position, with and
/// without masks, in both directions; its fused backward equals its recorded one and the
/// stepped cell's.
@Test(arguments: [false, true])
func lstmSequenceMatchesTheSteppedCell(reverse: Bool) {
    var rng = RandomGenerator(seed: 41)
    let (l, n, h) = (6, 5, 3)
    let zx = Tensor.randomNormal([l, n, 4 * h], dtype: .float64, using: &rng).requiringGrad()
    let w = Tensor.randomNormal([4 * h, h], dtype: .float64, using: &rng).requiringGrad()
    let lengths = [6, 1, 3, 0, 5]
    for masks in [
        nil, Tensor((0..<l).flatMap { t in lengths.map { t < $0 ? 1.0 : 0.0 } }, shape: [l, n, 1], dtype: .float64),
    ] {
        let fused = zx.lstmSequence(recurrent: w, masks: masks, reverse: reverse)
        let stepped = steppedLSTM(zx, w, masks: masks, reverse: reverse)
        #expect(GradientCheck.relativeError(fused.doubles, stepped.doubles) < 1e-14)
        let weights = Tensor.randomNormal([l, n, h], dtype: .float64, using: &rng)
        let plain = gradients(of: (fused * weights).sum(), withRespectTo: [zx, w])
        let recorded = gradients(of: (fused * weights).sum(), withRespectTo: [zx, w], createGraph: true)
        let reference = gradients(of: (stepped * weights).sum(), withRespectTo: [zx, w])
        for i in 0..<2 {
            #expect(GradientCheck.relativeError(plain[i].doubles, recorded[i].doubles) < 1e-13)
            #expect(GradientCheck.relativeError(plain[i].doubles, reference[i].doubles) < 1e-13)
        }
    }
}

/// Float32 runs the vectorised C step kernels (`lstm_cell.c`); they agree with the float64
/// loops to float32 rounding, with and without masks, in both directions, values and
/// gradients (a width that is no multiple of any vector length, so the tails run too).
@Test(arguments: [false, true])
func lstmSequenceFloat32KernelsMatchFloat64(reverse: Bool) {
    var rng = RandomGenerator(seed: 43)
    let (l, n, h) = (7, 9, 19)
    let zx = Tensor.randomNormal([l, n, 4 * h], dtype: .float64, using: &rng)
    let w = Tensor.randomNormal([4 * h, h], dtype: .float64, using: &rng) * Tensor.full([1], 0.3, dtype: .float64)
    let weights = Tensor.randomNormal([l, n, h], dtype: .float64, using: &rng)
    let lengths = [7, 1, 3, 0, 5, 2, 6, 7, 4]
    func mask(_ lengths: [Int]) -> Tensor {
        Tensor((0..<l).flatMap { t in lengths.map { t < $0 ? 1.0 : 0.0 } }, shape: [l, n, 1], dtype: .float64)
    }
    // Unsorted texts take the masked path; sorted longest first, the packed one.
    for masks in [nil, mask(lengths), mask(lengths.sorted(by: >))] {
        func run(_ dtype: DType) -> (Tensor, [Tensor]) {
            let (x, r) = (zx.converted(to: dtype).requiringGrad(), w.converted(to: dtype).requiringGrad())
            let states = x.lstmSequence(recurrent: r, masks: masks?.converted(to: dtype), reverse: reverse)
            return (states, gradients(of: (states * weights.converted(to: dtype)).sum(), withRespectTo: [x, r]))
        }
        let (single, singleGrads) = run(.float32)
        let (double, doubleGrads) = run(.float64)
        #expect(GradientCheck.relativeError(single.doubles, double.doubles) < 1e-5)
        for i in 0..<2 { #expect(GradientCheck.relativeError(singleGrads[i].doubles, doubleGrads[i].doubles) < 1e-4) }
    }
}

/// The chunked convolution equals im2col and one product per image (the composition it
/// replaced), over more images than a chunk holds and with stride and padding; its fused
/// backward equals its recorded one and the composition's.
@Test func chunkedConvolutionMatchesTheComposedOne() {
    var rng = RandomGenerator(seed: 43)
    let x = Tensor.randomNormal([70, 3, 40, 40], dtype: .float64, using: &rng).requiringGrad()  // 6 chunks
    let w = Tensor.randomNormal([4, 3, 3, 2], dtype: .float64, using: &rng).requiringGrad()
    let conv = x.conv2d(weight: w, stride: (2, 1), padding: (1, 1))
    let composed = w.reshaped([4, -1]).sharedMatmul(x.im2colPlanar(kernel: (3, 2), stride: (2, 1), padding: (1, 1)))
        .reshaped(conv.shape)
    #expect(GradientCheck.relativeError(conv.doubles, composed.doubles) < 1e-14)
    let weights = Tensor.randomNormal(conv.shape, dtype: .float64, using: &rng)
    let plain = gradients(of: (conv * weights).sum(), withRespectTo: [x, w])
    let recorded = gradients(of: (conv * weights).sum(), withRespectTo: [x, w], createGraph: true)
    let reference = gradients(of: (composed * weights).sum(), withRespectTo: [x, w])
    for i in 0..<2 {
        #expect(GradientCheck.relativeError(plain[i].doubles, recorded[i].doubles) < 1e-13)
        #expect(GradientCheck.relativeError(plain[i].doubles, reference[i].doubles) < 1e-13)
    }
}

/// Work spread over the cores comes back complete and in index order, and tensor work inside
/// the parts (each with its own graph) gives the same values as one thread.
@Test func parallelMapKeepsOrderAndValues() {
    #expect(Parallel.map(count: 101) { $0 * $0 } == (0..<101).map { $0 * $0 })
    let work: (Int) -> Double = { i in
        var rng = RandomGenerator(seed: UInt64(i))
        let w = Tensor.randomNormal([16, 16], dtype: .float64, using: &rng).requiringGrad()
        return gradients(of: w.matmul(w).tanh().sum(), withRespectTo: [w])[0].doubles.reduce(0, +)
    }
    #expect(Parallel.map(count: 8, work) == (0..<8).map(work))
}

/// `linear` with a bias is one op (the rows start as b, the product is added by gemm with
/// β = 1); it equals the product followed by the broadcast addition exactly, values and
/// gradients, in both dtypes.
@Test(arguments: [DType.float32, .float64])
func fusedLinearEqualsProductThenBias(dtype: DType) {
    var rng = RandomGenerator(seed: 53)
    let x = Tensor.randomNormal([37, 23], dtype: dtype, using: &rng).requiringGrad()
    let w = Tensor.randomNormal([19, 23], dtype: dtype, using: &rng).requiringGrad()
    let b = Tensor.randomNormal([19], dtype: dtype, using: &rng).requiringGrad()
    let r = Tensor.randomNormal([37, 19], dtype: dtype, using: &rng)
    let fused = x.linear(weight: w, bias: b)
    let composed = x.matmul(w, transposeOther: true) + b
    #expect(fused.doubles == composed.doubles)
    let g1 = gradients(of: (fused * r).sum(), withRespectTo: [x, w, b])
    let g2 = gradients(of: (composed * r).sum(), withRespectTo: [x, w, b])
    for i in 0..<3 { #expect(g1[i].doubles == g2[i].doubles) }
}
