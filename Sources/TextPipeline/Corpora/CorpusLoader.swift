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
/// - a folder with `train` and `test` tables (`.tsv`, `.csv`, `.jsonl`, gzipped too; see
///   `TableReader`), and optionally `validation` (or `dev`): used for choosing, never for the
///   reported accuracy. With no `test` table, the test split is `testFraction` of `train`, or
///   else the `validation` table (a Hugging Face export: `train.csv` + `validation.csv`);
/// - one table file → the training split, its test split `testFraction` of it (seeded by
///   `splitSeed`, stratified: `CorpusSplit`) or the table `testFile`.
/// A table's columns are `labelColumn` and `textColumn`, by default `label` and `text`
/// (`TableColumns`).
public struct CorpusLoader {
    public var labelColumn: String? = nil
    public var textColumn: String? = nil
    /// One table, or a folder without a test table: the share of each class held out as the test split.
    public var testFraction: Double? = nil
    /// One table: the table of the test split.
    public var testFile: String? = nil
    /// The seed of the `testFraction` split.
    public var splitSeed: UInt64 = 1
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

    /// The corpus named or at the path; `notice` hears how its splits were formed when that is
    /// not plain (a validation table used as the test split).
    public func load(_ nameOrPath: String, notice: (String) -> Void = { _ in }) throws -> Corpus {
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
            return try loadPath(nameOrPath, notice: notice)
        }
    }

    private func trec(_ folder: String, name: String, fine: Bool) throws -> Corpus {
        try Corpus(
            name: name,
            train: TRECReader.read(folder + "/train_5500.label", fine: fine, encoding: encoding),
            test: TRECReader.read(folder + "/TREC_10.label", fine: fine, encoding: encoding),
            maxLength: maxLength ?? (fine ? 20 : 30))
    }

    private func loadPath(_ path: String, notice: (String) -> Void) throws -> Corpus {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(
                "unknown corpus '\(path)': not a bundled name (\(CorpusLoader.bundledNames.joined(separator: ", "))) nor an existing path"
            )
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        guard isDirectory.boolValue else { return try table(path, name: name) }
        if testFile != nil {
            throw InputError(file: path, "is a folder: a separate test file goes with one table file")
        }
        func has(_ p: String) -> Bool { fm.fileExists(atPath: "\(path)/\(p)") }
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
        if let train = TableReader.extensions.map({ "\(path)/train.\($0)" }).first(where: fm.fileExists) {
            return try tables(train: train, in: path, name: name, notice: notice)
        }
        throw InputError(
            file: path,
            "no known corpus layout (TREC .label files, aclImdb, SST train.txt/test.txt trees, or train/test tables: .tsv, .csv, .jsonl)",
            remedy: CorpusRemedy.useACorpusFolder)
    }

    /// The first of the tables `stems` (any of `TableReader.extensions`) in `folder`.
    private func firstTable(_ stems: [String], in folder: String) -> String? {
        for stem in stems {
            for ext in TableReader.extensions where FileManager.default.fileExists(atPath: "\(folder)/\(stem).\(ext)") {
                return "\(folder)/\(stem).\(ext)"
            }
        }
        return nil
    }

    private func read(_ path: String) throws -> [RawExample] {
        try TableReader.read(path, labelColumn: labelColumn, textColumn: textColumn, encoding: encoding)
    }

    /// A folder of tables: train, and test, validation (or dev), as they are there.
    private func tables(train trainPath: String, in folder: String, name: String, notice: (String) -> Void) throws
        -> Corpus
    {
        let testPath = firstTable(["test"], in: folder)
        let validationPath = firstTable(["validation", "dev", "valid"], in: folder)
        var train = try read(trainPath)
        var validation = try validationPath.map(read) ?? []
        let test: [RawExample]
        if let testPath {
            if testFraction != nil {
                throw InputError(
                    file: testPath, "the folder has its own test split; a test fraction splits a folder without one")
            }
            test = try read(testPath)
        } else if let testFraction {
            (train, test) = CorpusSplit.split(train, testFraction: testFraction, seed: splitSeed)
        } else if let validationPath {
            notice("\(folder): no test table; \((validationPath as NSString).lastPathComponent) is the test split")
            (test, validation) = (validation, [])
        } else {
            throw InputError(
                file: folder, "has a training table but no test or validation table",
                remedy: CorpusRemedy.splitOffATestSet)
        }
        return try Corpus(name: name, train: train, test: test, validation: validation, maxLength: maxLength ?? 100)
    }

    /// One table file, with its test split cut from it or read from `testFile`.
    private func table(_ path: String, name: String) throws -> Corpus {
        guard TableReader.handles(path) else {
            throw InputError(
                file: path, "is neither a corpus folder nor a table (.tsv, .csv, .jsonl, gzipped too)",
                remedy: CorpusRemedy.useACorpusFolder)
        }
        let all = try read(path)
        let (train, test): ([RawExample], [RawExample])
        switch (testFraction, testFile) {
        case (nil, let file?): (train, test) = (all, try read(file))
        case (let fraction?, nil): (train, test) = CorpusSplit.split(all, testFraction: fraction, seed: splitSeed)
        case (nil, nil):
            throw InputError(file: path, "is one table, with no test split", remedy: CorpusRemedy.splitOffATestSet)
        case (_?, _?):
            throw InputError(file: path, "a test fraction and a test file both name the test split; give one")
        }
        guard !test.isEmpty else {
            throw InputError(file: path, "the test fraction leaves no test example (too few examples per class)")
        }
        // sms.csv.gz and sms.csv are both "sms".
        let stem = ((name.hasSuffix(".gz") ? String(name.dropLast(3)) : name) as NSString).deletingPathExtension
        return try Corpus(
            name: stem, train: train, test: test,
            maxLength: maxLength ?? 100)
    }
}
