import Foundation
import Models
import TensorCore
import Testing

@Test func initialisationRedrawsEveryParameterIncludingRecurrentOnes() {
    let m = RecurrentClassifier(cell: .lstm, embeddingDimension: 4, classes: 6)
    var a = RandomGenerator(seed: 1)
    var b = RandomGenerator(seed: 2)
    let (first, second) = (m.initialParameters(using: &a), m.initialParameters(using: &b))
    for (spec, (x, y)) in zip(m.parameterSpecs, zip(first, second)) where spec.shape.count >= 2 {
        #expect(x.floats != y.floats, "\(spec.name) was not re-drawn")
    }
    for (spec, x) in zip(m.parameterSpecs, first) where spec.shape.count == 1 {
        #expect(x.floats.allSatisfy { $0 == 0 }, "\(spec.name) should start at zero")
    }
    var c = RandomGenerator(seed: 1)
    #expect(m.initialParameters(using: &c).map(\.floats) == first.map(\.floats), "same seed, same parameters")
}

@Test func parameterLayoutsFollowPyTorch() {
    let lstm = RecurrentClassifier(cell: .lstm, embeddingDimension: 50, classes: 6)
    #expect(
        lstm.parameterSpecs.prefix(5).map(\.name) == [
            "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "rnn.weight_ih_l0_reverse",
        ])
    #expect(lstm.parameterSpecs[0].shape == [400, 50] && lstm.parameterSpecs[8].shape == [400, 200])
    #expect(lstm.parameterSpecs.last!.shape == [6] && lstm.name == "bilstm")
    let cnn = TextCNN(embeddingDimension: 50, classes: 2)
    #expect(cnn.outputCount == 1 && cnn.parameterSpecs.map(\.shape).last == [1])
    #expect(LeNet().parameterSpecs.reduce(0) { $0 + $1.shape.reduce(1, *) } == 61_706)
    #expect(AlexCifarNet().parameterSpecs.reduce(0) { $0 + $1.shape.reduce(1, *) } == 1_756_426)
}

@Test func paddingDoesNotChangeARecurrentResultUnlessAsked() {
    var rng = RandomGenerator(seed: 3)
    let m = RecurrentClassifier(cell: .gru, embeddingDimension: 3, classes: 4, hidden: 4)
    let w = m.initialParameters(dtype: .float64, using: &rng)
    let text = Tensor.randomNormal([1, 3, 3], dtype: .float64, using: &rng)
    let padded = Tensor.concat([text, Tensor.randomNormal([1, 4, 3], dtype: .float64, using: &rng)], axis: 1)
    let short = m.logits(w, text, lengths: [3]).doubles
    let long = m.logits(w, padded, lengths: [3]).doubles
    #expect(GradientCheck.relativeError(short, long) < 1e-14)
    let seedLike = RecurrentClassifier(cell: .gru, embeddingDimension: 3, classes: 4, hidden: 4, respectLengths: false)
    #expect(GradientCheck.relativeError(seedLike.logits(w, padded, lengths: [3]).doubles, short) > 1e-6)
}

/// A Bi-LSTM reads a batch longest text first (so each step computes only the texts not yet
/// ended): its logits and gradients, of first and second order, are those of each text read
/// alone, whatever order the batch comes in.
@Test func recurrentResultsDoNotDependOnTheBatchOrder() {
    var rng = RandomGenerator(seed: 11)
    let m = RecurrentClassifier(cell: .lstm, embeddingDimension: 3, classes: 4, hidden: 4)
    let w = m.initialParameters(dtype: .float64, using: &rng).map { $0.requiringGrad() }
    let lengths = [2, 5, 0, 5, 3]
    let texts = Tensor.randomNormal([5, 5, 3], dtype: .float64, using: &rng)
    let direction = Tensor.randomNormal([5, 4], dtype: .float64, using: &rng)
    func measured(_ logits: Tensor) -> [[Double]] {
        let g = gradients(of: (logits * direction).sum(), withRespectTo: w, createGraph: true)
        let again = gradients(
            of: g.map { ($0 * $0).sum() }.reduce(Tensor(scalar: 0, dtype: .float64), +), withRespectTo: w)
        return [logits.doubles] + g.map(\.doubles) + again.map(\.doubles)
    }
    let batch = measured(m.logits(w, texts, lengths: lengths))
    let alone = measured(
        Tensor.concat(
            (0..<5).map { i in m.logits(w, texts.slice(axis: 0, i..<(i + 1)), lengths: [lengths[i]]) }, axis: 0))
    for (a, b) in zip(batch, alone) { #expect(GradientCheck.relativeError(a, b) < 1e-12) }
}

@Test func dropoutOnlyInTrainingMode() {
    var rng = RandomGenerator(seed: 4)
    let m = TextCNN(embeddingDimension: 4, classes: 3, filters: 8)
    let w = m.initialParameters(using: &rng)
    let x = Tensor.randomNormal([2, 6, 4], using: &rng)
    #expect(m.logits(w, x).floats == m.logits(w, x).floats)
    var a = ForwardContext(training: true, rng: RandomGenerator(seed: 9))
    var b = ForwardContext(training: true, rng: RandomGenerator(seed: 9))
    let (ya, yb) = (m.forward(w, x, lengths: nil, context: &a), m.forward(w, x, lengths: nil, context: &b))
    #expect(ya.floats == yb.floats, "the same generator replays the same masks")
    #expect(ya.floats != m.logits(w, x).floats)
}

@Test func saveAndLoadRoundTripAndRejectMismatches() throws {
    var rng = RandomGenerator(seed: 5)
    let m = LeNet()
    let w = m.initialParameters(using: &rng)
    let dir = NSTemporaryDirectory() + "models-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try m.save(w, to: dir + "/lenet.safetensors")
    #expect(try m.load(from: dir + "/lenet.safetensors").map(\.floats) == w.map(\.floats))
    let other = LeNet(channels: 3, imageSize: 32, classes: 10)
    #expect(throws: InputError.self) { try other.load(from: dir + "/lenet.safetensors") }
    let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/lenet.safetensors"))
    try data.prefix(data.count - 4).write(to: URL(fileURLWithPath: dir + "/cut.safetensors"))
    #expect(throws: InputError.self) { try m.load(from: dir + "/cut.safetensors") }
}
