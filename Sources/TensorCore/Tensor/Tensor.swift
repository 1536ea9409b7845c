import CTensorSupport
import Foundation

/// An n-dimensional array of `Float` or `Double` in contiguous row-major storage, and a
/// vertex of the autodiff graph.
///
/// A tensor's values never change after it is made (optimizers updating leaf parameters in
/// place are the one documented exception), so sharing one is safe and `reshaped` is free.
/// A tensor produced by an op while gradient recording is on, from at least one input that
/// requires gradients, remembers that op (`node`) and requires gradients itself; gradients
/// are taken with `gradients(of:withRespectTo:createGraph:)`.
///
///     let w = Tensor.randomNormal([3, 2], using: &rng)
///     w.requiresGrad = true
///     let loss = (x.matmul(w)).tanh().sum()
///     let (g) = gradients(of: loss, withRespectTo: [w])[0]
public final class Tensor {
    /// Sizes of the dimensions, outermost first. `[]` is a scalar.
    public let shape: [Int]
    let storage: Storage
    /// Creation order; see `td_next_sequence`.
    let sequence: Int64
    /// The op that produced this tensor, when it was recorded. Leaves and constants have none.
    var node: Node?
    private var _requiresGrad: Bool

    init(shape: [Int], storage: Storage) {
        assert(shape.reduce(1, *) == storage.count, "Tensor: shape \(shape) does not match storage of \(storage.count)")
        self.shape = shape
        self.storage = storage
        self.sequence = td_next_sequence()
        self._requiresGrad = false
    }

    deinit { Node.releaseIteratively(node) }

    /// Whether gradients flow to this tensor. Set it on a leaf (a tensor no recorded op
    /// produced) to make it a variable; a recorded op's output requires gradients already.
    public var requiresGrad: Bool {
        get { _requiresGrad }
        set {
            precondition(
                node == nil || newValue,
                "requiresGrad: cannot turn off gradients of a recorded op's output; use detached()")
            _requiresGrad = newValue
        }
    }

    /// Marks this leaf as a variable and returns it, for chaining.
    ///
    /// - Returns: self, now requiring gradients.
    @discardableResult public func requiringGrad() -> Tensor {
        requiresGrad = true
        return self
    }

    func markRecorded(_ node: Node) {
        self.node = node
        self._requiresGrad = true
    }

    public var dtype: DType { storage.dtype }
    public var rank: Int { shape.count }
    /// Number of elements.
    public var count: Int { storage.count }
    /// Whether this tensor is the output of a recorded op (has history).
    public var isRecorded: Bool { node != nil }

    /// The same values with no history and no gradient requirement; shares storage.
    ///
    /// - Returns: the same storage with no history.
    public func detached() -> Tensor { Tensor(shape: shape, storage: storage) }

    @inline(__always) func pointer<T: TensorScalar>(_ t: T.Type) -> UnsafeMutablePointer<T> { storage.pointer(t) }

    /// A fresh, uninitialised tensor; kernels fill it.
    static func uninitialized(_ shape: [Int], _ dtype: DType) -> Tensor {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
        return Tensor(shape: shape, storage: Storage(dtype: dtype, count: shape.reduce(1, *)))
    }
}

// MARK: - Making tensors

extension Tensor {
    /// A tensor holding `values` (row-major) with the given shape.
    ///
    /// - Parameters:
    ///   - values: the elements, row-major.
    ///   - shape: their shape.
    public convenience init<T: TensorScalar>(_ values: [T], shape: [Int]) {
        let n = shape.reduce(1, *)
        precondition(
            shape.allSatisfy { $0 >= 0 } && n == values.count,
            "Tensor(values:shape:): \(values.count) values do not fill shape \(shape)")
        let storage = Storage(dtype: T.dtype, count: n)
        values.withUnsafeBufferPointer { src in
            if n > 0 { storage.pointer(T.self).update(from: src.pointer(), count: n) }
        }
        self.init(shape: shape, storage: storage)
    }

    /// A tensor holding `values` converted to `dtype`.
    ///
    /// - Parameters:
    ///   - values: the elements, row-major.
    ///   - shape: their shape.
    ///   - dtype: the tensor's dtype.
    public convenience init(_ values: [Double], shape: [Int], dtype: DType) {
        switch dtype {
        case .float32: self.init(values.map { Float($0) }, shape: shape)
        case .float64: self.init(values, shape: shape)
        }
    }

    /// A scalar (rank-0) tensor.
    ///
    /// - Parameters:
    ///   - scalar: the value.
    ///   - dtype: the tensor's dtype.
    public convenience init(scalar: Double, dtype: DType = .float32) {
        self.init([scalar], shape: [], dtype: dtype)
    }

    /// - Parameters:
    ///   - shape: the shape.
    ///   - value: every element.
    ///   - dtype: the dtype.
    /// - Returns: the filled tensor.
    public static func full(_ shape: [Int], _ value: Double, dtype: DType = .float32) -> Tensor {
        let t = uninitialized(shape, dtype)
        switch dtype {
        case .float32: t.pointer(Float.self).update(repeating: Float(value), count: t.count)
        case .float64: t.pointer(Double.self).update(repeating: value, count: t.count)
        }
        return t
    }

    /// - Parameters:
    ///   - shape: the shape.
    ///   - dtype: the dtype.
    /// - Returns: zeros.
    public static func zeros(_ shape: [Int], dtype: DType = .float32) -> Tensor { full(shape, 0, dtype: dtype) }
    /// - Parameters:
    ///   - shape: the shape.
    ///   - dtype: the dtype.
    /// - Returns: ones.
    public static func ones(_ shape: [Int], dtype: DType = .float32) -> Tensor { full(shape, 1, dtype: dtype) }

    /// Zeros of this tensor's shape and dtype.
    ///
    /// - Returns: zeros of this shape and dtype.
    public func zerosLike() -> Tensor { .zeros(shape, dtype: dtype) }
    /// - Returns: ones of this shape and dtype.
    public func onesLike() -> Tensor { .ones(shape, dtype: dtype) }

    /// The values converted to `dtype` (a constant: no history).
    ///
    /// - Parameter dtype: the new dtype.
    /// - Returns: the values in that dtype, a new tensor without history.
    public func converted(to dtype: DType) -> Tensor {
        dtype == self.dtype ? detached() : Tensor(doubles, shape: shape, dtype: dtype)
    }
}

// MARK: - Reading values

extension Tensor {
    /// The values as `T`, converting if the dtype differs.
    ///
    /// - Parameter as: the scalar type the values are converted to.
    /// - Returns: the elements, row-major.
    public func scalars<T: TensorScalar>(as _: T.Type = T.self) -> [T] {
        switch dtype {
        case .float32: return UnsafeBufferPointer(start: pointer(Float.self), count: count).map { T($0) }
        case .float64: return UnsafeBufferPointer(start: pointer(Double.self), count: count).map { T($0) }
        }
    }

    public var doubles: [Double] { scalars(as: Double.self) }
    public var floats: [Float] { scalars(as: Float.self) }

    /// The single value of a one-element tensor.
    public var item: Double {
        precondition(count == 1, "item: tensor of shape \(shape) has \(count) elements, not 1")
        return doubles[0]
    }

    /// Whether every value is finite (no NaN or infinity).
    public var isFinite: Bool {
        switch dtype {
        case .float32: return UnsafeBufferPointer(start: pointer(Float.self), count: count).allSatisfy { $0.isFinite }
        case .float64: return UnsafeBufferPointer(start: pointer(Double.self), count: count).allSatisfy { $0.isFinite }
        }
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let values = doubles.prefix(8).map { String(format: "%.5g", $0) }.joined(separator: ", ")
        let more = count > 8 ? ", …" : ""
        return "Tensor(\(dtype), shape: \(shape), [\(values)\(more)]\(isRecorded ? ", recorded" : ""))"
    }
}
