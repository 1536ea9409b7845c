/// Decimal text → Float, exactly as Python's `float(s)` followed by a float32 conversion
/// (what the reference code does with GloVe values): the decimal is rounded correctly to
/// Double, then to Float.
///
/// Fast path: up to 19 significant digits with a power of ten in ±22 is m·10^e with m < 2^53
/// exactly representable, and one IEEE multiplication or division by the exact 10^|e| is
/// correctly rounded. Anything else goes through the standard library's correctly rounded
/// parser.
enum FloatParser {
    private static let powersOfTen: [Double] = (0...22).map { e in (0..<e).reduce(1.0) { r, _ in r * 10 } }

    /// The value of bytes [start, end), or nil if they are not a finite decimal number.
    static func parse(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Float? {
        var i = start
        guard i < end else { return nil }
        var negative = false
        if b[i] == 0x2D || b[i] == 0x2B {
            negative = b[i] == 0x2D
            i += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var significant = 0
        var exponent = 0
        var sawDot = false
        while i < end {
            let c = b[i]
            if c >= 0x30 && c <= 0x39 {
                digits += 1
                if mantissa == 0 && c == 0x30 {
                    if sawDot { exponent -= 1 }
                } else if significant < 19 {
                    mantissa = mantissa * 10 + UInt64(c - 0x30)
                    significant += 1
                    if sawDot { exponent -= 1 }
                } else {
                    if !sawDot { exponent += 1 }
                    if c != 0x30 { return slow(b, start, end) }  // more than 19 significant digits
                }
            } else if c == 0x2E && !sawDot {
                sawDot = true
            } else {
                break
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        if i < end && (b[i] | 0x20) == 0x65 {  // e / E
            i += 1
            var expNegative = false
            if i < end && (b[i] == 0x2D || b[i] == 0x2B) {
                expNegative = b[i] == 0x2D
                i += 1
            }
            var e = 0
            var expDigits = 0
            while i < end, b[i] >= 0x30 && b[i] <= 0x39 {
                if e < 100_000 { e = e * 10 + Int(b[i] - 0x30) }
                expDigits += 1
                i += 1
            }
            guard expDigits > 0 else { return nil }
            exponent += expNegative ? -e : e
        }
        guard i == end else { return nil }
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        guard mantissa < (1 << 53), abs(exponent) <= 22 else { return slow(b, start, end) }
        let m = Double(mantissa)
        let value = exponent >= 0 ? m * powersOfTen[exponent] : m / powersOfTen[-exponent]
        let f = Float(negative ? -value : value)
        return f.isFinite ? f : nil
    }

    private static func slow(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Float? {
        guard let d = Double(String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)) else {
            return nil
        }
        let f = Float(d)
        return f.isFinite ? f : nil
    }
}
