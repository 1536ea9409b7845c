import Foundation

/// Writes files so that a reader never sees a partial one: the bytes go to a temporary file
/// in the same directory, which is then renamed over the destination (atomic on POSIX).
/// If anything fails, the destination is untouched and the temporary file is removed.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { handle in try handle.write(contentsOf: data) }
    }

    /// Streams the contents through `body`, then renames into place.
    public static func write(to path: String, _ body: (FileHandle) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporary = "\(directory)/.\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary)
        else {
            throw InputError(file: path, "cannot create a file in \(directory)")
        }
        do {
            try body(handle)
            try handle.synchronize()
            try handle.close()
            guard rename(temporary, path) == 0 else {
                throw InputError(
                    file: path, "cannot move the finished file into place: \(String(cString: strerror(errno)))")
            }
        } catch {
            try? handle.close()
            unlink(temporary)
            throw error
        }
    }
}
