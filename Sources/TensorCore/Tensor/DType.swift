import COpenBLAS

#if canImport(Glibc)
    import Glibc
#endif

/// The element type of a tensor. `float32` is for work; `float64` runs the same code and is
/// what derivative checks use.
public enum DType: String, Sendable, CaseIterable, CustomStringConvertible {
    case float32, float64

    /// Bytes per element.
    public var size: Int { self == .float32 ? 4 : 8 }
    public var description: String { rawValue }
}

/// A scalar type a tensor can hold. Every kernel is written once, generically over this
/// protocol, and instantiated for `Float` and `Double` by the optimizer; the requirements are
/// the few primitives that differ by type (libm entry points and BLAS).
public protocol TensorScalar: BinaryFloatingPoint where Self.RawSignificand: FixedWidthInteger {
    static var dtype: DType { get }
    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func log1p(_ x: Self) -> Self
    static func tanh(_ x: Self) -> Self
    /// C ← alpha·op(A)·op(B) + beta·C, row-major (BLAS ?gemm).
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self,
        a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
}

@inline(__always) private func cblasTranspose(_ t: Bool) -> CBLAS_TRANSPOSE {
    t ? CblasTrans : CblasNoTrans
}

extension Float: TensorScalar {
    public static var dtype: DType { .float32 }
    /// - Parameters:
    ///   - transposeA: use Aᵀ.
    ///   - transposeB: use Bᵀ.
    ///   - m: rows of op(A) and C.
    ///   - n: columns of op(B) and C.
    ///   - k: columns of op(A), rows of op(B).
    ///   - alpha: the product's scale.
    ///   - a: A, row-major.
    ///   - lda: A's row stride.
    ///   - b: B, row-major.
    ///   - ldb: B's row stride.
    ///   - beta: C's scale before adding.
    ///   - c: C, row-major, updated.
    ///   - ldc: C's row stride.
    @inline(__always) public static func exp(_ x: Float) -> Float { expf(x) }
    @inline(__always) public static func log(_ x: Float) -> Float { logf(x) }
    @inline(__always) public static func log1p(_ x: Float) -> Float { log1pf(x) }
    @inline(__always) public static func tanh(_ x: Float) -> Float { tanhf(x) }
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, cblasTranspose(transposeA), cblasTranspose(transposeB),
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

extension Double: TensorScalar {
    public static var dtype: DType { .float64 }
    /// - Parameters:
    ///   - transposeA: use Aᵀ.
    ///   - transposeB: use Bᵀ.
    ///   - m: rows of op(A) and C.
    ///   - n: columns of op(B) and C.
    ///   - k: columns of op(A), rows of op(B).
    ///   - alpha: the product's scale.
    ///   - a: A, row-major.
    ///   - lda: A's row stride.
    ///   - b: B, row-major.
    ///   - ldb: B's row stride.
    ///   - beta: C's scale before adding.
    ///   - c: C, row-major, updated.
    ///   - ldc: C's row stride.
    @inline(__always) public static func exp(_ x: Double) -> Double { Glibc.exp(x) }
    @inline(__always) public static func log(_ x: Double) -> Double { Glibc.log(x) }
    @inline(__always) public static func log1p(_ x: Double) -> Double { Glibc.log1p(x) }
    @inline(__always) public static func tanh(_ x: Double) -> Double { Glibc.tanh(x) }
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dgemm(
            CblasRowMajor, cblasTranspose(transposeA), cblasTranspose(transposeB),
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
