/// The architectures by name, as the command line gives them.
public enum ModelKind: String, CaseIterable, Sendable {
    case textcnn, birnn, bilstm, bigru, lenet, alexcifarnet, convnet3

    public var isText: Bool { [.textcnn, .birnn, .bilstm, .bigru].contains(self) }

    /// A text model over `dimension`-d embeddings. `respectLengths: false` runs recurrent models
    /// over the padding, as the reference does.
    public func textModel(dimension: Int, classes: Int, respectLengths: Bool = true) -> any Model {
        switch self {
        case .textcnn: return TextCNN(embeddingDimension: dimension, classes: classes)
        case .birnn: return RecurrentClassifier(cell: .rnn, embeddingDimension: dimension, classes: classes, respectLengths: respectLengths)
        case .bilstm: return RecurrentClassifier(cell: .lstm, embeddingDimension: dimension, classes: classes, respectLengths: respectLengths)
        case .bigru: return RecurrentClassifier(cell: .gru, embeddingDimension: dimension, classes: classes, respectLengths: respectLengths)
        default: preconditionFailure("\(rawValue) is an image model")
        }
    }

    /// An image model for [channels, size, size] inputs.
    public func imageModel(channels: Int, size: Int, classes: Int) -> any Model {
        switch self {
        case .lenet: return LeNet(channels: channels, imageSize: size, classes: classes)
        case .alexcifarnet: return AlexCifarNet(channels: channels, classes: classes)
        case .convnet3: return ConvNet3(channels: channels, imageSize: size, classes: classes)
        default: preconditionFailure("\(rawValue) is a text model")
        }
    }
}
