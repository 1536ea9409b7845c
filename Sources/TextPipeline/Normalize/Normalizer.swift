import CUTF8Proc

/// utf8proc's LUMP folds single curly quotes to ' but leaves double ones; fold those to ".
private func lumpDoubleQuotes(_ cp: utf8proc_int32_t, _: UnsafeMutableRawPointer?) -> utf8proc_int32_t {
    switch cp {
    case 0x201C...0x201F, 0x00AB, 0x00BB, 0x2033, 0x2036: return 0x22
    default: return cp
    }
}

/// Text after normalisation, with where each byte came from in the original UTF-8.
public struct NormalizedText {
    /// The normalised text as UTF-8 bytes.
    public internal(set) var bytes: [UInt8] = []
    /// For each normalised byte, the original byte range it came from (empty arrays when
    /// offsets were not asked for).
    var originStart: [Int32] = []
    var originEnd: [Int32] = []

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The original byte range of normalised bytes `range`.
    public func originalRange(of range: Range<Int>) -> Range<Int>? {
        guard !originStart.isEmpty, !range.isEmpty else { return nil }
        return Int(originStart[range.lowerBound])..<Int(originEnd[range.upperBound - 1])
    }
}

/// The first stage of the text pipeline: Unicode normalisation, case, markup and control
/// characters. Applied to one document or sentence at a time (never a whole corpus as one
/// string).
///
/// - `.nfkcCaseFold`: utf8proc's NFKC with full case folding ("Straße" → "strasse",
///   "ﬁle" → "file", full-width "Ａ" → "a"), "lumping" of typographic variants to ASCII
///   (curly and angle quotes → ' and ", dashes and minus → -), default-ignorable characters (zero-width space…)
///   removed.
/// - `.lowercase`: per-code-point lowercase and nothing else (the reference code's
///   `str.lower()`).
///
/// With `stripControl`, tab, newline, carriage return and form feed become spaces and other
/// control characters are removed. With `stripHTML`, a markup tag (`<br />`, `<i>`, `</p>`)
/// becomes one space.
///
/// ASCII fast path: a byte below 0x80 not followed by a non-ASCII byte is a grapheme cluster
/// of its own, and NFKC leaves it alone, so it only needs a table lookup. Everything else is
/// normalised one grapheme cluster at a time by utf8proc (normalisation never crosses a
/// cluster boundary), which is also what keeps the byte offsets exact.
public struct Normalizer: Sendable, Equatable {
    public enum UnicodeForm: String, Sendable { case nfkcCaseFold, lowercase }

    public var form: UnicodeForm
    public var stripControl: Bool
    public var stripHTML: Bool

    public init(form: UnicodeForm = .nfkcCaseFold, stripControl: Bool = true, stripHTML: Bool = false) {
        self.form = form
        self.stripControl = stripControl
        self.stripHTML = stripHTML
    }

    public enum Failure: Error, Equatable {
        /// The input is not valid UTF-8 at this byte offset.
        case invalidUTF8(byteOffset: Int)
    }

    public func normalize(_ text: String, offsets: Bool = true) -> NormalizedText {
        var text = text
        // A Swift String is valid UTF-8, so this cannot fail.
        do { return try text.withUTF8 { try normalize(utf8: $0, offsets: offsets) } } catch {
            preconditionFailure("Normalizer: a Swift string was not valid UTF-8: \(error)")
        }
    }

    /// Normalises raw UTF-8 bytes; invalid UTF-8 is an error (never silently replaced).
    public func normalize(utf8 input: UnsafeBufferPointer<UInt8>, offsets: Bool = true) throws -> NormalizedText {
        var out = NormalizedText()
        out.bytes.reserveCapacity(input.count + 16)
        if offsets {
            out.originStart.reserveCapacity(input.count + 16)
            out.originEnd.reserveCapacity(input.count + 16)
        }
        let n = input.count
        var i = 0
        while i < n {
            // A run of ASCII bytes, less its last byte when a non-ASCII one follows (that byte
            // may start a cluster, as 'e' + combining acute does).
            var j = i
            while j < n && input[j] < 0x80 { j += 1 }
            let runEnd = j < n && j > i ? j - 1 : j
            if runEnd > i {
                asciiRun(input, i..<runEnd, into: &out, offsets: offsets)
                i = runEnd
                continue
            }
            let end = try clusterEnd(input, from: i)
            try mapCluster(UnsafeBufferPointer(rebasing: input[i..<end]), start: i, into: &out, offsets: offsets)
            i = end
        }
        return out
    }

    /// The ASCII fast path over bytes `run`, each its own grapheme cluster: one table lookup
    /// per byte, written through pointers into space reserved up front.
    private func asciiRun(
        _ input: UnsafeBufferPointer<UInt8>, _ run: Range<Int>, into out: inout NormalizedText, offsets: Bool
    ) {
        let table = stripControl ? Normalizer.asciiStrippingControl : Normalizer.asciiKeepingControl
        let start = out.bytes.count
        var written = 0
        out.bytes.append(contentsOf: repeatElement(0, count: run.count))
        if offsets {
            out.originStart.append(contentsOf: repeatElement(0, count: run.count))
            out.originEnd.append(contentsOf: repeatElement(0, count: run.count))
        }
        table.withUnsafeBufferPointer { map in
            out.bytes.withUnsafeMutableBufferPointer { bytes in
                out.originStart.withUnsafeMutableBufferPointer { from in
                    out.originEnd.withUnsafeMutableBufferPointer { to in
                        let dst = bytes.pointer(at: start)
                        var k = run.lowerBound
                        while k < run.upperBound {
                            let c = input[k]
                            var next = k + 1
                            var mapped = map[Int(c)]
                            if c == 0x3C && stripHTML, let end = Normalizer.tagEnd(input, from: k),
                                end <= run.upperBound
                            {
                                mapped = 0x20
                                next = end
                            }
                            if mapped != 0xFF {
                                dst[written] = mapped
                                if offsets {
                                    from[start + written] = Int32(k)
                                    to[start + written] = Int32(next)
                                }
                                written += 1
                            }
                            k = next
                        }
                    }
                }
            }
        }
        out.bytes.removeLast(run.count - written)
        if offsets {
            out.originStart.removeLast(run.count - written)
            out.originEnd.removeLast(run.count - written)
        }
    }

    @inline(__always)
    private func emit(_ out: inout NormalizedText, _ byte: UInt8, _ start: Int, _ end: Int, _ offsets: Bool) {
        out.bytes.append(byte)
        if offsets {
            out.originStart.append(Int32(start))
            out.originEnd.append(Int32(end))
        }
    }

    private static let asciiStrippingControl = asciiTable(true)
    private static let asciiKeepingControl = asciiTable(false)

    /// ASCII byte → normalised byte, 0xFF meaning "drop".
    static func asciiTable(_ stripControl: Bool) -> [UInt8] {
        (0..<128).map { (b: Int) -> UInt8 in
            switch b {
            case 0x41...0x5A: return UInt8(b + 32)
            case 0x09, 0x0A, 0x0C, 0x0D: return stripControl ? 0x20 : UInt8(b)
            case 0x00...0x1F, 0x7F: return stripControl ? 0xFF : UInt8(b)
            default: return UInt8(b)
            }
        }
    }

    /// End (exclusive) of a markup tag starting at `start` ('<'), or nil if it is not one:
    /// '<' then a letter, '/' or '!', up to the next '>' within 256 bytes on the same line.
    static func tagEnd(_ s: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start + 1 < s.count else { return nil }
        let next = s[start + 1]
        guard (next | 0x20) >= 0x61 && (next | 0x20) <= 0x7A || next == 0x2F || next == 0x21 else { return nil }
        var j = start + 1
        while j < s.count && j - start < 256 {
            switch s[j] {
            case 0x3E: return j + 1
            case 0x3C, 0x0A: return nil
            default: j += 1
            }
        }
        return nil
    }

    /// End of the grapheme cluster that starts at `start`.
    private func clusterEnd(_ s: UnsafeBufferPointer<UInt8>, from start: Int) throws -> Int {
        var state: utf8proc_int32_t = 0
        var previous: utf8proc_int32_t = -1
        var i = start
        while i < s.count {
            var cp: utf8proc_int32_t = 0
            let len = utf8proc_iterate(s.pointer(at: i), s.count - i, &cp)
            guard len > 0 else { throw Failure.invalidUTF8(byteOffset: i) }
            if previous >= 0 && utf8proc_grapheme_break_stateful(previous, cp, &state) { return i }
            previous = cp
            i += len
        }
        return i
    }

    private func mapCluster(
        _ cluster: UnsafeBufferPointer<UInt8>, start: Int, into out: inout NormalizedText, offsets: Bool
    ) throws {
        let end = start + cluster.count
        switch form {
        case .nfkcCaseFold:
            var options =
                UTF8PROC_STABLE.rawValue | UTF8PROC_COMPAT.rawValue | UTF8PROC_COMPOSE.rawValue
                | UTF8PROC_CASEFOLD.rawValue | UTF8PROC_IGNORE.rawValue | UTF8PROC_LUMP.rawValue
            if stripControl { options |= UTF8PROC_STRIPCC.rawValue }
            var result: UnsafeMutablePointer<utf8proc_uint8_t>? = nil
            let len = utf8proc_map_custom(
                cluster.pointer(), cluster.count, &result, utf8proc_option_t(options),
                lumpDoubleQuotes, nil)
            defer { free(result) }
            guard len >= 0, let result else { throw Failure.invalidUTF8(byteOffset: start) }
            for k in 0..<len { emit(&out, result[k], start, end, offsets) }
        case .lowercase:
            var i = 0
            while i < cluster.count {
                var cp: utf8proc_int32_t = 0
                let len = utf8proc_iterate(cluster.pointer(at: i), cluster.count - i, &cp)
                guard len > 0 else { throw Failure.invalidUTF8(byteOffset: start + i) }
                var encoded = [UInt8](repeating: 0, count: 4)
                let n = utf8proc_encode_char(utf8proc_tolower(cp), &encoded)
                for k in 0..<n { emit(&out, encoded[k], start + i, start + i + len, offsets) }
                i += len
            }
        }
    }
}
