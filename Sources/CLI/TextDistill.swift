import ArgumentParser

@main
struct TextDistill: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "textdistill",
        abstract: "Soft-label dataset distillation, text first.",
        subcommands: [])
}
