import Distillation
import Foundation
import Tasks
import TensorCore
import Testing
import TextPipeline

@testable import CLI

/// What a command printed on stdout while `body` ran.
private func stdout(of body: () throws -> Void) throws -> String { try StandardOutput.capture(body) }

private func run(_ arguments: [String]) throws {
    var command = try TextDistill.parseAsRoot(arguments)
    try command.run()
}

private func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

/// The commands a user meets first, run in-process on the bundled data (one capture of their
/// output at a time, so these run one after another): a one-epoch `distill` with its HTML report, then `inspect`,
/// `decode` and `report` on what it wrote, each `--json` output parsed.
@Suite(.serialized) struct Commands {
    let folder = FileManager.default.temporaryDirectory.path + "/cli-commands-\(getpid())"

    @Test func distillThenInspectDecodeAndReport() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (set, html) = (folder + "/trec6.safetensors", folder + "/trec6.html")
        let summary = try json(
            stdout {
                try run([
                    "distill", "--model", "textcnn", "--epochs", "1", "--test-nets", "2", "--no-full-data", "--output",
                    set, "--report", html, "--metrics", folder + "/metrics.csv", "--json",
                ])
            })
        // The metrics file: a header, one line per outer iteration (5,452 examples in batches of
        // 1,024), then the epoch's evaluation, each with the two learned rates.
        let metrics = try String(contentsOfFile: folder + "/metrics.csv", encoding: .utf8).split(separator: "\n")
        #expect(metrics.first == "event,epoch,iteration,loss,accuracy,seconds,lr0,lr1")
        #expect(
            metrics.dropFirst().map { $0.split(separator: ",").first } == Array(repeating: "iteration", count: 6) + [
                "evaluation"
            ])
        #expect(
            metrics.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 8 })
        #expect(summary["output"] as? String == set)
        let info = try #require(summary["info"] as? [String: Any])
        let results = try #require(info["results"] as? [[String: Any]])
        let names = results.compactMap { $0["name"] as? String }
        for expected in [
            "distilled, fixed init", "distilled, decoded to words, fixed init", "6 random real examples",
            "6 k-means centroids", "6 k-means centroids as words",
        ] {
            #expect(names.contains(expected), "no '\(expected)' row in \(names)")
        }
        let task = try #require(info["task"] as? [String: Any])
        #expect(task["kind"] as? String == "text")
        #expect((task["recipe"] as? [String: Any])?["preset"] as? String == "default")

        // The report: one self-contained page holding every section.
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.hasPrefix("<!doctype html>") && page.hasSuffix("</html>\n"))
        for section in ["Results", "Training", "Soft labels", "Decoded sentences", "Settings"] {
            #expect(page.contains("<h2>\(section)</h2>"), "the report has no \(section) section")
        }
        #expect(page.components(separatedBy: "<table").count == page.components(separatedBy: "</table>").count)

        let inspected = try json(stdout { try run(["inspect", set, "--json"]) })
        #expect((inspected["settings"] as? [String: Any])?["outerEpochs"] as? Int == 1)

        let decoded = try JSONSerialization.jsonObject(
            with: Data(stdout { try run(["decode", set, "--format", "json"]) }.utf8))
        #expect("\(decoded)".contains("text"))

        let again = folder + "/again.html"
        _ = try stdout { try run(["report", set, "--output", again]) }
        #expect(try String(contentsOfFile: again, encoding: .utf8).contains("<h2>Results</h2>"))
    }

    /// The demo goes through the same run as distill: its table has the same rows.
    @Test func demoPrintsTheRunsTable() throws {
        let text = try stdout { try run(["demo", "--epochs", "2", "--test-nets", "2"]) }
        for row in [
            "distilled, fixed init", "distilled, random init", "4 random real examples", "4 k-means centroids",
            "full training split (4000)",
        ] {
            #expect(text.contains(row), "no '\(row)' in \(text)")
        }
    }

    /// A library names what would fix a bad corpus in its own words; the tool words it as its
    /// options (a Latin-1 table read as UTF-8, through the command itself).
    @Test func remediesAreWordedAsOptions() throws {
        let folder = NSTemporaryDirectory() + "textdistill-remedy-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for split in ["train", "test"] {
            try Data(Array("label,text\npos,caf".utf8) + [0xE9] + Array(" good\nneg,bad\n".utf8)).write(
                to: URL(fileURLWithPath: "\(folder)/\(split).csv"))
        }
        let error = try #require(
            { () -> InputError? in
                do { try run(["corpus", folder, "--label-column", "label", "--text-column", "text"]) } catch {
                    return error as? InputError
                }
                return nil
            }())
        #expect(error.remedy as? CorpusRemedy == .readAsLatin1)
        #expect(!error.description.contains("--"))
        #expect("\(ErrorWording.worded(error))".contains("(if the file is Latin-1, pass --encoding latin1)"))
    }

    /// Settings problems are values; the library words them without flags, the tool with them.
    @Test func settingsProblemsAreWordedWithTheirOptions() throws {
        var settings = DistillationSettings()
        (settings.perClass, settings.learningRate, settings.wordSwaps) = (0, -1, 3)
        let problems = settings.problems(classes: 6)
        #expect(problems == [.samplesPerClass(0), .learningRate(-1), .wordSwapsNeedReadableInputs])
        #expect(problems.allSatisfy { !$0.description.contains("--") })
        #expect(
            problems.map(DistillOptions.flagged) == [
                "--samples-per-class must be at least 1, got 0", "--lr must be positive, got -1.0",
                "--word-swaps needs --readable, with inputs learned (no --fixed-inputs)",
            ])
    }
}

/// Help is read in an 80-column terminal, where ArgumentParser re-wraps any line longer than
/// that: an indented line of a discussion (an example command, a row of a table) that long
/// breaks in the middle and loses its indent, so a pasted example no longer runs. Prose
/// paragraphs are single unindented lines, wrapped on purpose.
@Test func helpExamplesAndTablesFitEightyColumns() {
    let commands = [TextDistill.self] + TextDistill.configuration.subcommands
    for command in commands {
        let name = command._commandName
        for line in command.configuration.discussion.split(separator: "\n") where line.hasPrefix("  ") {
            #expect(line.count <= 78, "\(name): \(line.count) columns: \(line)")
        }
        let rendered = command.helpMessage(columns: 80)
        #expect(rendered.split(separator: "\n").allSatisfy { $0.count <= 80 || $0.hasPrefix("USAGE") }, "\(name)")
    }
}
