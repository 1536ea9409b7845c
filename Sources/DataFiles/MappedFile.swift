import CZlib
import Foundation
import TensorCore

/// A whole file's bytes: mapped read-only into memory (large embedding files are parsed in
/// place, never copied), or decompressed when it is gzip (detected by its magic bytes, so
/// `glove.txt.gz` and `train-images-idx3-ubyte.gz` read like their plain versions).
public final class MappedFile {
    public let path: String
    public private(set) var bytes: UnsafeBufferPointer<UInt8>
    /// Size and modification time of the file on disk (what caches are keyed on).
    public let size: Int
    public let modificationTime: Int64  // nanoseconds since the epoch
    private var mapped = false

    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw InputError(
                file: path, errno == ENOENT ? "no such file" : "cannot be opened: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw InputError(file: path, "is not a regular file")
        }
        size = Int(info.st_size)
        modificationTime = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        bytes = UnsafeBufferPointer(start: nil, count: 0)
        guard size > 0 else { return }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw InputError(file: path, "cannot be mapped: \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: size)
        mapped = true
        if size >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B {
            let decompressed = try Gzip.decompress(bytes, path: path)  // on error, deinit unmaps
            munmap(base, size)
            bytes = UnsafeBufferPointer(decompressed)
            mapped = false
        }
    }

    deinit {
        guard let base = bytes.baseAddress else { return }
        if mapped { munmap(UnsafeMutableRawPointer(mutating: base), size) } else { base.deallocate() }
    }
}

public enum Gzip {
    /// The decompressed bytes (concatenated members included), in a buffer the caller frees.
    public static func decompress(_ input: UnsafeBufferPointer<UInt8>, path: String) throws
        -> UnsafeMutableBufferPointer<UInt8>
    {
        var stream = z_stream()
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw InputError(file: path, "cannot start gzip decompression")
        }
        defer { inflateEnd(&stream) }
        var capacity = Swift.max(input.count * 4, 1 << 16)
        var out = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity)
        var produced = 0
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.avail_in = uInt(input.count)
        while true {
            if produced == capacity {
                let bigger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity * 2)
                _ = bigger.initialize(from: out)
                out.deallocate()
                out = bigger
                capacity *= 2
            }
            stream.next_out = out.pointer(at: produced)
            stream.avail_out = uInt(capacity - produced)
            let status = inflate(&stream, Z_NO_FLUSH)
            produced = capacity - Int(stream.avail_out)
            if status == Z_STREAM_END {
                if stream.avail_in == 0 { break }
                inflateReset(&stream)  // another gzip member follows
                continue
            }
            guard status == Z_OK || (status == Z_BUF_ERROR && produced == capacity) else {
                out.deallocate()
                throw InputError(file: path, stream.avail_in == 0 ? "truncated gzip data" : "corrupt gzip data")
            }
        }
        return UnsafeMutableBufferPointer(rebasing: out[0..<produced])
    }
}
