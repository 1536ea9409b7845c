import Testing

@testable import TensorCore

@Test func gradientOfGradientIsTheHessian() {
    // f(x) = Σ x³ → ∇f = 3x², H = diag(6x).
    let x = Tensor([1.0, -2, 0.5], shape: [3]).requiringGrad()
    let g = gradients(of: (x * x * x).sum(), withRespectTo: [x], createGraph: true)[0]
    #expect(g.doubles == [3, 12, 0.75])
    #expect(g.isRecorded)
    let h = gradients(of: g.sum(), withRespectTo: [x])[0]
    #expect(h.doubles == [6, -12, 3])
    #expect(!h.isRecorded)
    // A third derivative through two recorded backward passes: d³/dx³ Σx³ = 6.
    let g2 = gradients(of: g.sum(), withRespectTo: [x], createGraph: true)[0]
    #expect(gradients(of: g2.sum(), withRespectTo: [x])[0].doubles == [6, 6, 6])
}

@Test func unusedInputsGetZerosAndConstantsRecordNothing() {
    let x = Tensor([1.0, 2], shape: [2]).requiringGrad()
    let unused = Tensor([5.0], shape: [1]).requiringGrad()
    let grads = gradients(of: x.squared().sum(), withRespectTo: [x, unused])
    #expect(grads[1].doubles == [0])
    let c = Tensor([1.0, 2], shape: [2])
    #expect(!(c * c).isRecorded)
    #expect(!withoutGradients { x * x }.isRecorded)
    #expect(GradMode.isEnabled)
}

@Test func gradientsFlowThroughAnIntermediateTargetToEarlierOnes() {
    // w1 = 2·w0; L = Σ w1². Asking for both: dL/dw1 = 2w1, dL/dw0 = 8w0 (through w1).
    let w0 = Tensor([1.0, 3], shape: [2]).requiringGrad()
    let w1 = w0 * 2
    let g = gradients(of: w1.squared().sum(), withRespectTo: [w1, w0])
    #expect(g[0].doubles == [4, 12])
    #expect(g[1].doubles == [8, 24])
}

@Test func traversalStopsAtTheRequestedInput() {
    // A long history before w; the gradient w.r.t. w must only visit what came after it.
    var h = Tensor([0.5], shape: [1]).requiringGrad()
    for _ in 0..<5000 { h = h * 1.0001 }
    let w = h.tanh()
    let loss = (w * w * 3).sum()
    let order = backwardOrder(from: loss, targets: [ObjectIdentifier(w)], oldest: w.sequence)
    #expect(order.tensors.count <= 4)
    let g = gradients(of: loss, withRespectTo: [w])[0]
    #expect(abs(g.item - 6 * w.item) < 1e-12)
}

@Test func freeingAVeryLongGraphDoesNotOverflowTheStack() {
    let before = MemoryStats.threadNetBuffers
    do {
        var h = Tensor([1.0], shape: [1]).requiringGrad()
        for _ in 0..<300_000 { h = h + 1 }
        #expect(h.item == 300_001)
    }
    #expect(MemoryStats.threadNetBuffers == before)
}

@Test func detachedSharesValuesWithoutHistory() {
    let x = Tensor([2.0], shape: [1]).requiringGrad()
    let y = (x * 3).detached()
    #expect(!y.isRecorded && !y.requiresGrad && y.item == 6)
}
