import ArgumentParser
import Foundation
import TensorCore

/// The `textdistill` command; `Sources/textdistill/main.swift` runs it.
public struct TextDistill: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "textdistill",
        abstract: "Soft-label dataset distillation, text first.",
        discussion: """
            Learns a tiny synthetic training set (inputs, soft labels and per-step learning rates) \
            that trains a fresh classifier almost as well as the whole corpus, by differentiating \
            through the unrolled training with the exact meta-gradient (Sucholutsky & Schonlau, \
            arXiv 1910.02551; Wang et al., arXiv 1811.10959).

            Data: the bundled corpora and GloVe rows are found in $TEXTDISTILL_HOME when set, \
            else in ../share/textdistill beside the executable (Scripts/install PREFIX puts them \
            there), else in the checkout the program was built from.
            """,
        version: TextDistill.version,
        subcommands: [
            Distill.self, Evaluate.self, Decode.self, Baseline.self, Inspect.self, ReportCommand.self,
            CorpusCommand.self, Train.self, GloVeSubset.self, Demo.self, Bench.self,
        ])

    /// The release and the commit it was built from.
    public static let version = "textdistill \(release) (commit \(buildCommit))"
    public static let release = "0.9.0"

    /// Before anything else: never run OpenBLAS's fallback kernels on a processor that can do
    /// better (this may re-execute the program once with OPENBLAS_CORETYPE set).
    public init() {}

    /// An error as the tool words it (a library's remedy as the option that applies it).
    public static func worded(_ error: Error) -> Error { ErrorWording.worded(error) }

    public static func main() {
        if let line = BLASKernel.switchIfFallback() {
            FileHandle.standardError.write(Data(("textdistill: " + line + "\n").utf8))
        }
        do {
            var command = try parseAsRoot(nil)
            try command.run()
        } catch {
            exit(withError: ErrorWording.worded(error))
        }
    }
}
