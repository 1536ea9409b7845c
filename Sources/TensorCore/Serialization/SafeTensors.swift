import Foundation

/// Tensors in the safetensors format (the Hugging Face format Python reads with
/// `safetensors.numpy.load_file`): an 8-byte little-endian header length, a JSON header
/// mapping each name to its dtype, shape and byte range, then the raw little-endian data.
/// Metadata is the header's `__metadata__`, a map of strings to strings (Python's reader
/// rejects anything else there, so structured values go in as JSON text).
///
/// Reading validates everything before touching the data: header length, JSON, dtypes, shapes
/// against byte ranges, ranges inside the file, in order, without gaps or overlap. Nothing in
/// the file is executed (unlike pickled `.pth` files).
public enum SafeTensors {
    public struct Contents {
        /// Tensors in file order.
        public let tensors: [(name: String, tensor: Tensor)]
        public let metadata: [String: String]

        public subscript(name: String) -> Tensor? { tensors.first { $0.name == name }?.tensor }
    }

    private static func code(_ dtype: DType) -> String { dtype == .float32 ? "F32" : "F64" }

    /// Writes atomically (temporary file, then rename).
    ///
    /// - Parameters:
    ///   - tensors: named tensors, written in this order.
    ///   - metadata: the `__metadata__` strings.
    ///   - path: the file.
    /// - Throws: `InputError` naming the file when it cannot be written.
    public static func write(
        _ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:], to path: String
    ) throws {
        precondition(Set(tensors.map(\.name)).count == tensors.count, "SafeTensors.write: repeated tensor name")
        var header: [String: Any] = [:]
        var offset = 0
        for (name, t) in tensors {
            let bytes = t.count * t.dtype.size
            header[name] = ["dtype": code(t.dtype), "shape": t.shape, "data_offsets": [offset, offset + bytes]]
            offset += bytes
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }  // the data starts 8-byte aligned
        var data = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(json)
        for (_, t) in tensors {
            data.append(Data(bytes: t.storage.raw, count: t.count * t.dtype.size))
        }
        try AtomicFile.write(data, to: path)
    }

    /// Reads and checks a safetensors file: header length, JSON, every entry's dtype, shape and byte
    /// range (contiguous, covering the data exactly, sizes checked against overflow).
    ///
    /// - Parameter path: the file.
    /// - Returns: the tensors in file order and the metadata.
    /// - Throws: `InputError` naming the file and what is wrong.
    public static func read(_ path: String) throws -> Contents {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(
                file: path, FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file")
        }
        func fail(_ message: String) -> InputError {
            InputError(file: path, "not a valid safetensors file: \(message)")
        }
        guard data.count >= 8 else { throw fail("\(data.count) bytes is shorter than the 8-byte header length") }
        let headerLength = data.prefix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard headerLength >= 2, headerLength <= UInt64(data.count - 8), headerLength <= 100_000_000 else {
            throw fail("header length \(headerLength) does not fit a file of \(data.count) bytes")
        }
        let start = 8 + Int(headerLength)
        guard let header = try? JSONSerialization.jsonObject(with: data.subdata(in: 8..<start)) as? [String: Any] else {
            throw fail("the header is not a JSON object")
        }
        var metadata: [String: String] = [:]
        if let m = header["__metadata__"] {
            guard let strings = m as? [String: String] else { throw fail("__metadata__ must map strings to strings") }
            metadata = strings
        }
        var entries = try header.filter { $0.key != "__metadata__" }.map {
            try entry($0.key, $0.value, fileSize: data.count, fail)
        }
        entries.sort { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
        var expected = 0
        for e in entries {
            guard e.range.lowerBound == expected else {
                throw fail(
                    "entry '\(e.name)' starts at byte \(e.range.lowerBound), expected \(expected) (gap or overlap)")
            }
            expected = e.range.upperBound
        }
        guard expected == data.count - start else {
            throw fail(
                "the tensors cover \(expected) bytes but \(data.count - start) follow the header (truncated or padded file)"
            )
        }
        let tensors = entries.map { e -> (name: String, tensor: Tensor) in
            let t = Tensor.uninitialized(e.shape, e.dtype)
            data.withUnsafeBytes { raw in
                t.storage.raw.copyMemory(from: raw.pointer(at: start + e.range.lowerBound), byteCount: e.range.count)
            }
            return (e.name, t)
        }
        return Contents(tensors: tensors, metadata: metadata)
    }

    private typealias Entry = (name: String, dtype: DType, shape: [Int], range: Range<Int>)

    /// One tensor's header entry, validated against the file's size.
    private static func entry(_ name: String, _ value: Any, fileSize: Int, _ fail: (String) -> InputError) throws
        -> Entry
    {
        guard let info = value as? [String: Any], let dtypeCode = info["dtype"] as? String,
            let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int], offsets.count == 2
        else {
            throw fail("entry '\(name)' needs dtype, shape and data_offsets")
        }
        let dtype: DType
        switch dtypeCode {
        case "F32": dtype = .float32
        case "F64": dtype = .float64
        default: throw fail("entry '\(name)' has dtype \(dtypeCode); only F32 and F64 are supported")
        }
        guard shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, offsets[1] >= offsets[0] else {
            throw fail("entry '\(name)' has a negative dimension or offset")
        }
        guard let count = CheckedSize.product(shape + [dtype.size]).map({ $0 / dtype.size }),
            count * dtype.size <= fileSize
        else {
            throw fail("entry '\(name)' has shape \(shape): more values than the file holds")
        }
        guard offsets[1] - offsets[0] == count * dtype.size else {
            throw fail(
                "entry '\(name)': shape \(shape) of \(dtypeCode) needs \(count * dtype.size) bytes, its range holds \(offsets[1] - offsets[0])"
            )
        }
        return (name, dtype, shape, offsets[0]..<offsets[1])
    }

}
