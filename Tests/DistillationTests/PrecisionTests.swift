import Foundation
import Models
import TensorCore
import Testing

@testable import Distillation

/// The float32 meta-gradient at the shapes real runs use (hidden 100, 30 positions, 50-d
/// embeddings, 28×28 images, a real batch of 64) against the same computation in float64
/// from identical values. The float64 goldens and finite-difference checks run at tiny
/// shapes, where the float32 kernels' vectorised main loops (transcendentals, the fused LSTM
/// cell, batch-parallel convolutions) are barely reached; this is where they meet real sizes.
@Test(arguments: ["bilstm", "textcnn", "lenet"])
func float32MetaGradientAgreesWithFloat64AtRealShapes(name: String) throws {
    let model: any Model
    let sample: [Int]
    let classes: Int
    let rate: Double
    switch name {
    case "bilstm":
        (model, sample, classes, rate) = (
            RecurrentClassifier(cell: .lstm, embeddingDimension: 50, classes: 6), [30, 50], 6, 1.5
        )
    case "textcnn":
        (model, sample, classes, rate) = (TextCNN(embeddingDimension: 50, classes: 6, dropout: 0), [30, 50], 6, 0.5)
    default: (model, sample, classes, rate) = (LeNet(channels: 1, imageSize: 28, classes: 10), [1, 28, 28], 10, 0.1)
    }
    var rng = RandomGenerator(seed: 11)
    let initial32 = model.initialParameters(dtype: .float32, using: &rng)
    let real32 = Tensor.randomNormal([64] + sample, std: sample.count == 2 ? 0.4 : 1, dtype: .float32, using: &rng)
    let labels = (0..<64).map { _ in Int32(rng.below(classes)) }
    let lengths: [Int]? = sample.count == 2 ? (0..<64).map { 5 + $0 % 26 } : nil
    var settings = DistillationSettings()
    settings.distillLearningRate = rate
    var setRng = RandomGenerator(seed: 12)
    let set32 = DistilledSet(
        settings: settings, classes: classes, outputs: model.outputCount, sampleShape: sample, dtype: .float32,
        using: &setRng)

    func metaGradient(_ dtype: DType) throws -> [Double] {
        let convert = { (t: Tensor) in t.converted(to: dtype) }
        let real = convert(real32)
        let train = LabelledData(labels: labels, classes: classes) { rows in
            (
                real.reshaped([64, -1]).gather(rows: rows.map(Int32.init)).reshaped([rows.count] + sample),
                lengths.map { l in rows.map { l[$0] } }
            )
        }
        let set = DistilledSet(
            inputs: set32.inputs.map(convert), labels: set32.labels.map(convert), rawRates: convert(set32.rawRates),
            epochs: 2, rowClasses: set32.rowClasses, labelSoftmax: false)
        let distiller = try Distiller(
            model: model, settings: settings, train: train, set: set, fixedInit: initial32.map(convert))
        var r = RandomGenerator(seed: 1)
        return distiller.metaGradient(rows: Array(0..<64), rng: &r).gradients.flatMap(\.doubles)
    }
    let g32 = try metaGradient(.float32)
    let g64 = try metaGradient(.float64)
    let err = GradientCheck.relativeError(g32, g64)
    FileHandle.standardError.write(Data("\(name): float32 vs float64 meta-gradient relative error \(err)\n".utf8))
    #expect(err < 1e-4, "\(name): float32 meta-gradient differs from float64 by \(err) (relative)")
    #expect(g64.contains { abs($0) > 1e-6 }, "\(name): the meta-gradient is all ~0; the comparison would be vacuous")
}
