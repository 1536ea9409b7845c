import Foundation

/// Writes files so that a reader never sees a partial one: the bytes go to a temporary file
/// in the same directory, which is then renamed over the destination (atomic on POSIX).
/// If anything fails, the destination is untouched and the temporary file is removed; the
/// temporary files of processes that were killed while writing (`.NAME.tmp-PID-N` whose PID is
/// gone) are removed on the next write to their folder.
public enum AtomicFile {
    /// - Parameters:
    ///   - data: the bytes.
    ///   - path: the file replaced.
    /// - Throws: `InputError` naming the file.
    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { handle in try handle.write(contentsOf: data) }
    }

    /// Streams the contents through `body`, then renames into place.
    ///
    /// - Parameters:
    ///   - path: the file replaced.
    ///   - body: writes the contents.
    /// - Throws: `InputError` naming the file, or what `body` throws.
    public static func write(to path: String, _ body: (FileHandle) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        removeStaleTemporaries(in: directory)
        let temporary = "\(directory)/.\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else {
            throw InputError(file: path, "cannot create a file in \(directory): \(String(cString: strerror(errno)))")
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
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

    /// Removes `.NAME.tmp-PID-N` files in `directory` whose writing process no longer exists.
    static func removeStaleTemporaries(in directory: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(".") && name.contains(".tmp-") {
            guard let tail = name.components(separatedBy: ".tmp-").last else { continue }
            let parts = tail.split(separator: "-")
            guard parts.count == 2, let pid = Int32(parts[0]), UInt32(parts[1]) != nil, pid > 0, pid != getpid() else {
                continue
            }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(directory + "/" + name) }
        }
    }
}
