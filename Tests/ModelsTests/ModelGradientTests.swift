import Models
import Testing
import TensorCore

/// First and second derivatives of every model, w.r.t. its input and all its parameters,
/// against finite differences in Double (tiny sizes; directional for LeNet). AlexCifarNet is
/// checked against PyTorch's double backward instead (GoldenTests).
struct ModelCase: CustomTestStringConvertible, Sendable {
    let name: String
    let model: any Model
    let input: [Int]
    let lengths: [Int]?
    let directional: Bool
    var testDescription: String { name }
}

let modelCases: [ModelCase] = [
    ModelCase(name: "TextCNN", model: TextCNN(embeddingDimension: 3, classes: 3, filters: 2, widths: [2, 3]), input: [2, 5, 3], lengths: nil, directional: false),
    ModelCase(name: "Bi-RNN", model: RecurrentClassifier(cell: .rnn, embeddingDimension: 2, classes: 3, hidden: 3, layers: 2), input: [2, 4, 2], lengths: [4, 2], directional: false),
    ModelCase(name: "Bi-LSTM", model: RecurrentClassifier(cell: .lstm, embeddingDimension: 2, classes: 3, hidden: 2, layers: 2), input: [2, 3, 2], lengths: [3, 1], directional: false),
    ModelCase(name: "Bi-GRU (binary)", model: RecurrentClassifier(cell: .gru, embeddingDimension: 2, classes: 2, hidden: 2, layers: 2), input: [2, 3, 2], lengths: nil, directional: false),
    ModelCase(name: "ConvNet-3", model: ConvNet3(channels: 1, imageSize: 8, classes: 3, width: 2), input: [2, 1, 8, 8], lengths: nil, directional: false),
    ModelCase(name: "LeNet", model: LeNet(channels: 1, imageSize: 28, classes: 10), input: [1, 1, 28, 28], lengths: nil, directional: true),
]

@Test(arguments: modelCases)
func modelDerivativesMatchFiniteDifferences(_ c: ModelCase) {
    var rng = RandomGenerator(seed: 21)
    let parameters = c.model.initialParameters(dtype: .float64, using: &rng).map { $0 + Tensor.randomNormal($0.shape, std: 0.1, dtype: .float64, using: &rng) }
    let input = Tensor.randomNormal(c.input, dtype: .float64, using: &rng)
    let f: ([Tensor]) -> Tensor = { xs in c.model.logits(Array(xs.dropFirst()), xs[0], lengths: c.lengths) }
    let result = c.directional ? GradientCheck.checkDirectional([input] + parameters, directions: 2, f)
                               : GradientCheck.check([input] + parameters, f)
    #expect(result.firstOrderError <= 1e-6, "\(c.name): \(result)")
    #expect(result.secondOrderError <= 1e-6, "\(c.name): \(result)")
}
