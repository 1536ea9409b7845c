/// Gathers and scatter-adds, each the other's adjoint: rows (embedding lookup) and single
/// elements by flat index (maxima, max-pooling, picking class scores).
extension Tensor {
    /// Rows of a 2-D table: out[i, :] = self[rows[i], :]. The gradient scatter-adds back.
    ///
    /// - Parameter rows: the rows to take, each in 0..<shape[0].
    /// - Returns: [rows.count, width].
    public func gather(rows: [Int32]) -> Tensor {
        precondition(rank == 2, "gather(rows:): needs a 2-D table, got \(shape)")
        let (count, width) = (shape[0], shape[1])
        if let bad = rows.first(where: { $0 < 0 || Int($0) >= count }) {
            preconditionFailure("gather(rows:): row \(bad) out of range for table \(shape)")
        }
        let out = Tensor.uninitialized([rows.count, width], dtype)
        func run<T: TensorScalar>(_: T.Type) {
            TensorCore.gatherRows(pointer(T.self), width: width, rows: rows, out.pointer(T.self))
        }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        return Tensor.record("gatherRows", out, [self]) { c in [c.grad.scatterAdd(rows: rows, count: count)] }
    }

    /// A [count, width] tensor of zeros with self[i, :] added to row rows[i].
    ///
    /// - Parameters:
    ///   - rows: where each row of self is added.
    ///   - count: the result's row count.
    /// - Returns: [count, width].
    public func scatterAdd(rows: [Int32], count: Int) -> Tensor {
        precondition(
            rank == 2 && shape[0] == rows.count, "scatterAdd(rows:): \(rows.count) rows for a tensor of shape \(shape)")
        precondition(rows.allSatisfy { $0 >= 0 && Int($0) < count }, "scatterAdd(rows:): row out of range 0..<\(count)")
        let width = shape[1]
        let out = Tensor.uninitialized([count, width], dtype)
        func run<T: TensorScalar>(_: T.Type) {
            scatterAddRows(pointer(T.self), width: width, rows: rows, out.pointer(T.self), outRows: count)
        }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        return Tensor.record("scatterAddRows", out, [self]) { c in [c.grad.gather(rows: rows)] }
    }

    /// out.flat[i] = self.flat[index[i]], shaped `shape`.
    ///
    /// - Parameters:
    ///   - index: flat positions in self.
    ///   - outShape: the result's shape (index.count elements).
    /// - Returns: the gathered elements.
    public func gather(flatIndices index: [Int32], shape outShape: [Int]) -> Tensor {
        precondition(
            outShape.reduce(1, *) == index.count, "gather(flatIndices:): \(index.count) indices for shape \(outShape)")
        if let bad = index.first(where: { $0 < 0 || Int($0) >= count }) {
            preconditionFailure("gather(flatIndices:): index \(bad) out of range for \(count) elements")
        }
        let out = Tensor.uninitialized(outShape, dtype)
        func run<T: TensorScalar>(_: T.Type) { gatherFlat(pointer(T.self), index: index, out.pointer(T.self)) }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        let source = shape
        return Tensor.record("gatherFlat", out, [self]) { c in [c.grad.scatterAdd(flatIndices: index, shape: source)] }
    }

    /// Zeros of `shape` with self.flat[i] added at flat position index[i].
    ///
    /// - Parameters:
    ///   - index: where each element of self is added.
    ///   - outShape: the result's shape.
    /// - Returns: the scattered sums, zeros elsewhere.
    public func scatterAdd(flatIndices index: [Int32], shape outShape: [Int]) -> Tensor {
        precondition(count == index.count, "scatterAdd(flatIndices:): \(index.count) indices for \(count) values")
        let total = outShape.reduce(1, *)
        precondition(
            index.allSatisfy { $0 >= 0 && Int($0) < total },
            "scatterAdd(flatIndices:): index out of range for shape \(outShape)")
        let out = Tensor.uninitialized(outShape, dtype)
        func run<T: TensorScalar>(_: T.Type) {
            scatterAddFlat(pointer(T.self), index: index, out.pointer(T.self), outCount: total)
        }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        let source = shape
        return Tensor.record("scatterAddFlat", out, [self]) { c in [c.grad.gather(flatIndices: index, shape: source)] }
    }

    /// Embedding lookup: table [V, D] and token ids (any shape S) give [S…, D].
    ///
    /// - Parameters:
    ///   - table: the rows [V, D].
    ///   - ids: row indices, row-major in `shape` (each in 0..<V).
    ///   - shape: the shape S of `ids`.
    /// - Returns: [S…, D]; its gradient scatters back into the table's rows.
    public static func embedding(_ table: Tensor, ids: [Int32], shape idShape: [Int]) -> Tensor {
        precondition(idShape.reduce(1, *) == ids.count, "embedding: \(ids.count) ids for shape \(idShape)")
        return table.gather(rows: ids).reshaped(idShape + [table.shape[1]])
    }
}
