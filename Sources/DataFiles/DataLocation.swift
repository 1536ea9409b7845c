import Foundation

/// Where the bundled `corpora/` and `vocab/` folders are: `$TEXTDISTILL_HOME` when set, else
/// `../share/textdistill` beside the executable (an installed binary: `Scripts/install`), else
/// the checkout this program was built from, else the current directory.
public enum DataLocation {
    public static var root: String {
        if let home = ProcessInfo.processInfo.environment["TEXTDISTILL_HOME"], !home.isEmpty { return home }
        if let installed = installedRoot { return installed }
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<6 {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("corpora").path) { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }

    /// `PREFIX/share/textdistill` for an executable at `PREFIX/bin`, when it holds `corpora/`.
    static var installedRoot: String? {
        guard let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() else { return nil }
        let share = executable.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("share/textdistill")
        return FileManager.default.fileExists(atPath: share.appendingPathComponent("corpora").path) ? share.path : nil
    }

    public static var corpora: String { root + "/corpora" }
    /// GloVe 6B 50d rows for every word of the bundled corpora's vocabularies (both presets).
    public static var bundledEmbeddings: String { root + "/vocab/glove.6B.50d.subset.txt.gz" }
}
