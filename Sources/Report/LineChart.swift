import Foundation

/// A line chart as inline SVG: "nice" ticks (1, 2 or 5 × 10^k) with grid lines on both axes,
/// the series as a line with points, and labelled horizontal reference lines (baselines,
/// full-data accuracy) that the y range always includes.
struct LineChart {
    /// A labelled horizontal line.
    struct Reference {
        let label: String
        let value: Double
    }

    var points: [(x: Double, y: Double)]
    var title: String
    var xLabel = "epoch"
    var yLabel: String
    /// Values are fractions shown as percentages.
    var percent = false
    var references: [Reference] = []

    static let palette = ["#b5651d", "#2e8b57", "#8b008b", "#555555", "#c71585", "#4682b4"]

    /// About `count` round tick values within [low, high], a step of 1, 2 or 5 × 10^k apart.
    static func ticks(_ low: Double, _ high: Double, count: Int = 5) -> [Double] {
        guard high > low, count > 0 else { return [low] }
        let raw = (high - low) / Double(count)
        let magnitude = pow(10, floor(log10(raw)))
        let step =
            [1.0, 2, 5, 10].map { $0 * magnitude }.min { abs(log($0 / raw)) < abs(log($1 / raw)) } ?? magnitude
        let first = ceil(low / step - 1e-9) * step
        return stride(from: first, through: high + step * 1e-9, by: step).map { abs($0) < step * 1e-9 ? 0 : $0 }
    }

    /// Where the plot area lies and how data map into it.
    private struct Frame {
        let left: Double, top: Double, width: Double, height: Double
        let x0: Double, x1: Double, y0: Double, y1: Double
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * width }
        func py(_ y: Double) -> Double { top + (1 - (y - y0) / (y1 - y0)) * height }
    }

    private func value(_ v: Double) -> String {
        percent ? String(format: "%g", (1000 * v).rounded() / 10) : String(format: "%.3g", v)
    }

    func svg() -> String {
        guard !points.isEmpty else { return "<p>\(HTMLReport.escape(title)): no data</p>" }
        let longest = references.map { $0.label.count + 9 }.max() ?? 0
        let right = references.isEmpty ? 12.0 : Double(Swift.min(300, 6 * longest + 12))
        let (w, h, left, top, bottom) = (380.0 + right, 260.0, 56.0, 12.0, 40.0)
        let xs = points.map(\.x)
        let ys = points.map(\.y) + references.map(\.value)
        var (x0, x1) = (xs.min() ?? 0, xs.max() ?? 1)
        if x1 - x0 < 1e-9 { (x0, x1) = (x0 - 1, x1 + 1) }
        var (y0, y1) = (ys.min() ?? 0, ys.max() ?? 1)
        if y1 - y0 < 1e-9 { (y0, y1) = (y0 - 0.5, y1 + 0.5) }
        let pad = (y1 - y0) * 0.05
        let f = Frame(
            left: left, top: top, width: w - left - right, height: h - top - bottom, x0: x0, x1: x1, y0: y0 - pad,
            y1: y1 + pad)
        var s =
            "<figure><svg width=\"\(Int(w))\" height=\"\(Int(h))\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" role=\"img\" aria-label=\"\(HTMLReport.escape(title))\" font-size=\"11\">"
        s += grid(f) + referenceLines(f) + series(f)
        s += String(
            format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%@</text>", f.left + f.width / 2, h - 6,
            HTMLReport.escape(xLabel))
        s += String(
            format: "<text transform=\"translate(12,%.1f) rotate(-90)\" text-anchor=\"middle\">%@</text>",
            f.top + f.height / 2, HTMLReport.escape(yLabel + (percent ? " (%)" : "")))
        return s + "</svg><figcaption>\(HTMLReport.escape(title))</figcaption></figure>"
    }

    /// The plot area, and grid lines with labels at the ticks of both axes.
    private func grid(_ f: Frame) -> String {
        var s = String(
            format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#fcfcfc\" stroke=\"#bbb\"/>",
            f.left, f.top, f.width, f.height)
        for t in LineChart.ticks(f.y0, f.y1) {
            s += String(
                format: "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>", f.left,
                f.left + f.width, f.py(t), f.py(t))
            s += String(
                format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%@</text>", f.left - 5, f.py(t) + 4, value(t))
        }
        for t in LineChart.ticks(f.x0, f.x1, count: 6) where f.x1 - f.x0 <= 6 || t == t.rounded() {
            s += String(
                format: "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>", f.px(t), f.px(t),
                f.top, f.top + f.height)
            s += String(
                format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%@</text>", f.px(t), f.top + f.height + 14,
                String(format: "%g", t))
        }
        return s
    }

    /// The reference lines, labelled on the right from the top down, labels at least 12 px
    /// apart so that close baselines stay readable.
    private func referenceLines(_ f: Frame) -> String {
        var s = ""
        var labelY = -Double.infinity
        for (k, r) in references.enumerated().sorted(by: { $0.element.value > $1.element.value }) {
            let color = LineChart.palette[k % LineChart.palette.count]
            s += String(
                format:
                    "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%@\" stroke-dasharray=\"5 3\"/>",
                f.left, f.left + f.width, f.py(r.value), f.py(r.value), color)
            labelY = Swift.max(f.py(r.value) + 4, labelY + 12)
            s += String(
                format: "<text x=\"%.1f\" y=\"%.1f\" fill=\"%@\">%@ (%@)</text>", f.left + f.width + 4, labelY,
                color, HTMLReport.escape(r.label), value(r.value) + (percent ? "%" : ""))
        }
        return s
    }

    /// The series as a line, with its points (and their values on hover) when there are few.
    private func series(_ f: Frame) -> String {
        let line = points.map { String(format: "%.1f,%.1f", f.px($0.x), f.py($0.y)) }.joined(separator: " ")
        var s = "<polyline fill=\"none\" stroke=\"#1f4e9c\" stroke-width=\"2\" points=\"\(line)\"/>"
        for p in points.count <= 60 ? points : [] {
            s += String(
                format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"#1f4e9c\"><title>%@ %@: %@</title></circle>",
                f.px(p.x), f.py(p.y), xLabel, String(format: "%g", p.x), value(p.y) + (percent ? "%" : ""))
        }
        return s
    }
}
