import Distillation
import Foundation
import TensorCore

/// `distill --metrics FILE.csv|FILE.jsonl`: one record per outer iteration and per evaluation,
/// written as the run goes (each line is on disk before the next iteration starts), so a run can
/// be plotted while it runs or after it was stopped. A resumed run appends.
///
/// Columns (CSV header; the same names as JSON keys): `event` (iteration, evaluation,
/// validation), `epoch` (1-based), `iteration` (1-based, over the whole run), `loss` (outer
/// loss), `accuracy` (test accuracy % of an evaluation; held-out % of a validation), `seconds`
/// (since the command started), and the learned rates `lr0 … lr{T-1}` (CSV) or `learningRates`.
final class MetricsFile {
    private let handle: FileHandle
    private let json: Bool
    private let start = Date()
    private var iteration = 0

    /// Opens `path` (replaced, or appended to when `append`), writing the CSV header to a new file.
    init(path: String, rates: Int, append: Bool) throws {
        json = path.hasSuffix(".jsonl")
        let exists = FileManager.default.fileExists(atPath: path)
        if !(append && exists) {
            let header =
                json
                ? ""
                : (["event", "epoch", "iteration", "loss", "accuracy", "seconds"] + (0..<rates).map { "lr\($0)" })
                    .joined(separator: ",") + "\n"
            try AtomicFile.write(Data(header.utf8), to: path)
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw InputError(file: path, "cannot be opened for writing")
        }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    deinit { handle.closeFile() }

    /// Checks the path before a run: a .csv or .jsonl file that can be written.
    static func check(_ path: String) throws {
        guard path.hasSuffix(".csv") || path.hasSuffix(".jsonl") else {
            throw InputError(file: path, "metrics are written as .csv or .jsonl; name the file so")
        }
        try OutputPath.check(path)
    }

    /// Records the events that carry figures; `rates` are the set's learned rates now.
    func record(_ event: DistillationRun.Event, rates: [Double]) {
        switch event {
        case .iteration(let done, _, let epoch, let loss):
            iteration = done
            write("iteration", epoch: epoch, loss: loss, accuracy: nil, rates: rates)
        case .evaluated(let record, let accuracy):
            write("evaluation", epoch: record.epoch + 1, loss: record.loss, accuracy: 100 * accuracy.mean, rates: rates)
        case .validated(let epoch, let accuracy, _):
            write("validation", epoch: epoch, loss: nil, accuracy: 100 * accuracy.mean, rates: rates)
        default:
            break
        }
    }

    private func write(_ event: String, epoch: Int, loss: Double?, accuracy: Double?, rates: [Double]) {
        let seconds = Date().timeIntervalSince(start)
        let line: String
        if json {
            var fields = ["\"event\":\"\(event)\"", "\"epoch\":\(epoch)", "\"iteration\":\(iteration)"]
            if let loss { fields.append("\"loss\":\(MetricsFile.number(loss))") }
            if let accuracy { fields.append("\"accuracy\":\(MetricsFile.number(accuracy))") }
            fields.append("\"seconds\":\(String(format: "%.3f", seconds))")
            fields.append("\"learningRates\":[" + rates.map(MetricsFile.number).joined(separator: ",") + "]")
            line = "{" + fields.joined(separator: ",") + "}\n"
        } else {
            line =
                ([
                    event, String(epoch), String(iteration), loss.map(MetricsFile.csvNumber) ?? "",
                    accuracy.map(MetricsFile.csvNumber) ?? "", String(format: "%.3f", seconds),
                ] + rates.map(MetricsFile.csvNumber))
                .joined(separator: ",") + "\n"
        }
        handle.write(Data(line.utf8))
    }

    /// A number as JSON reads it: NaN or infinity (a diverged loss) is null.
    static func number(_ x: Double) -> String { x.isFinite ? String(format: "%.9g", x) : "null" }

    /// A number as CSV readers take it: NaN or infinity is written as nan or inf.
    static func csvNumber(_ x: Double) -> String {
        x.isFinite ? String(format: "%.9g", x) : x.isNaN ? "nan" : x > 0 ? "inf" : "-inf"
    }
}
