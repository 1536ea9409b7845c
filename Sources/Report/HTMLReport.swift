import Distillation
import Foundation
import Models
import TensorCore

/// One self-contained HTML file for a run, text or image: the results table beside the
/// baselines, the loss and accuracy curves (inline SVG), the soft labels as a heatmap, the
/// learned rates, the distilled images (an embedded PNG) or the decoded sentences with their
/// distances, and every setting. No scripts, no external files.
public struct HTMLReport {
    /// A decoded sentence: its row, the class it started as, and (word, distance) per position.
    public struct Sentence {
        public let title: String
        public let words: [(word: String, distance: Float)]
        public init(title: String, words: [(word: String, distance: Float)]) {
            self.title = title
            self.words = words
        }
    }

    public let artifact: DistilledArtifact
    public var sentences: [Sentence] = []
    public var imageGrid: PNGImage? = nil
    public var title: String

    public init(artifact: DistilledArtifact, title: String) {
        self.artifact = artifact
        self.title = title
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// The soft labels of every row as a heatmap: blue for positive weights, red for negative.
    static func heatmap(_ rows: [(String, [Double])], classes: [String]) -> String {
        let cell = 34
        let labelW = 150
        let top = 70
        let peak = Swift.max(rows.flatMap { $0.1.map(abs) }.max() ?? 1, 1e-9)
        let w = Swift.max(labelW + cell * classes.count + 10, labelW + 260)
        let h = top + cell * rows.count + 64
        var svg =
            "<svg width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\" role=\"img\" aria-label=\"soft labels\">"
        for (k, name) in classes.enumerated() {
            let x = labelW + k * cell + cell / 2
            svg += "<text transform=\"translate(\(x),\(top - 6)) rotate(-45)\" font-size=\"11\">\(escape(name))</text>"
        }
        for (r, (name, values)) in rows.enumerated() {
            let y = top + r * cell
            svg +=
                "<text x=\"\(labelW - 6)\" y=\"\(y + cell / 2 + 4)\" text-anchor=\"end\" font-size=\"11\">\(escape(name))</text>"
            for (k, v) in values.enumerated() {
                let t = Swift.min(1, abs(v) / peak)
                let (r0, g0, b0) =
                    v >= 0 ? (255 - 200 * t, 255 - 150 * t, 255 - 60 * t) : (255 - 40 * t, 255 - 190 * t, 255 - 190 * t)
                let fill = String(format: "#%02x%02x%02x", Int(r0), Int(g0), Int(b0))
                svg +=
                    "<rect x=\"\(labelW + k * cell)\" y=\"\(y)\" width=\"\(cell - 1)\" height=\"\(cell - 1)\" fill=\"\(fill)\"><title>\(escape(name)) → \(escape(classes[k])): \(String(format: "%.3f", v))</title></rect>"
                svg +=
                    "<text x=\"\(labelW + k * cell + cell / 2)\" y=\"\(y + cell / 2 + 4)\" text-anchor=\"middle\" font-size=\"9\" fill=\"\(t > 0.6 ? "#fff" : "#333")\">\(String(format: "%.2f", v))</text>"
            }
        }
        return svg + legend(peak: peak, x: labelW, y: top + cell * rows.count + 14) + "</svg>"
    }

    /// The heatmap's colour scale: −peak (red) through 0 (white) to +peak (blue), with ticks.
    static func legend(peak: Double, x: Int, y: Int) -> String {
        let width = 240
        var svg =
            "<defs><linearGradient id=\"scale\"><stop offset=\"0\" stop-color=\"#d74141\"/><stop offset=\"0.5\" stop-color=\"#ffffff\"/>"
            + "<stop offset=\"1\" stop-color=\"#3769c3\"/></linearGradient></defs>"
        svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(width)\" height=\"12\" fill=\"url(#scale)\" stroke=\"#bbb\"/>"
        for (k, v) in [-peak, -peak / 2, 0, peak / 2, peak].enumerated() {
            let tx = x + k * width / 4
            svg += "<line x1=\"\(tx)\" x2=\"\(tx)\" y1=\"\(y + 12)\" y2=\"\(y + 16)\" stroke=\"#666\"/>"
            svg +=
                "<text x=\"\(tx)\" y=\"\(y + 27)\" text-anchor=\"middle\" font-size=\"10\">\(String(format: "%.2f", v))</text>"
        }
        svg +=
            "<text x=\"\(x)\" y=\"\(y + 40)\" font-size=\"10\">each row's target weight per class (red: negative, blue: positive)</text>"
        return svg
    }

    public func html() -> String {
        let info = artifact.info
        let s = info.settings
        var body = "<h1>\(HTMLReport.escape(title))</h1>"
        body +=
            "<p class=\"sub\">\(HTMLReport.escape(info.task.data)) · \(info.task.classNames.count) classes · \(HTMLReport.escape(info.model.kind.rawValue)) · "
            + "\(s.steps) step(s) × \(artifact.set.samplesPerStep) samples × \(s.epochs) epoch(s) · \(s.initialization.rawValue) init · seed \(s.seed)</p>"
        body += resultsSection() + trainingSection() + softLabelsSection() + inputsSection() + settingsSection()
        let style = """
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:24px auto;padding:0 16px;color:#222}
            h1{margin-bottom:4px} .sub{color:#555;margin-top:0} table{border-collapse:collapse;margin:8px 0}
            td,th{border:1px solid #ddd;padding:4px 10px;text-align:left} th{background:#f0f3f8} td.num{text-align:right;font-variant-numeric:tabular-nums}
            .charts{display:flex;flex-wrap:wrap;gap:16px} figure{margin:0} figcaption{font-size:12px;color:#555}
            .sentence{line-height:2.1} .sentence span{background:#eef3fb;border-radius:3px;padding:1px 4px} .sentence sub{color:#888;font-size:9px}
            pre{background:#f7f7f7;padding:10px;overflow:auto;font-size:12px} img{image-rendering:pixelated;border:1px solid #ddd;max-width:100%}
            """
        return
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(HTMLReport.escape(title))</title><style>\(style)</style></head><body>\(body)</body></html>\n"
    }

    /// The results table.
    private func resultsSection() -> String {
        let info = artifact.info
        var body = ""
        body += "<h2>Results</h2>"
        if info.results.isEmpty {
            body += "<p>No final evaluation stored (a checkpoint, or a run with baselines skipped).</p>"
        } else {
            body += "<table><tr><th>result</th><th>model</th><th>test accuracy %</th><th>detail</th></tr>"
            for r in info.results {
                body +=
                    "<tr><td>\(HTMLReport.escape(r.name))</td><td>\(HTMLReport.escape(r.model))</td><td class=\"num\">\(r.accuracy.formatted)</td><td>\(HTMLReport.escape(r.detail ?? ""))</td></tr>"
            }
            body += "</table>"
        }
        return body
    }

    /// The outer loss and test accuracy per epoch, and the learned rates.
    private func trainingSection() -> String {
        let info = artifact.info
        let set = artifact.set
        var body = ""
        body += "<h2>Training</h2><div class=\"charts\">"
        body += LineChart(
            points: info.history.map { (Double($0.epoch + 1), $0.loss) }, title: "outer loss per epoch",
            yLabel: "cross-entropy on real batches"
        ).svg()
        body += LineChart(
            points: info.history.compactMap { r in r.accuracy.map { (Double(r.epoch + 1), $0) } },
            title: "test accuracy during distillation (whole test split), beside the final baselines",
            yLabel: "test accuracy", percent: true, references: references()
        ).svg()
        body += "</div>"
        body +=
            "<p>Learned learning rates η<sub>t</sub>: "
            + set.learningRates.enumerated().map { String(format: "t=%d: %.4f", $0.offset, $0.element) }.joined(
                separator: ", ") + "</p>"
        return body
    }

    /// The accuracy chart's reference lines: the baselines and the full-data model of the
    /// results table (with the set's own model), at their mean accuracy.
    private func references() -> [LineChart.Reference] {
        artifact.info.results.filter {
            !$0.name.hasPrefix("distilled") && $0.model == artifact.info.model.kind.rawValue
        }
        .compactMap { r in r.accuracy.values.isEmpty ? nil : LineChart.Reference(label: r.name, value: r.accuracy.mean)
        }
    }

    /// The soft labels as a heatmap, one row per distilled sample.
    private func softLabelsSection() -> String {
        let info = artifact.info
        let set = artifact.set
        var body = ""
        body += "<h2>Soft labels</h2>"
        let names = info.task.classNames
        var rows: [(String, [Double])] = []
        for (step, labels) in set.labels.enumerated() {
            let y = labels.doubles
            let columns = labels.shape[1]
            for i in 0..<set.samplesPerStep {
                let values = columns == 1 ? [1 - y[i], y[i]] : Array(y[(i * columns)..<((i + 1) * columns)])
                rows.append(("step \(step) · \(names[set.rowClasses[i]]) #\(i)", values))
            }
        }
        body += HTMLReport.heatmap(rows, classes: names)
        if set.labels.first?.shape[1] == 1 {
            body +=
                "<p>Binary task: one logit; the two columns show 1 − target and the target P(\(HTMLReport.escape(names[1]))).</p>"
        }
        return body
    }

    /// The distilled images, or the decoded sentences.
    private func inputsSection() -> String {
        var body = ""
        if let imageGrid {
            body +=
                "<h2>Distilled images</h2><p>One row per step; under each image its soft label (one bar per class, the largest darker, negative red).</p>"
            body +=
                "<img alt=\"distilled images\" src=\"data:image/png;base64,\(imageGrid.encoded().base64EncodedString())\">"
        }
        if !sentences.isEmpty {
            body +=
                "<h2>Decoded sentences</h2><p>Each position's nearest vocabulary word (Euclidean); the number is its distance.</p>"
            for sentence in sentences {
                body += "<h3>\(HTMLReport.escape(sentence.title))</h3><p class=\"sentence\">"
                body += sentence.words.map {
                    "<span title=\"distance \(String(format: "%.3f", $0.distance))\">\(HTMLReport.escape($0.word))<sub>\(String(format: "%.1f", $0.distance))</sub></span>"
                }.joined(separator: " ")
                body += "</p>"
            }
        }
        return body
    }

    /// The task, model and settings as JSON.
    private func settingsSection() -> String {
        let info = artifact.info
        var body = ""
        body += "<h2>Settings</h2><pre>"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        struct Shown: Encodable {
            let task: ArtifactInfo.TaskIdentity
            let model: ModelDescription
            let settings: DistillationSettings
            let formatVersion: Int
        }
        if let data = try? encoder.encode(
            Shown(task: info.task, model: info.model, settings: info.settings, formatVersion: info.formatVersion))
        {
            body += HTMLReport.escape(String(decoding: data, as: UTF8.self))
        }
        body += "</pre>"
        return body
    }
}
