/// The architectures by name, as the command line gives them.
public enum ModelKind: String, CaseIterable, Codable, Sendable {
    case textcnn, birnn, bilstm, bigru, bow, lenet, alexcifarnet, convnet3, mlp

    public var isText: Bool { [.textcnn, .birnn, .bilstm, .bigru, .bow].contains(self) }
    public var isRecurrent: Bool { [.birnn, .bilstm, .bigru].contains(self) }
    /// Over feature vectors [N, D] (the demo's synthetic task).
    public var isVector: Bool { self == .mlp }
    public var isImage: Bool { !isText && !isVector }

    public static var textKinds: [ModelKind] { allCases.filter(\.isText) }
    public static var imageKinds: [ModelKind] { allCases.filter(\.isImage) }
}

/// Everything needed to rebuild a model: its kind, task size and hyperparameters. Stored in
/// distilled artifacts, so `evaluate` builds the very network a set was distilled for.
public struct ModelDescription: Codable, Equatable, Sendable {
    public var kind: ModelKind
    public var classes: Int
    /// Embedding dimension (text), image channels, or feature count (vectors).
    public var inputDimension: Int
    /// Image side length (image models).
    public var imageSize: Int?
    /// TextCNN: filters per width, the widths, dropout.
    public var filters: Int?
    public var widths: [Int]?
    public var dropout: Double?
    /// Recurrent models: hidden size, layers, whether padding is skipped for real data.
    public var hidden: Int?
    public var layers: Int?
    public var respectLengths: Bool?
    /// Models that read token ids: the vocabulary size (bag of words, or a learned embedding layer).
    public var vocabularySize: Int?
    /// Text models: learn an embedding layer of `inputDimension` from scratch over token ids.
    public var learnsEmbeddings: Bool?

    public init(
        kind: ModelKind, classes: Int, inputDimension: Int, imageSize: Int? = nil, filters: Int? = nil,
        widths: [Int]? = nil,
        dropout: Double? = nil, hidden: Int? = nil, layers: Int? = nil, respectLengths: Bool? = nil,
        vocabularySize: Int? = nil, learnsEmbeddings: Bool? = nil
    ) {
        self.vocabularySize = vocabularySize
        self.learnsEmbeddings = learnsEmbeddings
        self.kind = kind
        self.classes = classes
        self.inputDimension = inputDimension
        self.imageSize = imageSize
        self.filters = filters
        self.widths = widths
        self.dropout = dropout
        self.hidden = hidden
        self.layers = layers
        self.respectLengths = respectLengths
    }

    /// A hyperparameter that stops `make()`, with the value given.
    public enum Problem: Equatable, Sendable, CustomStringConvertible {
        case classes(Int)
        case inputDimension(Int)
        case filters(Int)
        case widths([Int])
        case dropout(Double)
        case hidden(Int)
        case layers(Int)
        case imageSize(ModelKind, Int?)
        case vocabularySize(ModelKind)
        case learnedEmbeddings(ModelKind)

        public var description: String {
            switch self {
            case .classes(let c): return "a classifier needs at least 2 classes, got \(c)"
            case .inputDimension(let d): return "the input dimension must be positive, got \(d)"
            case .filters(let f): return "the TextCNN filter count must be positive, got \(f)"
            case .widths(let w): return "the TextCNN filter widths must be positive integers, got \(w)"
            case .dropout(let d): return "the dropout rate must lie in [0, 1), got \(d)"
            case .hidden(let h): return "the recurrent hidden size must be positive, got \(h)"
            case .layers(let l): return "the recurrent layer count must be positive, got \(l)"
            case .imageSize(.alexcifarnet, _): return "alexcifarnet takes 32×32 images"
            case .imageSize(.lenet, let size?): return "lenet takes 28×28 or 32×32 images, not \(size)×\(size)"
            case .imageSize(let kind, _): return "\(kind.rawValue) needs an image size"
            case .vocabularySize(let kind): return "\(kind.rawValue) reads token ids and needs the vocabulary size"
            case .learnedEmbeddings: return "only textcnn and the recurrent models can learn an embedding layer"
            }
        }
    }

    /// What would stop `make()`; empty when it can be built.
    public var problems: [Problem] {
        var p: [Problem] = []
        if classes < 2 { p.append(.classes(classes)) }
        if inputDimension < 1 { p.append(.inputDimension(inputDimension)) }
        if let f = filters, f < 1 { p.append(.filters(f)) }
        if let w = widths, w.isEmpty || w.contains(where: { $0 < 1 }) { p.append(.widths(w)) }
        if let d = dropout, !(0..<1).contains(d) { p.append(.dropout(d)) }
        if let h = hidden, h < 1 { p.append(.hidden(h)) }
        if let l = layers, l < 1 { p.append(.layers(l)) }
        if kind.isImage && imageSize == nil { p.append(.imageSize(kind, nil)) }
        if kind == .alexcifarnet && imageSize != 32 { p.append(.imageSize(kind, imageSize)) }
        if kind == .lenet, let size = imageSize, ![28, 32].contains(size) { p.append(.imageSize(kind, size)) }
        if readsTokenIDs && !((vocabularySize ?? 0) > 0) { p.append(.vocabularySize(kind)) }
        if learnsEmbeddings == true && (!kind.isText || kind == .bow) { p.append(.learnedEmbeddings(kind)) }
        return p
    }

    /// Whether the model reads token ids [N, L] rather than embeddings [N, L, D] or images.
    public var readsTokenIDs: Bool { kind == .bow || learnsEmbeddings == true }

    public func make() -> any Model {
        precondition(problems.isEmpty, "ModelDescription: \(problems.map(\.description).joined(separator: "; "))")
        // `problems` requires these for the kinds that read them.
        let vocabularySize = self.vocabularySize ?? 0
        let imageSize = self.imageSize ?? 0
        if learnsEmbeddings == true {
            var inner = self
            inner.learnsEmbeddings = nil
            return LearnedEmbedding(vocabularySize: vocabularySize, dimension: inputDimension, inner: inner.make())
        }
        let cell: RecurrentClassifier.Cell
        switch kind {
        case .textcnn:
            return TextCNN(
                embeddingDimension: inputDimension, classes: classes, filters: filters ?? 100,
                widths: widths ?? [3, 4, 5],
                dropout: dropout ?? 0.5)
        case .birnn: cell = .rnn
        case .bilstm: cell = .lstm
        case .bigru: cell = .gru
        case .bow: return BagOfWords(vocabularySize: vocabularySize, classes: classes)
        case .lenet: return LeNet(channels: inputDimension, imageSize: imageSize, classes: classes)
        case .alexcifarnet: return AlexCifarNet(channels: inputDimension, classes: classes)
        case .convnet3: return ConvNet3(channels: inputDimension, imageSize: imageSize, classes: classes)
        case .mlp: return MLP(inputDimension: inputDimension, hidden: hidden ?? 32, classes: classes)
        }
        return RecurrentClassifier(
            cell: cell, embeddingDimension: inputDimension, classes: classes, hidden: hidden ?? 100,
            layers: layers ?? 2, respectLengths: respectLengths ?? true)
    }
}
