import Distillation
import Tasks

extension Distill {
    /// The results table (or JSON) on stdout.
    func printSummary(_ final: DistilledArtifact, task: LoadedTask, output: String) throws {
        if json {
            var summary = final.info
            summary.checksums = [:]
            try printJSON(Summary(output: output, info: summary, learningRates: final.set.learningRates))
            return
        }
        StandardOutput.write("\n" + ResultsTable.text(final.info.results))
        StandardOutput.write(
            "\nlearned learning rates: "
                + final.set.learningRates.map { String(format: "%.4f", $0) }.joined(separator: ", "))
        StandardOutput.write(
            "wrote \(output)   ("
                + (task.kind == .text
                    ? "textdistill decode \(output) prints the sentences as words"
                    : "textdistill report \(output) --grid FILE.png draws the images") + ")")
    }

    struct Summary: Encodable {
        let output: String
        let info: ArtifactInfo
        let learningRates: [Double]
    }
}
