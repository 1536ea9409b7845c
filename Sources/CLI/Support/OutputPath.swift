import Foundation
import TensorCore

/// Checks, before any work, that a file can be written at a path: its folder exists and is
/// writable, and the path is not a folder.
enum OutputPath {
    static func check(_ path: String) throws {
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
    }
}

extension String {
    /// The string without `suffix`, or nil if it does not end with it.
    func removingSuffix(_ suffix: String) -> String? { hasSuffix(suffix) ? String(dropLast(suffix.count)) : nil }
}
