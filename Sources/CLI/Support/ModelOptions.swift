import ArgumentParser
import Distillation
import Models

extension ModelKind: ExpressibleByArgument {}
extension DistillationSettings.LabelInit: ExpressibleByArgument {}
extension DistillationSettings.InitRegime: ExpressibleByArgument {}
extension DistillationSettings.SampleInit: ExpressibleByArgument {}
extension UnrollMemory: ExpressibleByArgument {}
extension DistillationSettings.RateSharing: ExpressibleByArgument {}

/// Architecture hyperparameters (the defaults are the reference's).
struct ModelOptions: ParsableArguments {
    @Option(help: "TextCNN: filters per width.") var filters: Int = 100
    @Option(help: ArgumentHelp("TextCNN: filter widths, comma-separated.", valueName: "list"))
    var widths = CommaList<Int>([3, 4, 5])
    @Option(help: "TextCNN: dropout probability in training steps.") var dropout: Double = 0.5
    @Option(help: "Recurrent models: hidden units per direction.") var hidden: Int = 100
    @Option(help: "Recurrent models: stacked layers.") var layers: Int = 2
    @Flag(help: "Recurrent models read the padding of real texts too, as the reference code does.") var overPadding =
        false
    @Flag(
        help:
            "Text models learn their own embedding layer from scratch over token ids (train only; bow always reads ids)."
    )
    var learnEmbeddings = false

    var widthList: [Int] { widths.values }

    /// The options given with values other than their defaults, by flag.
    var changed: [String] {
        guard let d = try? ModelOptions.parse([]) else { return [] }
        let pairs: [(String, Bool)] = [
            ("--filters", filters != d.filters), ("--widths", widthList != d.widthList),
            ("--dropout", dropout != d.dropout),
            ("--hidden", hidden != d.hidden), ("--layers", layers != d.layers),
            ("--over-padding", overPadding != d.overPadding),
            ("--learn-embeddings", learnEmbeddings != d.learnEmbeddings),
        ]
        return pairs.filter(\.1).map(\.0)
    }

    /// A model problem worded with the option that sets the value.
    static func flagged(_ problem: ModelDescription.Problem) -> String {
        switch problem {
        case .filters(let f): return "--filters must be positive, got \(f)"
        case .widths(let w):
            return "--widths must be positive integers, got \(w.map(String.init).joined(separator: ","))"
        case .dropout(let d): return "--dropout must lie in [0, 1), got \(d)"
        case .hidden(let h): return "--hidden must be positive, got \(h)"
        case .layers(let l): return "--layers must be positive, got \(l)"
        default: return problem.description
        }
    }
}

/// A comma-separated list of values on the command line (`--widths 3,4,5`, `--eval-models
/// textcnn,bigru`); a value that does not parse is an error naming it and the valid ones.
struct CommaList<Element: ExpressibleByArgument>: ExpressibleByArgument, CustomStringConvertible {
    let values: [Element]

    init(_ values: [Element]) { self.values = values }

    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let parsed = parts.compactMap { Element(argument: $0) }
        guard !parts.isEmpty, parsed.count == parts.count else { return nil }
        values = parsed
    }

    var description: String { values.map { "\($0)" }.joined(separator: ",") }
    var defaultValueDescription: String { description }
    static var allValueStrings: [String] { Element.allValueStrings }
}
