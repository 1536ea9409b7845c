import Foundation
import Models
import Testing
import TensorCore
@testable import Distillation

/// One whole distillation iteration (T = 2 inner steps on one distilled step, raw soft labels,
/// two softplus rates, hard-label outer loss on a real batch) against PyTorch in float64:
/// Scripts/make-golden-distillation.py wrote the fixtures with autograd.grad(create_graph=True).
@Test(arguments: ["textcnn-iteration", "bilstm-iteration"])
func distillationIterationMatchesPyTorch(name: String) throws {
    let path = Bundle.module.path(forResource: "Golden", ofType: nil)! + "/\(name).safetensors"
    let golden = try SafeTensors.read(path)
    func t(_ key: String) -> Tensor { golden[key]! }
    let model: any Model = name.hasPrefix("textcnn")
        ? TextCNN(embeddingDimension: 4, classes: 3, filters: 3, widths: [2, 3], dropout: 0)
        : RecurrentClassifier(cell: .lstm, embeddingDimension: 4, classes: 3, hidden: 3, layers: 2)
    let initial = model.parameterSpecs.map { t("init." + $0.name) }
    let realX = t("real_x"), realY = t("real_y").doubles.map { Int32($0) }
    let train = LabelledData(labels: realY, classes: 3) { rows in
        (realX.reshaped([realX.shape[0], -1]).gather(rows: rows.map(Int32.init)).reshaped([rows.count] + Array(realX.shape.dropFirst())), nil)
    }
    var settings = DistillationSettings()
    settings.epochs = 2
    let set = DistilledSet(inputs: [t("X")], labels: [t("Y")], rawRates: t("rho"), epochs: 2, rowClasses: [0, 1, 2], labelSoftmax: false)
    let distiller = try Distiller(model: model, settings: settings, train: train, set: set, fixedInit: initial)
    var rng = RandomGenerator(seed: 1)
    let (loss, grads) = distiller.metaGradient(rows: Array(0..<realY.count), rng: &rng)
    #expect(abs(loss - t("loss").item) <= 1e-12 * abs(t("loss").item), "\(name): outer loss \(loss) vs PyTorch \(t("loss").item)")
    for (i, key) in ["grad_X", "grad_Y", "grad_rho"].enumerated() {
        let err = GradientCheck.relativeError(grads[i].doubles, t(key).doubles)
        #expect(err <= 1e-8, "\(name): \(key) relative error \(err)")
        #expect(t(key).doubles.contains { abs($0) > 1e-6 }, "\(name): \(key) is all ~0; the comparison would be vacuous")
    }
}
