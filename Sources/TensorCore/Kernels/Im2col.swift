/// Patch extraction for convolution as a matrix product, and its exact adjoint.
///
/// `im2col` maps x [N, C, H, W] to columns [N, outH·outW, C·kh·kw]: one row per output
/// position holding its receptive field, ordered (c, i, j) to match a PyTorch weight
/// [F, C, kh, kw] flattened to [F, C·kh·kw]. Zero padding reads as 0. `col2im` is the adjoint
/// (scatter-add of the same rows back into the image), so ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩.
struct ConvGeometry: Equatable {
    var n, c, h, w: Int
    var kh, kw: Int
    var sh, sw: Int
    var ph, pw: Int
    var outH: Int { (h + 2 * ph - kh) / sh + 1 }
    var outW: Int { (w + 2 * pw - kw) / sw + 1 }
    var patch: Int { c * kh * kw }
}

func im2col<T: TensorScalar>(_ x: UnsafePointer<T>, _ g: ConvGeometry, _ cols: UnsafeMutablePointer<T>) {
    let (oh, ow, patch) = (g.outH, g.outW, g.patch)
    for b in 0..<g.n {
        for oy in 0..<oh {
            for ox in 0..<ow {
                var dst = cols + ((b * oh + oy) * ow + ox) * patch
                for ch in 0..<g.c {
                    let plane = x + (b * g.c + ch) * g.h * g.w
                    for i in 0..<g.kh {
                        let y = oy * g.sh - g.ph + i
                        let x0 = ox * g.sw - g.pw
                        if y < 0 || y >= g.h {
                            dst.update(repeating: 0, count: g.kw)
                        } else if x0 >= 0 && x0 + g.kw <= g.w {
                            dst.update(from: plane + y * g.w + x0, count: g.kw)
                        } else {
                            for j in 0..<g.kw {
                                let xx = x0 + j
                                dst[j] = xx >= 0 && xx < g.w ? plane[y * g.w + xx] : 0
                            }
                        }
                        dst += g.kw
                    }
                }
            }
        }
    }
}

func col2im<T: TensorScalar>(_ cols: UnsafePointer<T>, _ g: ConvGeometry, _ x: UnsafeMutablePointer<T>) {
    let (oh, ow, patch) = (g.outH, g.outW, g.patch)
    x.update(repeating: 0, count: g.n * g.c * g.h * g.w)
    for b in 0..<g.n {
        for oy in 0..<oh {
            for ox in 0..<ow {
                var src = cols + ((b * oh + oy) * ow + ox) * patch
                for ch in 0..<g.c {
                    let plane = x + (b * g.c + ch) * g.h * g.w
                    for i in 0..<g.kh {
                        let y = oy * g.sh - g.ph + i
                        if y >= 0 && y < g.h {
                            for j in 0..<g.kw {
                                let xx = ox * g.sw - g.pw + j
                                if xx >= 0 && xx < g.w { plane[y * g.w + xx] += src[j] }
                            }
                        }
                        src += g.kw
                    }
                }
            }
        }
    }
}

/// The planar layout, for convolutions computed per image as W · cols_b: cols [N, C·kh·kw,
/// outH·outW], row (c, i, j), column (oy, ox). With stride 1 each (row, oy) is one contiguous
/// run of the input row, copied as a block.
///
/// `layout` places row r of image b at cols + (b − first image)·image + r·row: the default is
/// [N, C·kh·kw, outH·outW]; image = outH·outW and row = images·outH·outW put the images of a
/// chunk side by side, [C·kh·kw, images·outH·outW], for one product over the whole chunk.
func im2colPlanar<T: TensorScalar>(
    _ x: UnsafePointer<T>, _ g: ConvGeometry, _ cols: UnsafeMutablePointer<T>, batch: Range<Int>? = nil,
    layout: (image: Int, row: Int)? = nil
) {
    let (oh, ow) = (g.outH, g.outW)
    let images = batch ?? 0..<g.n
    let (imageStride, rowStride) = layout ?? (g.patch * oh * ow, oh * ow)
    let base = layout == nil ? cols + images.lowerBound * g.patch * oh * ow : cols
    for b in images {
        for ch in 0..<g.c {
            let plane = x + (b * g.c + ch) * g.h * g.w
            for i in 0..<g.kh {
                for j in 0..<g.kw {
                    var dst = base + (b - images.lowerBound) * imageStride + ((ch * g.kh + i) * g.kw + j) * rowStride
                    let x0 = j - g.pw
                    // Stride 1: the output columns whose input column lies inside the row.
                    let first = Swift.min(ow, Swift.max(0, -x0))
                    let last = Swift.max(first, Swift.min(ow, g.w - x0))
                    for oy in 0..<oh {
                        let y = oy * g.sh - g.ph + i
                        if y < 0 || y >= g.h {
                            dst.update(repeating: 0, count: ow)
                            dst += ow
                            continue
                        }
                        let row = plane + y * g.w
                        if g.sw == 1 {
                            if first > 0 { dst.update(repeating: 0, count: first) }
                            if last > first { (dst + first).update(from: row + x0 + first, count: last - first) }
                            if last < ow { (dst + last).update(repeating: 0, count: ow - last) }
                        } else {
                            for ox in 0..<ow {
                                let xx = ox * g.sw + x0
                                dst[ox] = xx >= 0 && xx < g.w ? row[xx] : 0
                            }
                        }
                        dst += ow
                    }
                }
            }
        }
    }
}

/// The adjoint of `im2colPlanar` (images in `batch`, zeroed first; `layout` as there).
func col2imPlanar<T: TensorScalar>(
    _ cols: UnsafePointer<T>, _ g: ConvGeometry, _ x: UnsafeMutablePointer<T>, batch: Range<Int>? = nil,
    layout: (image: Int, row: Int)? = nil
) {
    let (oh, ow) = (g.outH, g.outW)
    let images = batch ?? 0..<g.n
    let (imageStride, rowStride) = layout ?? (g.patch * oh * ow, oh * ow)
    let base = layout == nil ? cols + images.lowerBound * g.patch * oh * ow : cols
    (x + images.lowerBound * g.c * g.h * g.w).update(repeating: 0, count: images.count * g.c * g.h * g.w)
    for b in images {
        for ch in 0..<g.c {
            let plane = x + (b * g.c + ch) * g.h * g.w
            for i in 0..<g.kh {
                for j in 0..<g.kw {
                    var src = base + (b - images.lowerBound) * imageStride + ((ch * g.kh + i) * g.kw + j) * rowStride
                    let x0 = j - g.pw
                    let first = Swift.min(ow, Swift.max(0, -x0))
                    let last = Swift.max(first, Swift.min(ow, g.w - x0))
                    for oy in 0..<oh {
                        let y = oy * g.sh - g.ph + i
                        if y >= 0 && y < g.h {
                            let row = plane + y * g.w
                            if g.sw == 1 {
                                for ox in first..<last { row[x0 + ox] += src[ox] }
                            } else {
                                for ox in 0..<ow {
                                    let xx = ox * g.sw + x0
                                    if xx >= 0 && xx < g.w { row[xx] += src[ox] }
                                }
                            }
                        }
                        src += ow
                    }
                }
            }
        }
    }
}
