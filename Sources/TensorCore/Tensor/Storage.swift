import CTensorSupport

/// glibc returns freed blocks over its mmap threshold (dynamic, from 128 KiB) to the kernel
/// and trims the heap eagerly, so a training loop that allocates the same 10–30 MB buffers
/// every iteration pays a page fault per 4 KiB each time (measured: half the time of a
/// TextCNN distillation iteration). Keeping blocks up to 32 MiB (glibc's maximum) on the heap
/// and trimming only above 1 GiB free makes them reusable. Done once, on the first tensor.
private let allocatorTuned: Bool = {
    td_tune_allocator()
    return true
}()

/// A contiguous, 64-byte aligned buffer of `count` elements of one dtype.
///
/// Storage is written once, by the kernel that creates it, and then only read; the one
/// exception is an optimizer updating a leaf parameter in place between iterations.
/// Every allocation is counted (`MemoryStats`), which is how the tests prove that a graph
/// returns all of its memory.
final class Storage {
    let dtype: DType
    let count: Int
    let raw: UnsafeMutableRawPointer
    private let bytes: Int

    init(dtype: DType, count: Int) {
        precondition(count >= 0 && allocatorTuned, "Storage: negative element count \(count)")
        self.dtype = dtype
        self.count = count
        self.bytes = Swift.max(count, 1) * dtype.size
        self.raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        td_storage_allocated(Int64(bytes))
    }

    deinit {
        raw.deallocate()
        td_storage_freed(Int64(bytes))
    }

    @inline(__always) func pointer<T: TensorScalar>(_: T.Type) -> UnsafeMutablePointer<T> {
        assert(T.dtype == dtype, "Storage of \(dtype) read as \(T.dtype)")
        return raw.assumingMemoryBound(to: T.self)
    }
}
