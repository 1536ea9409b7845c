import ArgumentParser
import Distillation
import Models

extension ModelKind: ExpressibleByArgument {}
extension DistillationSettings.LabelInit: ExpressibleByArgument {}
extension DistillationSettings.InitRegime: ExpressibleByArgument {}
extension DistillationSettings.SampleInit: ExpressibleByArgument {}

/// Architecture hyperparameters (the defaults are the reference's).
struct ModelOptions: ParsableArguments {
    @Option(help: "TextCNN: filters per width.") var filters: Int = 100
    @Option(help: ArgumentHelp("TextCNN: filter widths, comma-separated.", valueName: "list")) var widths: String =
        "3,4,5"
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

    var widthList: [Int] { widths.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        guard widthList.count == widths.split(separator: ",").count, !widthList.isEmpty else {
            throw ValidationError("--widths must be comma-separated positive integers, e.g. 3,4,5")
        }
    }
}
