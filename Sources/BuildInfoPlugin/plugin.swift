import Foundation
import PackagePlugin

/// Writes `BuildInfo.swift` into the target it is applied to: the git commit the package was
/// built from, for `textdistill --version`. It runs again when the repository's HEAD moves
/// (`.git/HEAD` and its log are the inputs); without git or a repository the commit is
/// "unknown".
@main struct BuildInfoPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let file = context.pluginWorkDirectoryURL.appending(path: "BuildInfo.swift")
        let inputs = [".git/HEAD", ".git/logs/HEAD"].map { root.appending(path: $0) }.filter {
            FileManager.default.fileExists(atPath: $0.path)
        }
        let script = """
            c=$(git -C '\(root.path)' rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
            printf '/// The commit this was built from (written by the BuildInfo plugin).\\nlet buildCommit = "%s"\\n' "$c" > '\(file.path)'
            """
        return [
            .buildCommand(
                displayName: "Recording the git commit", executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", script], inputFiles: inputs, outputFiles: [file])
        ]
    }
}
