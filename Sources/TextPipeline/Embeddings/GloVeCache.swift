import DataFiles
import Foundation
import TensorCore

/// The binary cache of a GloVe text file: magic, format version, the source's size,
/// modification time and a checksum of its first and last 64 KiB (the cache is stale when any
/// differs), dimension, row count, a checksum of the payload, then the words (UInt32 length +
/// UTF-8 bytes each) and the Float32 rows, little-endian. A cache that does not match, is
/// truncated or fails its checksum is not used (and is rebuilt by the next load).
enum GloVeCache {
    static let magic = Array("TDGLOVE\0".utf8)
    static let version: UInt32 = 2
    static let headerBytes = 8 + 4 + 8 + 8 + 8 + 4 + 4 + 8

    /// A 64-bit checksum of bytes (multiply-rotate over 8-byte words; corruption, not attack).
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var i = 0
        while i + 8 <= bytes.count {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x100_0000_01B3
            h = (h << 29) | (h >> 35)
            i += 8
        }
        while i < bytes.count {
            h = (h ^ UInt64(bytes[i])) &* 0x100_0000_01B3
            i += 1
        }
        return h
    }

    /// The checksum of a source file's first and last 64 KiB.
    static func ends(of source: MappedFile) -> UInt64 {
        let b = UnsafeRawBufferPointer(source.bytes)
        let n = Swift.min(b.count, 65_536)
        return checksum(UnsafeRawBufferPointer(rebasing: b[0..<n]))
            ^ (checksum(UnsafeRawBufferPointer(rebasing: b[(b.count - n)...])) &* 31)
    }

    static func write(_ table: GloVe, to path: String, source: MappedFile) throws {
        var payload = Data()
        func put<T: FixedWidthInteger>(_ v: T, _ into: inout Data) {
            withUnsafeBytes(of: v.littleEndian) { into.append(contentsOf: $0) }
        }
        for w in table.words {
            let utf8 = Array(w.utf8)
            put(UInt32(utf8.count), &payload)
            payload.append(contentsOf: utf8)
        }
        table.vectors.withUnsafeBytes { payload.append(contentsOf: $0) }
        var data = Data(magic)
        put(version, &data)
        put(UInt64(source.size), &data)
        put(source.modificationTime, &data)
        put(ends(of: source), &data)
        put(UInt32(table.dimension), &data)
        put(UInt32(table.count), &data)
        put(payload.withUnsafeBytes { checksum($0) }, &data)
        data.append(payload)
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
            take(Int64.self) == source.modificationTime, take(UInt64.self) == ends(of: source),
            let dim = take(UInt32.self), let count = take(UInt32.self), dim > 0,
            let sum = take(UInt64.self), offset == headerBytes,
            // Every row takes at least its length and its floats: a count the file cannot hold is corrupt.
            Int(count) <= (b.count - offset) / (4 + 4 * Int(dim)),
            sum == checksum(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(b)[offset...]))
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
