extension Tensor {
    /// Overwrites this leaf's elements `offset ..< offset + values.count` (row-major) with
    /// `values`, in place: a discrete optimizer step, such as readable distillation's word swap.
    /// Like the optimizers' updates, the one documented exception to tensors never changing;
    /// tensors sharing the storage (`detached()` copies) see the change too.
    ///
    /// - Parameters:
    ///   - offset: the first element written.
    ///   - values: the elements written there.
    public func overwrite(from offset: Int, with values: Tensor) {
        precondition(!isRecorded, "overwrite: \(shape) is the output of a recorded op, not a leaf")
        precondition(
            values.dtype == dtype && offset >= 0 && offset + values.count <= count,
            "overwrite: \(values.count) \(values.dtype) values at \(offset) of \(count) \(dtype) elements")
        func run<T: TensorScalar>(_: T.Type) {
            pointer(T.self).advanced(by: offset).update(from: values.pointer(T.self), count: values.count)
        }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
    }
}
