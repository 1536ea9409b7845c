import Distillation
import Foundation

/// A distillation run's events on stderr: one progress line with an ETA per stage (the outer
/// loop, each evaluation and baseline, the full-data training), epoch and result lines above it.
final class RunProgress {
    private var bar: Progress?
    private var stage = ""

    func show(_ event: DistillationRun.Event) {
        switch event {
        case .iteration(let done, let total, let epoch, let loss):
            let bar = current("distilling", total: total)
            bar.update(done, String(format: "epoch %d  loss %.4f", epoch, loss))
        case .evaluated(let r, let accuracy):
            log(
                String(
                    format: "epoch %3d  loss %.4f  test accuracy %@ %%  (%.1f s/epoch)", r.epoch + 1, r.loss,
                    accuracy.formatted, r.seconds ?? 0)
                    + (r.wordSwaps.map { "  \($0) swaps kept" } ?? ""))
        case .validated(let epoch, let accuracy, let kept):
            log(
                "          held-out accuracy \(accuracy.formatted) % at epoch \(epoch)"
                    + (kept ? "  (the best so far: kept)" : ""))
        case .selected(let epoch, let accuracy):
            log(String(format: "keeping the set of epoch %d (held-out accuracy %.2f %%)", epoch, 100 * accuracy))
        case .checkpointWritten:
            break
        case .setWritten(let path):
            log("wrote the distilled set to \(path); evaluating it and the baselines")
        case .assessing(let s):
            current(s.name, total: s.total).update(s.done)
        case .result(let line):
            log(line)
        }
    }

    /// A line above the progress bar.
    func log(_ line: String) {
        if let bar { bar.log(line) } else { note(line) }
    }

    private func current(_ name: String, total: Int) -> Progress {
        if let bar, name == stage { return bar }
        stage = name
        let fresh = Progress(total: total, label: name)
        bar = fresh
        return fresh
    }
}
