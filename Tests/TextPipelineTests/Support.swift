import Foundation
import TensorCore
import TextPipeline

/// The path of a committed fixture.
func fixture(_ path: String) -> String {
    Bundle.module.path(forResource: "Fixtures", ofType: nil)! + "/" + path
}

/// A fresh temporary folder for one test.
func temporaryFolder() -> String {
    let path = NSTemporaryDirectory() + "textdistill-test-\(UUID().uuidString)"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func write(_ text: String, to path: String) {
    try! Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

/// The InputError a throwing call raises (nil if it does not throw one).
func inputError(_ body: () throws -> Void) -> InputError? {
    do { try body() } catch let e as InputError { return e } catch { return nil }
    return nil
}
