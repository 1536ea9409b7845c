import Foundation
import TensorCore

/// A training schedule written as text: soft-labelled sentences in steps, each step with its
/// learning rate in every pass, the exchange format of distilled text (`decode --format tsv`).
///
/// TSV: lines starting with `#` are comments; a header `text  step  class  label:C…  lr:pass1 …`
/// names the columns (the class the row stands for, a label column per class with the training
/// loss's targets, a rate column per pass over the steps; `class` may be left out). JSONL: one
/// object per sentence, `{"text", "step", "class", "label": {class: target}, "learningRates":
/// [per pass]}`; an object with an `about` key is a comment.
/// Training from such a file: for each pass e and each step s in order, one SGD step on the
/// step's sentences with their targets and the rate `lr:pass(e+1)` of that step.
public struct SoftLabelledTexts: Equatable, Sendable {
    public struct Sentence: Equatable, Sendable {
        public var text: String
        public var step: Int
        /// The class the row stands for (a distilled row: the class it started as), if known.
        public var rowClass: String?
        /// One target per class, in `classNames` order.
        public var targets: [Double]
        /// The step's learning rate in each pass.
        public var learningRates: [Double]

        public init(text: String, step: Int, rowClass: String? = nil, targets: [Double], learningRates: [Double]) {
            (self.text, self.step, self.rowClass, self.targets, self.learningRates) = (
                text, step, rowClass, targets, learningRates
            )
        }

        /// `rowClass`, or the class of the largest target.
        public func classIndex(_ classNames: [String]) -> Int {
            rowClass.flatMap { classNames.firstIndex(of: $0) } ?? targets.indices.max { targets[$0] < targets[$1] } ?? 0
        }
    }

    public var classNames: [String]
    public var sentences: [Sentence]

    public init(classNames: [String], sentences: [Sentence]) {
        self.classNames = classNames
        self.sentences = sentences
    }

    public var steps: Int { (sentences.map(\.step).max() ?? -1) + 1 }
    public var passes: Int { sentences.first?.learningRates.count ?? 0 }

    // MARK: Writing

    /// The TSV text, with `about` as leading comment lines.
    public func tsv(about: [String]) -> String {
        var lines = about.map { "# " + $0 }
        lines.append(
            (["text", "step", "class"] + classNames.map { "label:" + $0 } + (0..<passes).map { "lr:pass\($0 + 1)" })
                .joined(separator: "\t"))
        for s in sentences {
            lines.append(
                ([SoftLabelledTexts.clean(s.text), String(s.step), s.rowClass ?? classNames[s.classIndex(classNames)]]
                    + s.targets.map(SoftLabelledTexts.number)
                    + s.learningRates.map(SoftLabelledTexts.number)).joined(separator: "\t"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The JSONL text: an `about` object, then one object per sentence.
    public func jsonl(about: [String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var lines = [String(decoding: try encoder.encode(About(about: about, classNames: classNames)), as: UTF8.self)]
        for s in sentences {
            let line = Line(
                text: SoftLabelledTexts.clean(s.text), step: s.step, class: s.rowClass,
                label: Dictionary(uniqueKeysWithValues: zip(classNames, s.targets)),
                learningRates: s.learningRates)
            lines.append(String(decoding: try encoder.encode(line), as: UTF8.self))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private struct About: Codable {
        let about: [String]
        let classNames: [String]
    }
    private struct Line: Codable {
        let text: String
        let step: Int
        let `class`: String?
        let label: [String: Double]
        let learningRates: [Double]

        enum CodingKeys: String, CodingKey {
            case text, step, `class`, label, learningRates
            /// Files written before 0.9 named the rates in snake case.
            case legacyLearningRates = "learning_rates"
        }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            text = try c.decode(String.self, forKey: .text)
            step = try c.decode(Int.self, forKey: .step)
            `class` = try c.decodeIfPresent(String.self, forKey: .class)
            label = try c.decode([String: Double].self, forKey: .label)
            learningRates =
                try c.decodeIfPresent([Double].self, forKey: .learningRates)
                ?? c.decode([Double].self, forKey: .legacyLearningRates)
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(text, forKey: .text)
            try c.encode(step, forKey: .step)
            try c.encodeIfPresent(`class`, forKey: .class)
            try c.encode(label, forKey: .label)
            try c.encode(learningRates, forKey: .learningRates)
        }

        init(text: String, step: Int, class: String?, label: [String: Double], learningRates: [Double]) {
            (self.text, self.step, self.`class`, self.label, self.learningRates) = (
                text, step, `class`, label, learningRates
            )
        }
    }

    static func number(_ x: Double) -> String { String(format: "%.9g", x) }
    static func clean(_ text: String) -> String {
        text.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ").replacingOccurrences(
            of: "\r", with: " ")
    }

    // MARK: Reading

    /// Reads a file written by `tsv` or `jsonl` (by its extension: `.jsonl`, else TSV), checking
    /// every line; errors name the file and line.
    public static func read(path: String) throws -> SoftLabelledTexts {
        let lines = try TextFile(path: path).lines
        let result = path.hasSuffix(".jsonl") ? try readJSONL(lines, path: path) : try readTSV(lines, path: path)
        try result.check(path: path)
        return result
    }

    static func readTSV(_ lines: [String], path: String) throws -> SoftLabelledTexts {
        var header: [String]? = nil
        var classNames: [String] = []
        var rateColumns: [Int] = []
        var labelColumns: [Int] = []
        var classColumn: Int? = nil
        var sentences: [Sentence] = []
        for (i, line) in lines.enumerated()
        where !line.hasPrefix("#") && !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard let h = header else {
                guard fields.count >= 4, fields[0] == "text", fields[1] == "step" else {
                    throw InputError(
                        file: path, line: i + 1, "expected the header 'text<TAB>step<TAB>label:CLASS…<TAB>lr:pass1…'")
                }
                labelColumns = fields.indices.filter { fields[$0].hasPrefix("label:") }
                rateColumns = fields.indices.filter { fields[$0].hasPrefix("lr:") }
                classColumn = fields.firstIndex(of: "class")
                classNames = labelColumns.map { String(fields[$0].dropFirst(6)) }
                guard labelColumns.count >= 2, !rateColumns.isEmpty,
                    labelColumns.count + rateColumns.count + 2 + (classColumn == nil ? 0 : 1) == fields.count
                else {
                    throw InputError(
                        file: path, line: i + 1,
                        "the header needs 'label:' columns for at least 2 classes and 'lr:' columns, "
                            + "and besides text, step and class nothing else")
                }
                header = fields
                continue
            }
            guard fields.count == h.count else {
                throw InputError(file: path, line: i + 1, "has \(fields.count) columns, the header \(h.count)")
            }
            func value(_ c: Int) throws -> Double {
                guard let v = Double(fields[c]), v.isFinite else {
                    throw InputError(file: path, line: i + 1, "column '\(h[c])' is not a finite number: '\(fields[c])'")
                }
                return v
            }
            guard let step = Int(fields[1]), step >= 0 else {
                throw InputError(file: path, line: i + 1, "step '\(fields[1])' is not a count")
            }
            let rowClass = classColumn.map { fields[$0] }
            if let rowClass, !classNames.contains(rowClass) {
                throw InputError(
                    file: path, line: i + 1, "class '\(rowClass)' is not one of \(classNames.joined(separator: ", "))")
            }
            sentences.append(
                Sentence(
                    text: fields[0], step: step, rowClass: rowClass, targets: try labelColumns.map(value),
                    learningRates: try rateColumns.map(value)))
        }
        guard header != nil else { throw InputError(file: path, "has no header line (text, step, label:…, lr:…)") }
        return SoftLabelledTexts(classNames: classNames, sentences: sentences)
    }

    static func readJSONL(_ lines: [String], path: String) throws -> SoftLabelledTexts {
        var classNames: [String]? = nil
        var sentences: [Sentence] = []
        let decoder = JSONDecoder()
        for (i, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            if let about = try? decoder.decode(About.self, from: Data(line.utf8)) {
                classNames = about.classNames
                continue
            }
            let l: Line
            do { l = try decoder.decode(Line.self, from: Data(line.utf8)) } catch {
                throw InputError(
                    file: path, line: i + 1, "is not a sentence object {text, step, label, learningRates}")
            }
            let names = classNames ?? l.label.keys.sorted()
            classNames = names
            guard Set(l.label.keys) == Set(names) else {
                throw InputError(
                    file: path, line: i + 1, "labels \(l.label.keys.sorted()) differ from the classes \(names)")
            }
            if let c = l.class, !names.contains(c) {
                throw InputError(file: path, line: i + 1, "class '\(c)' is not one of \(names)")
            }
            sentences.append(
                Sentence(
                    text: l.text, step: l.step, rowClass: l.class, targets: names.map { l.label[$0] ?? 0 },
                    learningRates: l.learningRates))
        }
        return SoftLabelledTexts(classNames: classNames ?? [], sentences: sentences)
    }

    /// Every step holds the same number of sentences, every sentence the same rates per pass.
    func check(path: String) throws {
        guard classNames.count >= 2 else { throw InputError(file: path, "names fewer than 2 classes") }
        guard !sentences.isEmpty else { throw InputError(file: path, "holds no sentences") }
        let counts = (0..<steps).map { s in sentences.filter { $0.step == s }.count }
        guard let n = counts.first, n > 0, counts.allSatisfy({ $0 == n }) else {
            throw InputError(
                file: path, "steps must be numbered 0… with the same number of sentences each, found \(counts)")
        }
        for s in 0..<steps {
            let rates = sentences.filter { $0.step == s }.map(\.learningRates)
            guard rates.allSatisfy({ $0 == rates[0] }), !rates[0].isEmpty, rates.allSatisfy({ $0.count == passes }),
                rates[0].allSatisfy({ $0 > 0 && $0.isFinite })
            else {
                throw InputError(
                    file: path, "the sentences of step \(s) must share \(passes) positive learning rates, one per pass")
            }
        }
        guard sentences.allSatisfy({ $0.targets.count == classNames.count && $0.targets.allSatisfy(\.isFinite) }) else {
            throw InputError(
                file: path, "every sentence needs a finite target for each of the \(classNames.count) classes")
        }
    }
}
