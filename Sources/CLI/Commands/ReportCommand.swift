import ArgumentParser
import Distillation
import Foundation
import ImageData
import Report
import Tasks
import TensorCore
import TextPipeline

/// `textdistill report ARTIFACT`: the HTML report (and PNG grid) of a distilled set.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report of a distilled set (and a PNG grid of distilled images).",
        discussion: """
            The report holds the results beside the baselines, loss and accuracy curves, the soft \
            labels as a heatmap, the learned rates, the images or the decoded sentences with their \
            distances, and the settings. `distill --report FILE.html` writes the same at the end of a run.

            Examples:
              textdistill report trec6-bilstm.safetensors --output trec6.html
              textdistill report mnist-lenet.safetensors --output mnist.html \\
                  --grid mnist.png
            """)

    @Argument(help: "A distilled set (or checkpoint) written by 'textdistill distill'.") var artifact: String
    @Option(help: "The HTML file to write (default: the artifact's name with .html).") var output: String?
    @Option(help: "Also write the image grid as PNG (image sets).") var grid: String?
    @Option(help: "Where the corpus is, if not where the artifact says (text: to decode).") var data: String?
    @Option(help: "Where the embeddings are, if not where the artifact says.") var embeddings: String?

    func run() throws {
        let (loaded, _, _) = try DistilledArtifact.read(artifact)
        if grid != nil && loaded.info.task.kind != .image {
            throw InputError(
                file: artifact, "holds sentences: --grid draws image sets only (the report shows the decoded sentences)"
            )
        }
        let path = output ?? ((artifact as NSString).deletingPathExtension + ".html")
        for p in [path] + [grid].compactMap({ $0 }) { try OutputPath.check(p) }
        try ReportWriter.write(
            loaded, html: path, grid: grid, artifactPath: artifact, data: data, embeddings: embeddings)
        StandardOutput.write("wrote \(path)" + (grid.map { " and \($0)" } ?? ""))
    }
}

/// Builds and writes reports; shared by `report` and `distill --report`.
enum ReportWriter {
    static func write(
        _ artifact: DistilledArtifact, html: String?, grid: String?, artifactPath: String, data: String?,
        embeddings: String?,
        task: LoadedTask? = nil
    ) throws {
        var artifact = artifact
        var report = HTMLReport(
            artifact: artifact, title: "TextDistill: \((artifactPath as NSString).lastPathComponent)")
        if artifact.info.task.kind == .image {
            // Artifacts written before the field existed were all of known sets.
            if artifact.info.task.normalisationMean == nil, let known = ImageSet(rawValue: artifact.info.task.data) {
                let (mean, std) = known.normalisation
                artifact.info.task.normalisationMean = mean
                artifact.info.task.normalisationStd = std
            }
            let png = ImageGrid.render(artifact)
            report = HTMLReport(artifact: artifact, title: report.title)
            report.imageGrid = png
            if let grid { try AtomicFile.write(png.encoded(), to: grid) }
        } else if html != nil {
            let stored = data == nil && embeddings == nil ? DecodedSentences.read(artifact) : nil
            let decoded =
                try task.map { DecodedSentences.read(artifact, task: $0) } ?? stored
                ?? DecodedSentences.read(
                    artifact,
                    task: LoadedTask.matching(
                        artifact.info.task, artifactPath: artifactPath, data: data, embeddings: embeddings,
                        notice: note))
            report.sentences = decoded.items.map { s in
                HTMLReport.Sentence(
                    title:
                        "step \(s.step), row \(s.row) (initialised as \(s.initialClass)); label \(decoded.labelSummary(s))",
                    words: Array(zip(s.words, s.distances).prefix(s.length)))
            }
        }
        if let html { try AtomicFile.write(Data(report.html().utf8), to: html) }
    }
}
