import Foundation
import Models
import Tasks
import TensorCore

/// What a distilled set was made from and for; stored as JSON text in the artifact's
/// safetensors metadata (key "textdistill"), so any tool can read it.
public struct ArtifactInfo: Codable, Equatable, Sendable {
    /// The real task (moved to the Tasks module; the name stays for readers of this type).
    public typealias TaskIdentity = Tasks.TaskIdentity
    public typealias EmbeddingIdentity = Tasks.TaskIdentity.EmbeddingIdentity

    /// One accuracy line of the results table.
    public struct Result: Codable, Equatable, Sendable {
        public var name: String
        public var model: String
        public var accuracy: AccuracySummary
        public var detail: String?

        /// - Parameters:
        ///   - name: what was evaluated ("distilled, fixed init", a baseline).
        ///   - model: the architecture tested.
        ///   - accuracy: its test accuracies.
        ///   - detail: how (nets, draws, best rate), or why it was not computed.
        public init(name: String, model: String, accuracy: AccuracySummary, detail: String? = nil) {
            self.name = name
            self.model = model
            self.accuracy = accuracy
            self.detail = detail
        }
    }

    public var formatVersion = DistilledArtifact.formatVersion
    public var task: TaskIdentity
    public var model: ModelDescription
    public var settings: DistillationSettings
    public var rowClasses: [Int]
    public var history: [Distiller.EpochRecord] = []
    public var results: [Result] = []
    /// The epoch whose set was kept, when it was chosen on held-out training examples.
    public var selection: Selection?
    /// How the kept set was chosen: `heldOut` training examples, the best `accuracy` at `epoch`.
    public struct Selection: Codable, Equatable, Sendable {
        public let heldOut: Int
        public let epoch: Int
        public let accuracy: Double
    }
    /// Text: the words the set decodes to, in vocabulary order (their rows are the tensor
    /// `word_embeddings`; `SetWords`). Nil for images and in files before format 2.
    public var words: [String]?
    /// SHA-256 of every tensor's bytes, by tensor name.
    public var checksums: [String: String] = [:]

    /// - Parameters:
    ///   - task: the data the set was distilled from.
    ///   - model: the architecture it was distilled for.
    ///   - settings: the run's settings.
    ///   - rowClasses: the class each row started as.
    public init(task: TaskIdentity, model: ModelDescription, settings: DistillationSettings, rowClasses: [Int]) {
        self.task = task
        self.model = model
        self.settings = settings
        self.rowClasses = rowClasses
    }
}

/// A distilled set on disk: one safetensors file. Tensors: `inputs.s` [N, sample…] and
/// `labels.s` [N, C] per step s, `learning_rates` [T] (η, for readers) and
/// `raw_learning_rates` [T] (ρ, η = softplus(ρ)), and with the fixed-init regime
/// `init.<parameter name>` (PyTorch names), and for text `word_embeddings` [W, D], the rows of
/// the words the set decodes to (named, in order, by the info's `words`). Metadata (strings only, as the format requires):
/// `format` = "textdistill-distilled-set", `format_version`, `textdistill`, the JSON text of
/// `ArtifactInfo` (whose `checksums` cover every tensor), and `textdistill_sha256`, the SHA-256
/// of that text (so edited results are refused). A checkpoint is the same file with the optimizer state (`adam.m.i`,
/// `adam.v.i`) and a `checkpoint` metadata entry.
///
///     from safetensors.numpy import load_file
///     t = load_file("trec6.safetensors"); t["inputs.0"].shape   # (6, 30, 50)
public struct DistilledArtifact {
    public static let format = "textdistill-distilled-set"
    /// 2: settings under names that say what they are (`innerEpochs`, `outerLearningRate`, …),
    /// the data's absolute path and content hash, and a text set's words with their embedding
    /// rows. Files of format 1 are still read.
    public static let formatVersion = 2
    /// The `format_version` values this build reads.
    public static let readableVersions = ["1", "2"]

    public var set: DistilledSet
    public var fixedInit: [Tensor]?
    public var info: ArtifactInfo
    /// Text: the words the set decodes to, with their rows (nil for images and old files).
    public var words: SetWords? {
        didSet { info.words = words?.words }
    }

    /// - Parameters:
    ///   - set: the learned inputs, labels and rates.
    ///   - fixedInit: the stored initialisation (fixed regime), or nil.
    ///   - info: what, how and with what results.
    ///   - words: a text set's words and their rows.
    public init(set: DistilledSet, fixedInit: [Tensor]?, info: ArtifactInfo, words: SetWords? = nil) {
        self.set = set
        self.fixedInit = fixedInit
        self.info = info
        self.words = words
        self.info.words = words?.words
    }

    /// Checkpoint state, beside the set: where the run stands, the optimizer's step count (its
    /// moments are tensors of the file) and the run's options, which `--resume` restores.
    public struct CheckpointState: Codable, Equatable, Sendable {
        public var position: Distiller.Position
        public var adamSteps: Int
        /// Nil in checkpoints written before the options were stored.
        public var options: DistillationRun.Options? = nil
    }

    /// The model this set was distilled for.
    public var model: any Model { info.model.make() }

    func tensors(adam: Adam? = nil) -> [(name: String, tensor: Tensor)] {
        var list: [(name: String, tensor: Tensor)] = []
        for (s, x) in set.inputs.enumerated() { list.append(("inputs.\(s)", x)) }
        for (s, y) in set.labels.enumerated() { list.append(("labels.\(s)", y)) }
        list.append(("learning_rates", Tensor(set.learningRates, shape: [set.unrolledSteps], dtype: set.dtype)))
        list.append(("raw_learning_rates", set.rawRates))
        if let fixedInit {
            for (spec, p) in zip(info.model.make().parameterSpecs, fixedInit) { list.append(("init." + spec.name, p)) }
        }
        if let words { list.append(("word_embeddings", words.rows)) }
        if let adam {
            for (i, (m, v)) in zip(adam.moments.first, adam.moments.second).enumerated() {
                list.append(("adam.m.\(i)", m))
                list.append(("adam.v.\(i)", v))
            }
        }
        return list
    }

    /// Writes atomically (a temporary file, then a rename: an existing file is never half-written).
    /// Writes the file atomically. Without `timings` the epochs' wall-clock seconds are left out,
    /// so that the same command and seed give the same bytes (checkpoints keep them: a resumed
    /// run goes on counting).
    ///
    /// - Parameters:
    ///   - path: the file (replaced atomically).
    ///   - checkpoint: the run's state and optimizer, for a checkpoint file.
    ///   - timings: keep the epochs' seconds in a finished set.
    /// - Throws: `InputError` naming the file when it cannot be written.
    public func write(to path: String, checkpoint: (state: CheckpointState, adam: Adam)? = nil, timings: Bool = false)
        throws
    {
        let list = tensors(adam: checkpoint?.adam)
        var info = self.info
        info.formatVersion = DistilledArtifact.formatVersion
        if !timings && checkpoint == nil {
            info.history = info.history.map {
                var r = $0
                r.seconds = nil
                return r
            }
        }
        info.checksums = Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0.tensor.sha256) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(info), as: UTF8.self)
        var metadata = [
            "format": DistilledArtifact.format, "format_version": String(DistilledArtifact.formatVersion),
            "textdistill": text, "textdistill_sha256": SHA256.hex(Array(text.utf8)),
        ]
        if let checkpoint {
            metadata["checkpoint"] = String(decoding: try encoder.encode(checkpoint.state), as: UTF8.self)
        }
        try SafeTensors.write(list, metadata: metadata, to: path)
    }

    /// Reads and validates a file written by `write`: format, version, the JSON info, every
    /// tensor's shape, dtype and checksum against it. Returns the checkpoint state and the
    /// Adam moments too when the file is a checkpoint.
    ///
    /// - Parameter path: a file written by `write`.
    /// - Returns: the set, and for a checkpoint its state and Adam moments (first, second, per tensor).
    /// - Throws: `InputError` naming the file and what is wrong with it.
    public static func read(_ path: String) throws -> (
        artifact: DistilledArtifact, checkpoint: CheckpointState?, moments: [Tensor]
    ) {
        let contents = try SafeTensors.read(path)
        func fail(_ message: String) -> InputError { InputError(file: path, message) }
        let (info, checkpoint) = try metadata(of: contents, fail)
        try checkTensors(contents, info, fail)
        let s = info.settings
        let model = info.model.make()
        let n = info.rowClasses.count
        func tensor(_ name: String, _ shape: [Int]) throws -> Tensor {
            guard let t = contents[name] else { throw fail("tensor '\(name)' is missing") }
            guard t.shape == shape else { throw fail("tensor '\(name)' has shape \(t.shape), expected \(shape)") }
            return t
        }
        let inputs = try (0..<s.steps).map { try tensor("inputs.\($0)", [n] + info.task.sampleShape) }
        let labels = try (0..<s.steps).map { try tensor("labels.\($0)", [n, model.outputCount]) }
        let rates = try tensor("raw_learning_rates", [s.rateCount])
        var fixedInit: [Tensor]? = nil
        if s.initialization == .fixed {
            fixedInit = try model.parameterSpecs.map { try tensor("init." + $0.name, $0.shape) }
        }
        let dtypes = Set((inputs + labels + [rates] + (fixedInit ?? [])).map(\.dtype))
        guard dtypes.count == 1 else { throw fail("the tensors have mixed dtypes") }
        // The data every command trains and tests on is float32; float64 sets (the tests' and
        // the goldens') stay in the library.
        guard dtypes == [.float32] else {
            throw fail("holds float64 tensors; TextDistill's data and commands are float32 (write the set in float32)")
        }
        let set = DistilledSet(
            inputs: inputs, labels: labels, rawRates: rates, epochs: s.epochs, rowClasses: info.rowClasses,
            labelSoftmax: s.labelSoftmax)
        let words = try info.words.map { words in
            SetWords(words: words, rows: try tensor("word_embeddings", [words.count, info.task.sampleShape[1]]))
        }
        var moments: [Tensor] = []
        if checkpoint != nil {
            let learnables = set.learnables(inputs: s.learnInputs, labels: s.learnLabels, rates: s.learnRates)
            for (i, p) in learnables.enumerated() {
                moments.append(try tensor("adam.m.\(i)", p.shape))
                moments.append(try tensor("adam.v.\(i)", p.shape))
            }
        }
        return (DistilledArtifact(set: set, fixedInit: fixedInit, info: info, words: words), checkpoint, moments)
    }

    /// The format, version, info and checkpoint state of a file's metadata, validated.
    private static func metadata(of contents: SafeTensors.Contents, _ fail: (String) -> InputError) throws -> (
        ArtifactInfo, CheckpointState?
    ) {
        guard contents.metadata["format"] == format else {
            throw fail(
                "not a TextDistill distilled set (metadata 'format' is \(contents.metadata["format"].map { "'\($0)'" } ?? "missing"))"
            )
        }
        guard let version = contents.metadata["format_version"], readableVersions.contains(version) else {
            throw fail(
                "format version \(contents.metadata["format_version"] ?? "?") is not supported (this build reads \(readableVersions.joined(separator: " and ")))"
            )
        }
        let decoder = JSONDecoder()
        let text = contents.metadata["textdistill"] ?? ""
        // Files written before the checksum existed have none; a present one must match.
        if let sum = contents.metadata["textdistill_sha256"], sum != SHA256.hex(Array(text.utf8)) {
            throw fail("the 'textdistill' metadata does not match its checksum (the file was edited or is corrupt)")
        }
        let info: ArtifactInfo
        do {
            info = try decoder.decode(ArtifactInfo.self, from: Data(text.utf8))
        } catch {
            throw fail("the 'textdistill' metadata is not valid: \(error)")
        }
        var checkpoint: CheckpointState? = nil
        if let text = contents.metadata["checkpoint"] {
            do { checkpoint = try decoder.decode(CheckpointState.self, from: Data(text.utf8)) } catch {
                throw fail("the 'checkpoint' metadata is not valid: \(error)")
            }
        }
        let problems =
            info.model.problems.map(\.description)
            + info.settings.problems(classes: info.task.classNames.count).map(\.description)
        guard problems.isEmpty else { throw fail(problems.joined(separator: "; ")) }
        guard info.rowClasses.allSatisfy({ (0..<info.task.classNames.count).contains($0) }) else {
            throw fail("row classes out of range")
        }
        return (info, checkpoint)
    }

    /// Every tensor matches its checksum and is finite, and none the info names is missing.
    private static func checkTensors(
        _ contents: SafeTensors.Contents, _ info: ArtifactInfo, _ fail: (String) -> InputError
    )
        throws
    {
        for (name, tensor) in contents.tensors {
            guard let expected = info.checksums[name] else {
                throw fail("tensor '\(name)' has no checksum in the metadata")
            }
            guard tensor.sha256 == expected else {
                throw fail("tensor '\(name)' does not match its checksum (the file is corrupt or was edited)")
            }
            guard tensor.isFinite else { throw fail("tensor '\(name)' holds NaN or infinity") }
        }
        if let missing = info.checksums.keys.sorted().first(where: { contents[$0] == nil }) {
            throw fail("tensor '\(missing)' is missing")
        }
    }
}
