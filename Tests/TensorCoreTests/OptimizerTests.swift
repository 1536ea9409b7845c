import Foundation
import TensorCore
import Testing

@Test func adamFollowsPyTorchsUpdate() {
    let p = Tensor([1.0, -2], shape: [2]).requiringGrad()
    let adam = Adam(parameters: [p], learningRate: 0.1, betas: (0.5, 0.999), epsilon: 1e-8)
    let grads: [[Double]] = [[0.5, -1], [0.25, 2]]
    var (m, v, w) = ([0.0, 0], [0.0, 0], [1.0, -2])
    for (t, g) in grads.enumerated() {
        adam.step([Tensor(g, shape: [2])])
        let (c1, c2) = (1 - pow(0.5, Double(t + 1)), 1 - pow(0.999, Double(t + 1)))
        for j in 0..<2 {
            m[j] = 0.5 * m[j] + 0.5 * g[j]
            v[j] = 0.999 * v[j] + 0.001 * g[j] * g[j]
            w[j] -= 0.1 / c1 * m[j] / (v[j].squareRoot() / c2.squareRoot() + 1e-8)
        }
        #expect(zip(p.doubles, w).allSatisfy { abs($0 - $1) < 1e-15 })
    }
}

@Test func sgdWithMomentumAndDecay() {
    let p = Tensor([1.0], shape: [1]).requiringGrad()
    let sgd = SGD(parameters: [p], learningRate: 0.1, momentum: 0.9, weightDecay: 0.01)
    sgd.step([Tensor([2.0], shape: [1])])  // b = 2.01, p = 1 − 0.201
    #expect(abs(p.item - 0.799) < 1e-15)
    sgd.step([Tensor([2.0], shape: [1])])  // b = 0.9·2.01 + 2 + 0.00799
    #expect(abs(p.item - (0.799 - 0.1 * (0.9 * 2.01 + 2 + 0.00799))) < 1e-15)
}

@Test func stepDecayHalvesEveryStep() {
    let schedule = StepDecay(baseLearningRate: 0.1, stepSize: 30)
    #expect(schedule.learningRate(epoch: 0) == 0.1)
    #expect(schedule.learningRate(epoch: 29) == 0.1)
    #expect(schedule.learningRate(epoch: 30) == 0.05)
    #expect(schedule.learningRate(epoch: 95) == 0.0125)
}

@Test func sgdMinimisesAQuadraticThroughGradients() {
    let w = Tensor([5.0, -3], shape: [2]).requiringGrad()
    let sgd = SGD(parameters: [w], learningRate: 0.1)
    for _ in 0..<200 { sgd.step(gradients(of: (w - 1).squared().sum(), withRespectTo: [w])) }
    #expect(w.doubles.allSatisfy { abs($0 - 1) < 1e-9 })
}
