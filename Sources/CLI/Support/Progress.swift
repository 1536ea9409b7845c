import Foundation

/// Progress on stderr with an ETA, overwriting one line when stderr is a terminal; otherwise
/// one line per tenth of the work.
final class Progress {
    let total: Int
    let label: String
    private let watch = Stopwatch()
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private var tenthsShown = -1

    init(total: Int, label: String) {
        self.total = total
        self.label = label
    }

    /// A line above the progress bar (which the next update redraws).
    func log(_ line: String) {
        FileHandle.standardError.write(Data(((isTerminal ? "\r\u{1B}[K" : "") + line + "\n").utf8))
    }

    func update(_ done: Int, _ detail: String = "") {
        let elapsed = watch.seconds
        let eta = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        let line =
            done == 0
            ? String(format: "%@ 0/%d  %@", label, total, detail)
            : String(format: "%@ %d/%d  %.0fs elapsed, ETA %.0fs  %@", label, done, total, elapsed, eta, detail)
        if isTerminal {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line + (done == total ? "\n" : "")).utf8))
        } else if done == total || done * 10 / Swift.max(total, 1) > tenthsShown {
            tenthsShown = done * 10 / Swift.max(total, 1)
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }
}
