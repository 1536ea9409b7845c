import DataFiles
import Foundation
import TensorCore

/// Finds and reads a corpus: a bundled one by name, or a user's in any supported format.
///
/// Bundled (`corpora/`): `trec6`, `trec50` (TREC, Li & Roth), `rotten-tomatoes` (Rotten
/// Tomatoes snippets, Pang & Lee: fresh/rotten, a fixed seeded split; NOT SST), `fine-foods`
/// (Amazon Fine Food reviews, McAuley & Leskovec: great/other; NOT IMDB).
///
/// A path is read by its layout:
/// - a folder with `train_5500.label` and `TREC_10.label` → TREC (`fineLabels` for TREC-50);
/// - a folder with `train/pos`, `train/neg`, `test/…` (or its parent holding `aclImdb/`) → IMDB;
/// - a folder with `train.txt` and `test.txt` holding PTB trees → SST-5 (`binary` for SST-2);
/// - a folder with `train.tsv|csv` and `test.tsv|csv` → a table, with `labelColumn` and
///   `textColumn` naming its columns.
public struct CorpusLoader {
    public var labelColumn: String? = nil
    public var textColumn: String? = nil
    public var fineLabels = false
    public var binary = false
    public var encoding: TextEncoding = .utf8
    public var maxLength: Int? = nil

    public init() {}

    public static let bundledNames = ["trec6", "trec50", "rotten-tomatoes", "fine-foods"]

    /// Vocabulary defaults for the bundled corpora: the sentiment sets keep words seen at
    /// least twice in training (their bundled GloVe rows cover exactly those).
    public static func minWordFrequency(_ name: String) -> Int {
        ["rotten-tomatoes", "fine-foods"].contains(name) ? 2 : 1
    }

    public func load(_ nameOrPath: String) throws -> Corpus {
        let dir = DataLocation.corpora
        switch nameOrPath {
        case "trec6", "trec50":
            let fine = nameOrPath == "trec50"
            return try trec(dir + "/trec", name: nameOrPath, fine: fine)
        case "rotten-tomatoes", "fine-foods":
            return try Corpus(
                name: nameOrPath,
                train: DelimitedReader.read("\(dir)/\(nameOrPath)/train.tsv", labelColumn: "label", textColumn: "text"),
                test: DelimitedReader.read("\(dir)/\(nameOrPath)/test.tsv", labelColumn: "label", textColumn: "text"),
                maxLength: maxLength ?? (nameOrPath == "fine-foods" ? 200 : 50))
        default:
            return try loadPath(nameOrPath)
        }
    }

    private func trec(_ folder: String, name: String, fine: Bool) throws -> Corpus {
        try Corpus(
            name: name,
            train: TRECReader.read(folder + "/train_5500.label", fine: fine, encoding: encoding),
            test: TRECReader.read(folder + "/TREC_10.label", fine: fine, encoding: encoding),
            maxLength: maxLength ?? (fine ? 20 : 30))
    }

    private func loadPath(_ path: String) throws -> Corpus {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(
                "unknown corpus '\(path)': not a bundled name (\(CorpusLoader.bundledNames.joined(separator: ", "))) nor an existing path"
            )
        }
        guard isDirectory.boolValue else {
            throw InputError(
                file: path,
                "a corpus path must be a folder holding its train and test files", remedy: CorpusRemedy.useACorpusFolder
            )
        }
        func has(_ p: String) -> Bool { fm.fileExists(atPath: "\(path)/\(p)") }
        let name = URL(fileURLWithPath: path).lastPathComponent
        if has("train_5500.label") && has("TREC_10.label") {
            return try trec(path, name: name, fine: fineLabels)
        }
        let imdbRoot = has("aclImdb/train/pos") ? "\(path)/aclImdb" : path
        if fm.fileExists(atPath: "\(imdbRoot)/train/pos") {
            return try Corpus(
                name: name, train: IMDBReader.read(root: imdbRoot, split: "train", encoding: encoding),
                test: IMDBReader.read(root: imdbRoot, split: "test", encoding: encoding),
                maxLength: maxLength ?? 400, order: IMDBReader.classes)
        }
        if has("train.txt") && has("test.txt") {
            return try Corpus(
                name: name, train: SSTReader.read("\(path)/train.txt", binary: binary, encoding: encoding),
                test: SSTReader.read("\(path)/test.txt", binary: binary, encoding: encoding),
                maxLength: maxLength ?? 56, order: binary ? SSTReader.binaryClasses : SSTReader.fineClasses)
        }
        for ext in ["tsv", "csv", "tsv.gz", "csv.gz"] where has("train.\(ext)") && has("test.\(ext)") {
            guard let labelColumn, let textColumn else {
                throw InputError(
                    file: "\(path)/train.\(ext)", "a table needs its label and text columns named",
                    remedy: CorpusRemedy.nameLabelAndTextColumns)
            }
            return try Corpus(
                name: name,
                train: DelimitedReader.read(
                    "\(path)/train.\(ext)", labelColumn: labelColumn, textColumn: textColumn, encoding: encoding),
                test: DelimitedReader.read(
                    "\(path)/test.\(ext)", labelColumn: labelColumn, textColumn: textColumn, encoding: encoding),
                maxLength: maxLength ?? 100)
        }
        throw InputError(
            file: path,
            "no known corpus layout (TREC .label files, aclImdb, SST train.txt/test.txt trees, or train/test .tsv/.csv)"
        )
    }
}
