import ArgumentParser
import Distillation
import Foundation
import Models
import Tasks
import TensorCore

/// `textdistill evaluate ARTIFACT`: train fresh networks on a distilled set and test them.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train fresh networks on a distilled set's learned schedule and test them on the whole test split.",
        discussion: """
            With the set's own model: the stored fixed init (if any) and --test-nets fresh inits \
            (mean ± std). --model evaluates another architecture from fresh inits \
            (cross-architecture generalisation). --decoded trains on the sentences as words: \
            every position snapped to its nearest vocabulary word (or <pad>) and re-embedded, as \
            `decode` prints them. A set distilled with --readable is always trained on its words.

            Examples:
              textdistill evaluate trec6-bilstm.safetensors
              textdistill evaluate trec6-bilstm.safetensors --decoded
              textdistill evaluate trec6-bilstm.safetensors --model textcnn --test-nets 50
            """)

    @Argument(help: "A distilled set written by 'textdistill distill'.") var artifact: String
    @Option(help: "Evaluate with this architecture instead (fresh inits).") var model: ModelKind?
    @Option(help: "Fresh networks (mean ± std).") var testNets: Int = 20
    @Option(help: .hidden) var nets: Int?
    @OptionGroup(title: "Model") var modelOptions: ModelOptions
    @Option(help: "Where the corpus is, if not where the artifact says.") var data: String?
    @Option(help: "Where the embeddings are, if not where the artifact says.") var embeddings: String?
    @Option(parsing: .unconditional, help: "Seed of the fresh initialisations. A non-negative integer.") var seed:
        UInt64 = 1
    @Flag(
        help: "Text: train on the sentences decoded to words (nearest vocabulary word at every position, re-embedded).")
    var decoded = false
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        try TestNets.refuseNets(nets)
        guard testNets > 0 else { throw ValidationError("--test-nets must be positive") }
    }

    func run() throws {
        let (a, _, _) = try DistilledArtifact.read(artifact)
        if model == nil || model == a.info.model.kind, let given = modelOptions.changed.first {
            throw ValidationFailure(
                "\(given) shapes the architecture given with --model; the set's own \(a.info.model.kind.rawValue) is rebuilt as stored"
            )
        }
        if decoded && a.info.task.kind != .text {
            throw InputError(file: artifact, "holds images: --decoded is for text sets")
        }
        let task = try LoadedTask.matching(
            a.info.task, artifactPath: artifact, data: data, embeddings: embeddings, notice: note)
        var assessment = Assessment()
        assessment.nets = testNets
        assessment.seed = seed
        assessment.log = { note($0) }
        let results: [ArtifactInfo.Result]
        if let model, model != a.info.model.kind {
            let description = try task.embeddingModel(model, modelOptions)
            let words = decoded || a.info.settings.readable
            let set = words ? task.wordProjection.map { a.set.decoded(by: $0).set } ?? a.set : a.set
            let summary = ScheduleEvaluation.randomInits(
                description.make(), on: set, test: task.test, nets: testNets, seed: seed)
            results = [
                .init(
                    name: decoded ? "distilled, decoded to words, random init" : "distilled, random init",
                    model: model.rawValue,
                    accuracy: summary, detail: "\(testNets) nets")
            ]
        } else {
            results = assessment.distilled(a, task: task, otherModels: [], form: decoded ? .decoded : .learned)
        }
        if json {
            try printJSON(results)
        } else {
            StandardOutput.write(ResultsTable.text(results))
        }
    }
}
