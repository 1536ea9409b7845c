import DataFiles
import Distillation
import Foundation
import Tasks
import Testing

@testable import CLI

extension Commands {
    /// A set distilled from a corpus folder names it by absolute path with a content hash, holds
    /// its own words (so `decode` needs no corpus once it moved), and says when the corpus
    /// changed under it.
    @Test func artifactsTravelWithTheirWords() throws {
        let root = FileManager.default.temporaryDirectory.path + "/portable-\(getpid())"
        let corpus = root + "/reviews"
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let lines = try String(contentsOfFile: DataLocation.corpora + "/rotten-tomatoes/train.tsv", encoding: .utf8)
            .split(separator: "\n").dropFirst()
        let fresh = lines.filter { $0.hasPrefix("fresh") }.prefix(60)
        let rotten = lines.filter { $0.hasPrefix("rotten") }.prefix(60)
        let rows = zip(fresh, rotten).flatMap { [$0, $1] }.map(String.init)
        try ("label\ttext\n" + rows.joined(separator: "\n") + "\n").write(
            toFile: corpus + "/all.tsv", atomically: true, encoding: .utf8)
        let set = root + "/set.safetensors"
        _ = try StandardOutput.capture {
            var command = try TextDistill.parseAsRoot([
                "distill", "--data", corpus + "/all.tsv", "--test-fraction", "0.25", "--model", "textcnn", "--epochs",
                "1", "--no-baselines", "--no-full-data", "--test-nets", "2", "--output", set,
            ])
            try command.run()
        }
        let (artifact, _, _) = try DistilledArtifact.read(set)
        #expect(artifact.info.task.data == corpus + "/all.tsv")
        #expect(artifact.info.task.dataSHA256?.count == 64 && artifact.info.task.recipe?.testFraction == 0.25)
        #expect(artifact.info.formatVersion == 2 && artifact.words?.words.isEmpty == false)

        func decode(_ extra: [String] = []) throws -> String {
            try StandardOutput.capture {
                var command = try TextDistill.parseAsRoot(["decode", set] + extra)
                try command.run()
            }
        }
        // --like: the same data, recipe, model and settings, but what is given again.
        let like = root + "/like.safetensors"
        _ = try StandardOutput.capture {
            var command = try TextDistill.parseAsRoot([
                "distill", "--like", set, "--seed", "2", "--no-baselines", "--no-full-data", "--test-nets", "2",
                "--output", like,
            ])
            try command.run()
        }
        let again = try DistilledArtifact.read(like).artifact.info
        var expected = artifact.info.settings
        expected.seed = 2
        #expect(again.settings == expected && again.model == artifact.info.model && again.task == artifact.info.task)

        let withCorpus = try decode(["--data", corpus + "/all.tsv"])
        try FileManager.default.moveItem(atPath: corpus, toPath: root + "/moved")
        #expect(try decode() == withCorpus)

        // The corpus named where it is now; an edited file is noticed, not refused.
        var notices: [String] = []
        let moved = try LoadedTask.matching(
            artifact.info.task, artifactPath: set, data: root + "/moved/all.tsv", notice: { notices.append($0) })
        #expect(moved.identity.dataSHA256 == artifact.info.task.dataSHA256 && notices.isEmpty)
        // A trailing space: the same tokens, vocabulary and split, other bytes.
        let text = try String(contentsOfFile: root + "/moved/all.tsv", encoding: .utf8)
        try text.replacingOccurrences(of: "\n", with: " \n").replacingOccurrences(of: "text \n", with: "text\n")
            .write(toFile: root + "/moved/all.tsv", atomically: true, encoding: .utf8)
        let edited = try LoadedTask.matching(
            artifact.info.task, artifactPath: set, data: root + "/moved/all.tsv", notice: { notices.append($0) })
        #expect(edited.identity.dataSHA256 != artifact.info.task.dataSHA256)
        #expect(notices.count == 1 && notices[0].contains("content hash changed"))
    }
}
