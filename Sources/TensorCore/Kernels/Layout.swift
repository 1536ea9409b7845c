/// Copies that move whole runs along one axis of a tensor viewed as [outer, length, inner]:
/// slicing and concatenation (and padding, the adjoint of slicing).

/// out[o, :, i] = x[o, start..<start+count, i]
func sliceCopy<T: TensorScalar>(
    _ x: UnsafePointer<T>, outer: Int, length: Int, inner: Int,
    start: Int, count: Int, _ out: UnsafeMutablePointer<T>
) {
    let run = count * inner
    for o in 0..<outer {
        (out + o * run).update(from: x + (o * length + start) * inner, count: run)
    }
}

/// out[o, start..<start+count, i] = g[o, :, i]; the rest of out is zero.
func padCopy<T: TensorScalar>(
    _ g: UnsafePointer<T>, outer: Int, length: Int, inner: Int,
    start: Int, count: Int, _ out: UnsafeMutablePointer<T>
) {
    out.update(repeating: 0, count: outer * length * inner)
    let run = count * inner
    for o in 0..<outer {
        (out + (o * length + start) * inner).update(from: g + o * run, count: run)
    }
}

/// Log-softmax of x viewed as [outer, length, inner] along the middle axis, computed as
/// x − max − log Σ exp(x − max) so that it never overflows.
func logSoftmax<T: TensorScalar>(
    _ x: UnsafePointer<T>, outer: Int, length: Int, inner: Int, _ y: UnsafeMutablePointer<T>
) {
    for o in 0..<outer {
        for i in 0..<inner {
            let base = o * length * inner + i
            var m = -T.infinity
            for a in 0..<length { m = Swift.max(m, x[base + a * inner]) }
            var s: T = 0
            for a in 0..<length { s += T.exp(x[base + a * inner] - m) }
            let shift = m + T.log(s)
            for a in 0..<length { y[base + a * inner] = x[base + a * inner] - shift }
        }
    }
}
