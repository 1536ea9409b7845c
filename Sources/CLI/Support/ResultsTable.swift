import Distillation
import Foundation

/// The results of a set as the text table the commands print.
enum ResultsTable {
    static func text(_ results: [ArtifactInfo.Result]) -> String {
        let nameWidth = Swift.max(30, results.map(\.name.count).max() ?? 0)
        var lines = [
            "result".padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                + "  model         accuracy %        detail"
        ]
        for r in results {
            lines.append(
                r.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
                    + r.model.padding(toLength: 12, withPad: " ", startingAt: 0)
                    + "  " + r.accuracy.formatted.padding(toLength: 16, withPad: " ", startingAt: 0) + "  "
                    + (r.detail ?? ""))
        }
        return lines.joined(separator: "\n")
    }
}
