import DataFiles
import TensorCore

/// A content hash of the files a corpus was read from: SHA-256 over each file's (decompressed)
/// bytes, length first, in the order of their paths. Names do not enter it, so a corpus folder
/// that moved keeps its hash, and an edited file changes it.
public enum CorpusDigest {
    /// The hash of `files` (each read once).
    ///
    /// - Parameter files: the corpus's files.
    /// - Returns: the hex digest.
    /// - Throws: `InputError` naming a file that cannot be read.
    public static func sha256(files: [String]) throws -> String {
        var hash = SHA256()
        for path in files.sorted() {
            let file = try MappedFile(path: path)
            var count = UInt64(file.bytes.count).littleEndian
            withUnsafeBytes(of: &count) { hash.update($0) }
            hash.update(UnsafeRawBufferPointer(file.bytes))
        }
        return hash.finalize()
    }
}
