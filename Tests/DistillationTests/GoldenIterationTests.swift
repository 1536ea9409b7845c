import Foundation
import Models
import TensorCore
import Testing

@testable import Distillation

/// One whole distillation iteration (T = 2 inner steps on one distilled step, raw soft labels,
/// two softplus rates, hard-label outer loss on a real batch) against PyTorch in float64:
/// Scripts/make-golden-distillation.py wrote the fixtures with autograd.grad(create_graph=True).
@Test(arguments: ["textcnn-iteration", "bilstm-iteration"])
func distillationIterationMatchesPyTorch(name: String) throws {
    let path = Bundle.module.path(forResource: "Golden", ofType: nil)! + "/\(name).safetensors"
    let golden = try SafeTensors.read(path)
    func t(_ key: String) -> Tensor { golden[key]! }
    let model: any Model =
        name.hasPrefix("textcnn")
        ? TextCNN(embeddingDimension: 4, classes: 3, filters: 3, widths: [2, 3], dropout: 0)
        : RecurrentClassifier(cell: .lstm, embeddingDimension: 4, classes: 3, hidden: 3, layers: 2)
    let initial = model.parameterSpecs.map { t("init." + $0.name) }
    let realX = t("real_x")
    let realY = t("real_y").doubles.map { Int32($0) }
    let train = LabelledData(labels: realY, classes: 3) { rows in
        (
            realX.reshaped([realX.shape[0], -1]).gather(rows: rows.map(Int32.init)).reshaped(
                [rows.count] + Array(realX.shape.dropFirst())), nil
        )
    }
    var settings = DistillationSettings()
    settings.epochs = 2
    let set = DistilledSet(
        inputs: [t("X")], labels: [t("Y")], rawRates: t("rho"), epochs: 2, rowClasses: [0, 1, 2], labelSoftmax: false)
    let distiller = try Distiller(model: model, settings: settings, train: train, set: set, fixedInit: initial)
    var rng = RandomGenerator(seed: 1)
    let (loss, grads) = distiller.metaGradient(rows: Array(0..<realY.count), rng: &rng)
    #expect(
        abs(loss - t("loss").item) <= 1e-12 * abs(t("loss").item),
        "\(name): outer loss \(loss) vs PyTorch \(t("loss").item)")
    for (i, key) in ["grad_X", "grad_Y", "grad_rho"].enumerated() {
        let err = GradientCheck.relativeError(grads[i].doubles, t(key).doubles)
        #expect(err <= 1e-8, "\(name): \(key) relative error \(err)")
        #expect(
            t(key).doubles.contains { abs($0) > 1e-6 }, "\(name): \(key) is all ~0; the comparison would be vacuous")
    }
}

/// Three outer iterations at MNIST's real shapes against PyTorch in float64 (LeNet, 10
/// distilled images, S = 1, E = 3, real batches of 32, which take the batch-parallel
/// convolution paths): the first meta-gradient, then the set after three Adam steps
/// (lr 0.01, betas 0.5/0.999), so the optimizer and the loop around the gradient are checked too.
@Test func lenetIterationsMatchPyTorch() throws {
    let path = Bundle.module.path(forResource: "Golden", ofType: nil)! + "/lenet-iterations.safetensors"
    let golden = try SafeTensors.read(path)
    func t(_ key: String) -> Tensor { golden[key]! }
    let model = LeNet(channels: 1, imageSize: 28, classes: 10)
    let initial = model.parameterSpecs.map { t("init." + $0.name) }
    let realX = t("real_x")
    let realY = t("real_y").doubles.map { Int32($0) }
    let train = LabelledData.images(realX, labels: realY, classes: 10)
    var settings = DistillationSettings()
    settings.epochs = 3
    settings.learningRate = 0.01
    let set = DistilledSet(
        inputs: [t("X")], labels: [t("Y")], rawRates: t("rho"), epochs: 3, rowClasses: Array(0..<10),
        labelSoftmax: false)
    let distiller = try Distiller(model: model, settings: settings, train: train, set: set, fixedInit: initial)
    let expectedLosses = t("losses").doubles
    for i in 0..<3 {
        var rng = RandomGenerator(seed: 1)
        let (loss, grads) = distiller.metaGradient(rows: Array((32 * i)..<(32 * (i + 1))), rng: &rng)
        #expect(
            abs(loss - expectedLosses[i]) <= 1e-12 * abs(expectedLosses[i]),
            "iteration \(i + 1): outer loss \(loss) vs PyTorch \(expectedLosses[i])")
        if i == 0 {
            for (g, key) in zip(grads, ["grad_X", "grad_Y", "grad_rho"]) {
                let err = GradientCheck.relativeError(g.doubles, t(key).doubles)
                #expect(err <= 1e-8, "lenet: \(key) relative error \(err)")
            }
        }
        distiller.optimizer.step(grads)
    }
    for (value, key) in zip([set.inputs[0], set.labels[0], set.rawRates], ["final_X", "final_Y", "final_rho"]) {
        let err = GradientCheck.relativeError(value.doubles, t(key).doubles)
        #expect(err <= 1e-9, "lenet after 3 Adam steps: \(key) relative error \(err)")
    }
}
