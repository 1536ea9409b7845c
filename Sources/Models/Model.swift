import TensorCore

/// One learnable tensor of a model: its PyTorch name and shape. Weights (rank ≥ 2) are
/// initialised Xavier-normal, biases (rank 1) and norm offsets zero, norm scales one.
public struct ParameterSpec: Equatable, Sendable {
    public enum Initialization: Sendable { case xavierNormal, standardNormal, zeros, ones }
    public let name: String
    public let shape: [Int]
    public let initialization: Initialization

    public init(_ name: String, _ shape: [Int], _ initialization: Initialization? = nil) {
        self.name = name
        self.shape = shape
        self.initialization = initialization ?? (shape.count >= 2 ? .xavierNormal : .zeros)
    }
}

/// Train or eval mode for one forward pass. In training mode, dropout masks are drawn from
/// `rng`, so a step can be replayed exactly from the same generator state.
public struct ForwardContext {
    public var training: Bool
    public var rng: RandomGenerator

    public init(training: Bool, rng: RandomGenerator = RandomGenerator(seed: 0)) {
        self.training = training
        self.rng = rng
    }

    public static var evaluation: ForwardContext { ForwardContext(training: false) }
}

/// A classifier whose parameters are handed to it on every call. The model itself holds
/// only its architecture. That is what lets the distillation train it inside its own graph,
/// with parameters that are outputs of earlier training steps.
///
/// Parameter names, shapes and order follow PyTorch's `named_parameters()` for the same
/// architecture, so weights can be exchanged (docs/models.md).
public protocol Model: Sendable {
    /// A short name, e.g. "bilstm".
    var name: String { get }
    var parameterSpecs: [ParameterSpec] { get }
    /// Logits per example: the class count, or 1 for a binary task (one logit).
    var outputCount: Int { get }
    /// Logits [N, outputCount]. Text models take embeddings [N, L, D] and, for real data,
    /// each text's length (nil: every position counts); image models take [N, C, H, W].
    func forward(_ parameters: [Tensor], _ input: Tensor, lengths: [Int]?, context: inout ForwardContext) -> Tensor
}

extension Model {
    /// A fresh draw of every parameter (Xavier-normal weights, gain 1, recurrent ones
    /// included; zero biases).
    public func initialParameters(dtype: DType = .float32, using rng: inout RandomGenerator) -> [Tensor] {
        parameterSpecs.map { spec in
            switch spec.initialization {
            case .xavierNormal: return Tensor.xavierNormal(spec.shape, dtype: dtype, using: &rng)
            case .standardNormal: return Tensor.randomNormal(spec.shape, dtype: dtype, using: &rng)
            case .zeros: return Tensor.zeros(spec.shape, dtype: dtype)
            case .ones: return Tensor.ones(spec.shape, dtype: dtype)
            }
        }
    }

    /// Evaluation-mode logits.
    public func logits(_ parameters: [Tensor], _ input: Tensor, lengths: [Int]? = nil) -> Tensor {
        var context = ForwardContext.evaluation
        return forward(parameters, input, lengths: lengths, context: &context)
    }

    /// Predicted classes: argmax, or for one logit `logit > 0` (p > 0.5; the reference's
    /// `> 0.5` threshold is a quirk not reproduced).
    public func predictions(_ parameters: [Tensor], _ input: Tensor, lengths: [Int]? = nil) -> [Int] {
        let z = withoutGradients { logits(parameters, input, lengths: lengths) }
        return outputCount == 1 ? z.floats.map { $0 > 0 ? 1 : 0 } : z.argmax(axis: 1)
    }

    /// The training loss of logits against hard labels: cross-entropy, or BCE on one logit.
    public func loss(logits: Tensor, labels: [Int32]) -> Tensor {
        if outputCount == 1 {
            let targets = Tensor(labels.map { Double($0) }, shape: [labels.count, 1], dtype: logits.dtype)
            return Tensor.binaryCrossEntropy(logits: logits, targets: targets)
        }
        return Tensor.crossEntropy(logits: logits, labels: labels)
    }

    /// Checks that `parameters` fit this model: count, shapes, one dtype.
    public func validate(_ parameters: [Tensor]) throws {
        let specs = parameterSpecs
        guard parameters.count == specs.count else {
            throw InputError("\(name): \(parameters.count) parameters given, the model has \(specs.count)")
        }
        for (p, s) in zip(parameters, specs) where p.shape != s.shape {
            throw InputError("\(name): parameter \(s.name) has shape \(p.shape), expected \(s.shape)")
        }
        guard Set(parameters.map(\.dtype)).count <= 1 else { throw InputError("\(name): parameters of mixed dtypes") }
    }

    /// Saves parameters by name (safetensors; `torch.load_state_dict` reads the same names).
    public func save(_ parameters: [Tensor], to path: String, metadata: [String: String] = [:]) throws {
        try validate(parameters)
        try SafeTensors.write(
            zip(parameterSpecs, parameters).map { ($0.name, $1) },
            metadata: metadata.merging(["model": name]) { a, _ in a }, to: path)
    }

    /// Loads parameters saved by `save` (or any safetensors file with these names and shapes).
    public func load(from path: String) throws -> [Tensor] {
        let contents = try SafeTensors.read(path)
        let parameters = try parameterSpecs.map { spec -> Tensor in
            guard let t = contents[spec.name] else {
                throw InputError(file: path, "no tensor '\(spec.name)' for model \(name)")
            }
            guard t.isFinite else { throw InputError(file: path, "tensor '\(spec.name)' holds NaN or infinity") }
            return t
        }
        do { try validate(parameters) } catch let e as InputError {
            throw InputError(file: path, e.message, remedy: e.remedy)
        }
        return parameters
    }
}
