/// The real task a distilled set was made from: its name (a bundled name or the path given),
/// classes, input shape and, for text, the recipe that turns its texts into inputs and the
/// identity of the embedding space. Stored in the artifact; enough to refuse mismatched data.
public struct TaskIdentity: Codable, Equatable, Sendable {
    /// The embedding table the text inputs live in.
    public struct EmbeddingIdentity: Codable, Equatable, Sendable {
        public var source: String
        public var dimension: Int
        public var vocabularySize: Int
        /// SHA-256 of the float32 rows of the corpus vocabulary (in vocabulary order).
        public var rowsSHA256: String
        /// SHA-256 of the vocabulary's words, one per line, in id order.
        public var vocabularySHA256: String

        public init(source: String, dimension: Int, vocabularySize: Int, rowsSHA256: String, vocabularySHA256: String) {
            self.source = source
            self.dimension = dimension
            self.vocabularySize = vocabularySize
            self.rowsSHA256 = rowsSHA256
            self.vocabularySHA256 = vocabularySHA256
        }
    }

    public var kind: TaskKind
    /// A bundled name, or the absolute path of the corpus or image folder.
    public var data: String
    /// Text: SHA-256 of the corpus files' content (`CorpusDigest`); nil in files before format 2.
    public var dataSHA256: String?
    public var classNames: [String]
    public var sampleShape: [Int]
    public var trainCount: Int
    public var testCount: Int
    public var preset: String?
    public var maxLength: Int?
    public var minFrequency: Int?
    public var maxVocabulary: Int?
    public var embedding: EmbeddingIdentity?
    /// Text: how the corpus was read, to rebuild it exactly.
    public var recipe: DataRecipe?
    /// Images: per-channel mean and std of the normalisation (x/255 − mean) / std.
    public var normalisationMean: [Double]?
    public var normalisationStd: [Double]?

    public init(
        kind: TaskKind, data: String, classNames: [String], sampleShape: [Int], trainCount: Int, testCount: Int,
        preset: String? = nil, maxLength: Int? = nil, minFrequency: Int? = nil, maxVocabulary: Int? = nil,
        embedding: EmbeddingIdentity? = nil, recipe: DataRecipe? = nil
    ) {
        self.kind = kind
        self.data = data
        self.classNames = classNames
        self.sampleShape = sampleShape
        self.trainCount = trainCount
        self.testCount = testCount
        self.preset = preset
        self.maxLength = maxLength
        self.minFrequency = minFrequency
        self.maxVocabulary = maxVocabulary
        self.embedding = embedding
        self.recipe = recipe
    }

    private enum CodingKeys: String, CodingKey {
        case kind, data, dataSHA256, classNames, sampleShape, trainCount, testCount, preset, maxLength, minFrequency,
            maxVocabulary,
            embedding
        case recipe, normalisationMean, normalisationStd
        /// Format 1 stored command-line options instead of a recipe.
        case dataArguments
    }

    /// Reads identities of every format: a recipe, or the options format 1 stored.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            kind: try c.decode(TaskKind.self, forKey: .kind), data: try c.decode(String.self, forKey: .data),
            classNames: try c.decode([String].self, forKey: .classNames),
            sampleShape: try c.decode([Int].self, forKey: .sampleShape),
            trainCount: try c.decode(Int.self, forKey: .trainCount),
            testCount: try c.decode(Int.self, forKey: .testCount),
            preset: try c.decodeIfPresent(String.self, forKey: .preset),
            maxLength: try c.decodeIfPresent(Int.self, forKey: .maxLength),
            minFrequency: try c.decodeIfPresent(Int.self, forKey: .minFrequency),
            maxVocabulary: try c.decodeIfPresent(Int.self, forKey: .maxVocabulary),
            embedding: try c.decodeIfPresent(EmbeddingIdentity.self, forKey: .embedding),
            recipe: try c.decodeIfPresent(DataRecipe.self, forKey: .recipe))
        if recipe == nil, let arguments = try c.decodeIfPresent([String].self, forKey: .dataArguments), kind == .text {
            guard let old = DataRecipe(arguments: arguments) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .dataArguments, in: c, debugDescription: "unknown data options \(arguments)")
            }
            recipe = old
        }
        dataSHA256 = try c.decodeIfPresent(String.self, forKey: .dataSHA256)
        normalisationMean = try c.decodeIfPresent([Double].self, forKey: .normalisationMean)
        normalisationStd = try c.decodeIfPresent([Double].self, forKey: .normalisationStd)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(data, forKey: .data)
        try c.encodeIfPresent(dataSHA256, forKey: .dataSHA256)
        try c.encode(classNames, forKey: .classNames)
        try c.encode(sampleShape, forKey: .sampleShape)
        try c.encode(trainCount, forKey: .trainCount)
        try c.encode(testCount, forKey: .testCount)
        try c.encodeIfPresent(preset, forKey: .preset)
        try c.encodeIfPresent(maxLength, forKey: .maxLength)
        try c.encodeIfPresent(minFrequency, forKey: .minFrequency)
        try c.encodeIfPresent(maxVocabulary, forKey: .maxVocabulary)
        try c.encodeIfPresent(embedding, forKey: .embedding)
        try c.encodeIfPresent(recipe, forKey: .recipe)
        try c.encodeIfPresent(normalisationMean, forKey: .normalisationMean)
        try c.encodeIfPresent(normalisationStd, forKey: .normalisationStd)
    }

    /// Why data read as `other` cannot be used with a set distilled from this task, or nil.
    public func mismatch(with other: TaskIdentity) -> String? {
        guard kind == other.kind, classNames == other.classNames else {
            return "was distilled from \(data) with classes \(classNames.joined(separator: ", ")); the data given has "
                + other.classNames.joined(separator: ", ")
        }
        guard sampleShape == other.sampleShape else {
            return "holds samples of shape \(sampleShape); the data given makes \(other.sampleShape)"
        }
        if let a = embedding, let b = other.embedding,
            a.rowsSHA256 != b.rowsSHA256 || a.vocabularySHA256 != b.vocabularySHA256
        {
            return
                "was distilled in another embedding space (\(a.source), vocabulary \(a.vocabularySize), preset \(preset ?? "?")) "
                + "than the one given (\(b.source), vocabulary \(b.vocabularySize), preset \(other.preset ?? "?")): "
                + "read the data with the same corpus, embeddings and tokenizer preset"
        }
        return nil
    }
}
