import DataFiles
import Foundation
import TensorCore

/// The binary cache of a GloVe text file: magic, format version, the source's size and
/// modification time (the cache is stale when either differs), dimension, row count, then
/// the words (UInt32 length + UTF-8 bytes each) and the Float32 rows, little-endian.
enum GloVeCache {
    static let magic = Array("TDGLOVE\0".utf8)
    static let version: UInt32 = 1

    static func write(_ table: GloVe, to path: String, source: MappedFile) throws {
        var data = Data(magic)
        func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        put(version)
        put(UInt64(source.size))
        put(source.modificationTime)
        put(UInt32(table.dimension))
        put(UInt32(table.count))
        for w in table.words {
            let utf8 = Array(w.utf8)
            put(UInt32(utf8.count))
            data.append(contentsOf: utf8)
        }
        table.vectors.withUnsafeBytes { data.append(contentsOf: $0) }
        try AtomicFile.write(data, to: path)
    }

    /// The cached table, or nil when there is no cache or it does not match `source`.
    static func read(_ path: String, matching source: MappedFile) throws -> GloVe? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let file = try MappedFile(path: path)
        let b = file.bytes
        var offset = 0
        func take<T: FixedWidthInteger>(_: T.Type) -> T? {
            guard offset + MemoryLayout<T>.size <= b.count else { return nil }
            var v: T = 0
            withUnsafeMutableBytes(of: &v) {
                $0.copyMemory(
                    from: UnsafeRawBufferPointer(
                        rebasing: UnsafeRawBufferPointer(b)[offset..<(offset + MemoryLayout<T>.size)]))
            }
            offset += MemoryLayout<T>.size
            return T(littleEndian: v)
        }
        guard b.count >= magic.count, Array(b[0..<magic.count]) == magic else { return nil }
        offset = magic.count
        guard take(UInt32.self) == version, take(UInt64.self) == UInt64(source.size),
            take(Int64.self) == source.modificationTime,
            let dim = take(UInt32.self), let count = take(UInt32.self), dim > 0
        else { return nil }
        var words: [String] = []
        words.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let n = take(UInt32.self), offset + Int(n) <= b.count else { return nil }
            words.append(String(decoding: UnsafeBufferPointer(rebasing: b[offset..<(offset + Int(n))]), as: UTF8.self))
            offset += Int(n)
        }
        let floats = Int(count) * Int(dim)
        guard offset + floats * 4 == b.count else { return nil }
        let vectors = [Float](unsafeUninitializedCapacity: floats) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(
                from: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(b)[offset...]))
            initialized = floats
        }
        return GloVe(dimension: Int(dim), words: words, vectors: vectors)
    }
}
