import Distillation
import Foundation
import TensorCore

/// The distilled images of an artifact as one picture: one row per step, one cell per sample,
/// each image scaled up (pixels back in [0, 1] through the set's normalisation) under a caption
/// (its step and the class it started as), with a bar chart of its soft label under it (one bar
/// per class, negative entries in red, the largest entry's class darker) and the label's two
/// largest entries written out (`7:0.91 1:0.12`; binary sets: `P(class) 0.83`).
public enum ImageGrid {
    public static func render(_ artifact: DistilledArtifact, scale: Int = 4) -> PNGImage {
        let task = artifact.info.task
        let (c, h, w) = (task.sampleShape[0], task.sampleShape[1], task.sampleShape[2])
        let mean = task.normalisationMean ?? Array(repeating: 0, count: c)
        let std = task.normalisationStd ?? Array(repeating: 1, count: c)
        let classes = task.classNames.count
        let cellW = w * scale
        let barH = 30
        let pad = 6
        let caption = PixelFont.height + 4
        let cellH = caption + h * scale + barH + 4 + caption
        let set = artifact.set
        let cols = set.samplesPerStep
        let rows = set.stepCount
        var png = PNGImage(width: cols * (cellW + pad) + pad, height: rows * (cellH + pad) + pad, channels: 3)
        for s in 0..<rows {
            let x = set.inputs[s].floats
            let y = set.labels[s].doubles
            let outputs = set.labels[s].shape[1]
            for i in 0..<cols {
                let ox = pad + i * (cellW + pad)
                let top = pad + s * (cellH + pad)
                let title = "step \(s): " + task.classNames[set.rowClasses[i]]
                png.draw(String(title.prefix(PixelFont.fitting(cellW))), x: ox, y: top + 1, (40, 40, 40))
                let oy = top + caption
                for yy in 0..<h {
                    for xx in 0..<w {
                        func value(_ ch: Int) -> UInt8 {
                            let v = Double(x[((i * c + ch) * h + yy) * w + xx]) * std[ch] + mean[ch]
                            return UInt8(Swift.max(0, Swift.min(255, (v * 255).rounded())))
                        }
                        let rgb = c == 3 ? (value(0), value(1), value(2)) : (value(0), value(0), value(0))
                        png.fill(x: ox + xx * scale, y: oy + yy * scale, width: scale, height: scale, rgb)
                    }
                }
                // The soft label: binary sets show P(class 1) as one bar.
                let label = outputs == 1 ? [1 - y[i], y[i]] : Array(y[(i * outputs)..<((i + 1) * outputs)])
                let peak = label.map(abs).max() ?? 1
                let best = label.indices.max { label[$0] < label[$1] } ?? 0
                let barW = Swift.max(1, cellW / Swift.max(classes, 1))
                let base = oy + h * scale + 4
                png.fill(x: ox, y: base, width: cellW, height: barH, (235, 235, 235))
                for k in 0..<label.count {
                    let length = Int((abs(label[k]) / Swift.max(peak, 1e-12) * Double(barH)).rounded())
                    let color: (UInt8, UInt8, UInt8) =
                        label[k] < 0 ? (200, 60, 60) : (k == best ? (30, 70, 160) : (120, 150, 200))
                    png.fill(
                        x: ox + k * barW, y: base + barH - length, width: Swift.max(1, barW - 1), height: length, color)
                }
                let text = ImageGrid.topEntries(label, names: task.classNames, binary: outputs == 1)
                png.draw(String(text.prefix(PixelFont.fitting(cellW))), x: ox, y: base + barH + 3, (30, 70, 160))
            }
        }
        return png
    }

    /// The label's two largest entries as `class:value`, or a binary set's `P(class) value`.
    static func topEntries(_ label: [Double], names: [String], binary: Bool) -> String {
        if binary { return String(format: "P(%@) %.2f", names[1], label[1]) }
        return label.indices.sorted { label[$0] > label[$1] }.prefix(2).map {
            String(format: "%@:%.2f", names[$0], label[$0])
        }.joined(separator: " ")
    }
}
