import CTensorSupport

/// Elementwise kernels, written once for any `TensorScalar`. The op is chosen outside the
/// loop so each loop is a tight, vectorisable pass.

enum UnaryKernel {
    case neg, exp, log, tanh, sigmoid, relu, softplus
    /// 1 where x > 0, else 0: the derivative of relu (a constant, not differentiated).
    case positiveMask
    case scale(Double)
    case shift(Double)
    case square
    /// x^p (x > 0 unless p is a whole number).
    case power(Double)
}

func applyUnary<T: TensorScalar>(_ op: UnaryKernel, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ n: Int) {
    // Float32 exp, tanh and sigmoid go through the vectorised C kernels (a few ulp, ~10× libm's
    // speed); Double keeps libm, so gradient checks compare against correctly rounded values.
    if T.self == Float.self {
        let (xf, yf) = (
            UnsafeRawPointer(x).assumingMemoryBound(to: Float.self),
            UnsafeMutableRawPointer(y).assumingMemoryBound(to: Float.self)
        )
        switch op {
        case .exp:
            td_exp_f32(xf, yf, Int64(n))
            return
        case .tanh:
            td_tanh_f32(xf, yf, Int64(n))
            return
        case .sigmoid:
            td_sigmoid_f32(xf, yf, Int64(n))
            return
        default: break
        }
    }
    switch op {
    case .neg: for i in 0..<n { y[i] = -x[i] }
    case .exp: for i in 0..<n { y[i] = T.exp(x[i]) }
    case .log: for i in 0..<n { y[i] = T.log(x[i]) }
    case .tanh: for i in 0..<n { y[i] = T.tanh(x[i]) }
    case .sigmoid:
        for i in 0..<n {
            let v = x[i]
            if v >= 0 {
                y[i] = 1 / (1 + T.exp(-v))
            } else {
                let e = T.exp(v)
                y[i] = e / (1 + e)
            }
        }
    case .relu: for i in 0..<n { y[i] = x[i] > 0 ? x[i] : 0 }
    case .softplus:
        // log(1 + e^x) = max(x, 0) + log1p(e^-|x|), exact for large |x|.
        for i in 0..<n {
            let v = x[i]
            y[i] = Swift.max(v, 0) + T.log1p(T.exp(-Swift.abs(v)))
        }
    case .positiveMask: for i in 0..<n { y[i] = x[i] > 0 ? 1 : 0 }
    case .scale(let c):
        let s = T(c)
        for i in 0..<n { y[i] = x[i] * s }
    case .shift(let c):
        let s = T(c)
        for i in 0..<n { y[i] = x[i] + s }
    case .square: for i in 0..<n { y[i] = x[i] * x[i] }
    case .power(let p):
        let e = T(p)
        for i in 0..<n { y[i] = T.exp(e * T.log(x[i])) }
    }
}

enum BinaryKernel { case add, sub, mul, div }

/// out = a ⊙ b with NumPy broadcasting; `aStrides`/`bStrides` are broadcast strides over
/// `shape` (the output's).
func applyBinary<T: TensorScalar>(
    _ op: BinaryKernel, _ a: UnsafePointer<T>, _ aStrides: [Int],
    _ b: UnsafePointer<T>, _ bStrides: [Int],
    _ out: UnsafeMutablePointer<T>, shape: [Int]
) {
    let walk = StridedWalk(shape: shape, strides: [Shape.strides(shape), aStrides, bStrides])
    let n = walk.innerCount
    let (sa, sb) = (walk.innerStrides[1], walk.innerStrides[2])
    walk.forEachRun { o in
        let (y, x1, x2) = (out + o[0], a + o[1], b + o[2])
        switch op {
        case .add: binaryRun(n, x1, sa, x2, sb, y, +)
        case .sub: binaryRun(n, x1, sa, x2, sb, y, -)
        case .mul: binaryRun(n, x1, sa, x2, sb, y, *)
        case .div: binaryRun(n, x1, sa, x2, sb, y, /)
        }
    }
}

/// One run; the stride of each operand is 1 (contiguous) or 0 (broadcast), and the four
/// cases are separate loops so each vectorises.
@inline(__always)
private func binaryRun<T: TensorScalar>(
    _ n: Int, _ a: UnsafePointer<T>, _ sa: Int, _ b: UnsafePointer<T>, _ sb: Int,
    _ y: UnsafeMutablePointer<T>, _ f: (T, T) -> T
) {
    switch (sa, sb) {
    case (1, 1): for i in 0..<n { y[i] = f(a[i], b[i]) }
    case (1, 0):
        let v = b[0]
        for i in 0..<n { y[i] = f(a[i], v) }
    case (0, 1):
        let v = a[0]
        for i in 0..<n { y[i] = f(v, b[i]) }
    default: for i in 0..<n { y[i] = f(a[i * sa], b[i * sb]) }
    }
}

/// out = x read with arbitrary (possibly zero) strides over `shape`: permutes and broadcasts.
func stridedCopy<T: TensorScalar>(_ x: UnsafePointer<T>, strides: [Int], _ out: UnsafeMutablePointer<T>, shape: [Int]) {
    let walk = StridedWalk(shape: shape, strides: [Shape.strides(shape), strides])
    let n = walk.innerCount
    let s = walk.innerStrides[1]
    walk.forEachRun { o in
        let (y, src) = (out + o[0], x + o[1])
        switch s {
        case 1: y.update(from: src, count: n)
        case 0: y.update(repeating: src[0], count: n)
        default: for i in 0..<n { y[i] = src[i * s] }
        }
    }
}

/// out (of `outShape`, zeroed here) = x summed over the dimensions where `outShape` has 1s.
/// `outShape` has x's rank.
func sumReduce<T: TensorScalar>(_ x: UnsafePointer<T>, shape: [Int], _ out: UnsafeMutablePointer<T>, outShape: [Int]) {
    out.update(repeating: 0, count: outShape.reduce(1, *))
    let outStrides = Shape.broadcastStrides(outShape, to: shape)
    let walk = StridedWalk(shape: shape, strides: [Shape.strides(shape), outStrides])
    let n = walk.innerCount
    let so = walk.innerStrides[1]
    walk.forEachRun { o in
        let (src, dst) = (x + o[0], out + o[1])
        if so == 0 {
            var acc: T = 0
            for i in 0..<n { acc += src[i] }
            dst[0] += acc
        } else if so == 1 {  // summing rows (a bias gradient): contiguous, vectorised
            for i in 0..<n { dst[i] += src[i] }
        } else {
            for i in 0..<n { dst[i * so] += src[i] }
        }
    }
}
