/// Gathers and their adjoint scatter-adds. Two pairs: whole rows (embedding lookup) and
/// single elements by flat index (max over an axis, max-pooling).

/// out[i, :] = table[rows[i], :]
func gatherRows<T: TensorScalar>(_ table: UnsafePointer<T>, width: Int, rows: [Int32], _ out: UnsafeMutablePointer<T>) {
    for (i, r) in rows.enumerated() {
        (out + i * width).update(from: table + Int(r) * width, count: width)
    }
}

/// out[rows[i], :] += g[i, :], out zeroed first (`outRows` rows).
func scatterAddRows<T: TensorScalar>(
    _ g: UnsafePointer<T>, width: Int, rows: [Int32], _ out: UnsafeMutablePointer<T>, outRows: Int
) {
    out.update(repeating: 0, count: outRows * width)
    for (i, r) in rows.enumerated() {
        let dst = out + Int(r) * width
        let src = g + i * width
        for j in 0..<width { dst[j] += src[j] }
    }
}

/// out[i] = x[index[i]]
func gatherFlat<T: TensorScalar>(_ x: UnsafePointer<T>, index: [Int32], _ out: UnsafeMutablePointer<T>) {
    for (i, k) in index.enumerated() { out[i] = x[Int(k)] }
}

/// out[index[i]] += g[i], out zeroed first.
func scatterAddFlat<T: TensorScalar>(
    _ g: UnsafePointer<T>, index: [Int32], _ out: UnsafeMutablePointer<T>, outCount: Int
) {
    out.update(repeating: 0, count: outCount)
    for (i, k) in index.enumerated() { out[Int(k)] += g[i] }
}

/// Flat indices of the maxima of x (viewed as [outer, length, inner]) along the middle axis.
/// Ties go to the first maximum, as in PyTorch.
func argmaxFlat<T: TensorScalar>(_ x: UnsafePointer<T>, outer: Int, length: Int, inner: Int) -> [Int32] {
    var index = [Int32](repeating: 0, count: outer * inner)
    guard inner > 0 else { return index }
    var best = [T](repeating: 0, count: inner)
    index.withUnsafeMutableBufferPointer { index in
        best.withUnsafeMutableBufferPointer { best in
            // Row by row over the reduced axis, so the inner loop runs over contiguous memory.
            for o in 0..<outer {
                let base = o * length * inner
                let out = index.pointer(at: o * inner)
                for i in 0..<inner {
                    best[i] = x[base + i]
                    out[i] = Int32(base + i)
                }
                for a in 1..<Swift.max(length, 1) {
                    let rowStart = base + a * inner
                    let row = x + rowStart
                    for i in 0..<inner {
                        let v = row[i]
                        if v > best[i] || (v.isNaN && !best[i].isNaN) {
                            best[i] = v
                            out[i] = Int32(rowStart + i)
                        }
                    }
                }
            }
        }
    }
    return index
}

/// Flat indices of each 2-D max-pooling window of x [N, C, H, W]. Padding counts as −∞
/// (never chosen), as in PyTorch; every window holds at least one real element. Ties go to
/// the first element in row-major order.
func maxPoolIndices<T: TensorScalar>(
    _ x: UnsafePointer<T>, n: Int, c: Int, h: Int, w: Int,
    kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int),
    outH: Int, outW: Int
) -> [Int32] {
    [Int32](unsafeUninitializedCapacity: n * c * outH * outW) { out, initialized in
        guard let index = out.baseAddress else { return }
        let windows = stride == kernel && padding == (0, 0) ? PoolWindows(height: h, width: w, pool: kernel) : nil
        for plane in 0..<(n * c) {
            let (base, dst) = (plane * h * w, index + plane * outH * outW)
            if let windows {
                windows.pool(x + base, base: base, values: nil, winners: dst)
                continue
            }
            for oy in 0..<outH {
                let y0 = oy * stride.0 - padding.0
                let (ky0, ky1) = (Swift.max(0, -y0), Swift.min(kernel.0, h - y0))
                for ox in 0..<outW {
                    let x0 = ox * stride.1 - padding.1
                    let (kx0, kx1) = (Swift.max(0, -x0), Swift.min(kernel.1, w - x0))
                    var best = base + (y0 + ky0) * w + x0 + kx0
                    var bestValue = x[best]
                    for ky in ky0..<ky1 {
                        let row = base + (y0 + ky) * w + x0
                        for kx in kx0..<kx1 where x[row + kx] > bestValue {
                            best = row + kx
                            bestValue = x[best]
                        }
                    }
                    dst[oy * outW + ox] = Int32(best)
                }
            }
        }
        initialized = n * c * outH * outW
    }
}

/// The q × q windows (stride q, no padding) of one height × width plane: `maxPool2d`'s
/// non-overlapping windows and the pooled convolution's.
struct PoolWindows {
    let height, width: Int
    let pool: (Int, Int)
    var outH: Int { height / pool.0 }
    var outW: Int { width / pool.1 }
    var count: Int { outH * outW }

    /// Each window's flat index (`base` + its position in the plane) into `winners` and, when
    /// asked, its maximum into `values`; ties go to the first in row-major order.
    @inline(__always)
    func pool<T: TensorScalar>(
        _ plane: UnsafePointer<T>, base: Int, values: UnsafeMutablePointer<T>?, winners: UnsafeMutablePointer<Int32>
    ) {
        for oy in 0..<outH {
            let top = oy * pool.0 * width
            for ox in 0..<outW {
                var best = top + ox * pool.1
                var value = plane[best]
                if pool == (2, 2) {
                    let (a, b) = (best + 1, best + width)
                    if plane[a] > value { (best, value) = (a, plane[a]) }
                    if plane[b] > value { (best, value) = (b, plane[b]) }
                    if plane[b + 1] > value { (best, value) = (b + 1, plane[b + 1]) }
                } else {
                    for ky in 0..<pool.0 {
                        let row = top + ky * width + ox * pool.1
                        for kx in 0..<pool.1 where plane[row + kx] > value {
                            (best, value) = (row + kx, plane[row + kx])
                        }
                    }
                }
                values?[oy * outW + ox] = value
                winners[oy * outW + ox] = Int32(base + best)
            }
        }
    }
}
