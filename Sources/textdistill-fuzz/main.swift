// textdistill-fuzz TARGET COUNT [--start I] [--seed S] [--work DIR] [--root DIR]
// Feeds the reader TARGET (or `list`: the targets) COUNT mutated inputs in process; Scripts/fuzz
// runs it, keeps every input that crashes it as a regression fixture and goes on after it.
import Foundation
import Fuzz

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("textdistill-fuzz: \(message)\n".utf8))
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
var options: [String: String] = [:]
while let k = arguments.firstIndex(where: { $0.hasPrefix("--") }) {
    guard k + 1 < arguments.count else { fail("\(arguments[k]) needs a value") }
    options[String(arguments[k].dropFirst(2))] = arguments[k + 1]
    arguments.removeSubrange(k...(k + 1))
}
if arguments.first == "list" {
    print(FuzzTarget.all.map(\.name).joined(separator: "\n"))
    exit(0)
}
guard arguments.count == 2, let target = FuzzTarget.named(arguments[0]), let count = Int(arguments[1]), count >= 0
else {
    fail(
        "usage: textdistill-fuzz TARGET COUNT [--start I] [--seed S] [--work DIR] [--root DIR]; targets: "
            + FuzzTarget.all.map(\.name).joined(separator: ", "))
}
guard let start = Int(options["start"] ?? "0"), let seed = UInt64(options["seed"] ?? "1") else {
    fail("--start and --seed take whole numbers")
}
let work = options["work"] ?? NSTemporaryDirectory() + "textdistill-fuzz-\(target.name)"
do {
    let counts = try FuzzRun.run(
        target, root: options["root"] ?? FileManager.default.currentDirectoryPath, work: work, start: start,
        count: count,
        seed: seed)
    print(
        "\(target.name): \(counts.inputs) inputs (\(start)..<\(start + count)), \(counts.read) read, "
            + "\(counts.refused) refused with an error, \(String(format: "%.1f", counts.seconds)) s")
} catch {
    fail("\(error)")
}
