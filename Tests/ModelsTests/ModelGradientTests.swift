import Models
import TensorCore
import Testing

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
    ModelCase(
        name: "TextCNN", model: TextCNN(embeddingDimension: 3, classes: 3, filters: 2, widths: [2, 3]),
        input: [2, 5, 3], lengths: nil, directional: false),
    ModelCase(
        name: "Bi-RNN", model: RecurrentClassifier(cell: .rnn, embeddingDimension: 2, classes: 3, hidden: 3, layers: 2),
        input: [2, 4, 2], lengths: [4, 2], directional: false),
    ModelCase(
        name: "Bi-LSTM",
        model: RecurrentClassifier(cell: .lstm, embeddingDimension: 2, classes: 3, hidden: 2, layers: 2),
        input: [2, 3, 2], lengths: [3, 1], directional: false),
    ModelCase(
        name: "Bi-GRU (binary)",
        model: RecurrentClassifier(cell: .gru, embeddingDimension: 2, classes: 2, hidden: 2, layers: 2),
        input: [2, 3, 2], lengths: nil, directional: false),
    ModelCase(
        name: "ConvNet-3", model: ConvNet3(channels: 1, imageSize: 8, classes: 3, width: 2), input: [2, 1, 8, 8],
        lengths: nil, directional: false),
    ModelCase(
        name: "LeNet", model: LeNet(channels: 1, imageSize: 28, classes: 10), input: [1, 1, 28, 28], lengths: nil,
        directional: true),
    ModelCase(
        name: "MLP", model: MLP(inputDimension: 3, hidden: 4, classes: 3), input: [2, 3], lengths: nil,
        directional: false),
]

@Test(arguments: modelCases)
func modelDerivativesMatchFiniteDifferences(_ c: ModelCase) {
    var rng = RandomGenerator(seed: 21)
    let parameters = c.model.initialParameters(dtype: .float64, using: &rng).map {
        $0 + Tensor.randomNormal($0.shape, std: 0.1, dtype: .float64, using: &rng)
    }
    let input = Tensor.randomNormal(c.input, dtype: .float64, using: &rng)
    let f: ([Tensor]) -> Tensor = { xs in c.model.logits(Array(xs.dropFirst()), xs[0], lengths: c.lengths) }
    let result =
        c.directional
        ? GradientCheck.checkDirectional([input] + parameters, directions: 2, f)
        : GradientCheck.check([input] + parameters, f)
    #expect(result.firstOrderError <= 1e-6, "\(c.name): \(result)")
    #expect(result.secondOrderError <= 1e-6, "\(c.name): \(result)")
}

/// Models over token ids (bag of words, a learned embedding layer): first and second
/// derivatives w.r.t. their parameters against finite differences in Double; the ids are data.
@Test(arguments: [
    ("bag of words", BagOfWords(vocabularySize: 7, classes: 3) as any Model),
    (
        "TextCNN + learned embedding",
        LearnedEmbedding(
            vocabularySize: 7, dimension: 3,
            inner: TextCNN(embeddingDimension: 3, classes: 2, filters: 2, widths: [2]))
    ),
])
func tokenIDModelDerivativesMatchFiniteDifferences(_ name: String, _ model: any Model) {
    var rng = RandomGenerator(seed: 22)
    let parameters = model.initialParameters(dtype: .float64, using: &rng).map {
        $0 + Tensor.randomNormal($0.shape, std: 0.1, dtype: .float64, using: &rng)
    }
    let ids = Tensor([2, 5, 6, 1, 3, 3, 1, 1], shape: [2, 4], dtype: .float64)
    let result = GradientCheck.check(parameters) { w in model.logits(w, ids, lengths: [3, 2]) }
    #expect(result.firstOrderError <= 1e-6, "\(name): \(result)")
    #expect(result.secondOrderError <= 1e-6, "\(name): \(result)")
}

/// The bag of words reads the mean of its words' rows (padding after the length left out).
@Test func bagOfWordsAveragesTheRowsOfItsWords() {
    let model = BagOfWords(vocabularySize: 4, classes: 3)
    let table = Tensor((0..<12).map { Double($0) }, shape: [4, 3], dtype: .float64)
    let bias = Tensor([0.5, -1, 2], shape: [3], dtype: .float64)
    let z = model.logits([table, bias], Tensor([2, 3, 1, 0, 0, 0], shape: [2, 3], dtype: .float64), lengths: [2, 3])
        .doubles
    // Row 0: mean of rows 2 and 3 = (7.5, 8.5, 9.5); row 1: row 0 = (0, 1, 2).
    #expect(z == [8, 7.5, 11.5, 0.5, 0, 4])
}
