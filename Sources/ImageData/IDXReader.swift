import DataFiles
import TensorCore

/// The IDX format of MNIST and Fashion-MNIST (plain or gzip): a big-endian magic number
/// (0x00000803 for images, 0x00000801 for labels), the dimension sizes as big-endian UInt32,
/// then one unsigned byte per value.
public enum IDXReader {
    /// Images [N, rows, cols] as raw bytes, and N, rows, cols.
    public static func images(_ path: String) throws -> (pixels: [UInt8], count: Int, rows: Int, cols: Int) {
        let file = try MappedFile(path: path)
        let b = file.bytes
        let dims = try header(b, path: path, magic: 0x0803, rank: 3)
        let (n, rows, cols) = (dims[0], dims[1], dims[2])
        guard rows > 0, cols > 0 else { throw InputError(file: path, "images of \(rows)×\(cols) pixels") }
        guard let size = CheckedSize.product([n, rows, cols]), size <= b.count else {
            throw InputError(
                file: path,
                "the header promises \(n) images of \(rows)×\(cols) pixels, more than the file's \(b.count) bytes hold")
        }
        try checkLength(b, path: path, expected: 16 + size)
        return (Array(b[16..<(16 + n * rows * cols)]), n, rows, cols)
    }

    /// Labels [N].
    public static func labels(_ path: String) throws -> [UInt8] {
        let file = try MappedFile(path: path)
        let b = file.bytes
        let n = try header(b, path: path, magic: 0x0801, rank: 1)[0]
        try checkLength(b, path: path, expected: 8 + n)
        return Array(b[8..<(8 + n)])
    }

    private static func header(_ b: UnsafeBufferPointer<UInt8>, path: String, magic: UInt32, rank: Int) throws -> [Int]
    {
        func word(_ i: Int) -> UInt32 {
            UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
        }
        guard b.count >= 4 else { throw InputError(file: path, "\(b.count) bytes: too short for an IDX header") }
        guard word(0) == magic else {
            throw InputError(
                file: path,
                "not an IDX \(magic == 0x0803 ? "image" : "label") file: magic 0x\(String(word(0), radix: 16)), expected 0x\(String(magic, radix: 16))"
            )
        }
        guard b.count >= 4 + 4 * rank else {
            throw InputError(file: path, "\(b.count) bytes: too short for an IDX header")
        }
        return (0..<rank).map { Int(word(4 + 4 * $0)) }
    }

    private static func checkLength(_ b: UnsafeBufferPointer<UInt8>, path: String, expected: Int) throws {
        guard b.count == expected else {
            throw InputError(
                file: path,
                "\(b.count) bytes where the header promises \(expected) (\(b.count < expected ? "truncated" : "trailing data"))"
            )
        }
    }
}
