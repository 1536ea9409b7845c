import Foundation
import TensorCore

/// Checks, before any work, that a file can be written at a path: its folder exists and is
/// writable, the path is not a folder, and (when the size is known) the folder's file system
/// has room for it.
enum OutputPath {
    static func check(_ path: String, bytes: Int? = nil) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw InputError(file: path, "is a folder; give a file name")
        }
        let folder =
            (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError(file: path, "its folder \(folder) does not exist")
        }
        guard access(folder, W_OK) == 0 else { throw InputError(file: path, "its folder \(folder) is not writable") }
        var fs = statvfs()
        if let bytes, statvfs(folder, &fs) == 0 {
            let free = Double(fs.f_bavail) * Double(fs.f_frsize)
            guard free >= Double(bytes) else {
                throw InputError(
                    file: path,
                    String(
                        format: "needs about %.1f MB and its file system has %.1f MB free", Double(bytes) / 1e6,
                        free / 1e6))
            }
        }
    }
}

extension String {
    /// The string without `suffix`, or nil if it does not end with it.
    func removingSuffix(_ suffix: String) -> String? { hasSuffix(suffix) ? String(dropLast(suffix.count)) : nil }
}
