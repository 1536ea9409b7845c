import TensorCore

/// One labelled text.
public struct Example: Equatable, Sendable {
    public let text: String
    public let label: Int
    public init(text: String, label: Int) {
        self.text = text
        self.label = label
    }
}

/// A classification corpus: class names, and train and test examples whose labels index them.
public struct Corpus: Sendable {
    public let name: String
    public let classNames: [String]
    public let train: [Example]
    public let test: [Example]
    /// Examples for choosing (baseline rates, the kept set), never for reported accuracy; may be empty.
    public let validation: [Example]
    /// The files the examples were read from, each once, sorted.
    public let files: [String]
    /// The sequence length this corpus is usually padded or cut to (the reference's maxlen).
    public let maxLength: Int

    public var classCount: Int { classNames.count }

    /// Training examples per class, in class order.
    public func counts(_ split: [Example]) -> [Int] {
        var c = [Int](repeating: 0, count: classNames.count)
        for e in split { c[e.label] += 1 }
        return c
    }

    /// Builds a corpus from raw string labels. The class order is `order` when given (e.g.
    /// SST's 0–4), otherwise by descending training frequency with ties by name (what the
    /// reference benchmark code does). A test or validation label never seen in training is an error.
    public init(
        name: String, train: [RawExample], test: [RawExample], validation: [RawExample] = [], maxLength: Int,
        order: [String]? = nil
    ) throws {
        guard !train.isEmpty, !test.isEmpty else {
            throw InputError("\(name): the \(train.isEmpty ? "training" : "test") split is empty")
        }
        var counts: [String: Int] = [:]
        for e in train { counts[e.label, default: 0] += 1 }
        let names = order ?? counts.keys.sorted { (counts[$0, default: 0], $1) > (counts[$1, default: 0], $0) }
        guard names.count >= 2 else {
            throw InputError(
                file: train.first?.file,
                "\(name): every training example has the label '\(names.first ?? "")'; a classifier needs two classes or more"
            )
        }
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        func convert(_ e: RawExample) throws -> Example {
            guard let label = index[e.label] else {
                throw InputError(
                    file: e.file, line: e.line,
                    "label '\(e.label)' is not among the training labels \(names.prefix(8).joined(separator: ", "))\(names.count > 8 ? ", …" : "")"
                )
            }
            return Example(text: e.text, label: label)
        }
        self.name = name
        self.classNames = names
        self.train = try train.map(convert)
        self.test = try test.map(convert)
        self.validation = try validation.map(convert)
        self.files = Set((train + test + validation).map(\.file)).sorted()
        self.maxLength = maxLength
    }
}

/// An example as a reader finds it: a string label, and where it came from.
public struct RawExample: Sendable {
    public let label: String
    public let text: String
    public let file: String
    public let line: Int?
    public init(label: String, text: String, file: String, line: Int?) {
        self.label = label
        self.text = text
        self.file = file
        self.line = line
    }
}
