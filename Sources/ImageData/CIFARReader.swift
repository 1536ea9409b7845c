import DataFiles
import TensorCore

/// CIFAR-10's binary batches (`data_batch_1.bin` … `data_batch_5.bin`, `test_batch.bin`):
/// records of 1 label byte (0–9) and 3,072 pixel bytes, 1,024 red, 1,024 green, 1,024 blue,
/// each plane row-major 32×32.
public enum CIFARReader {
    public static let recordSize = 1 + 3 * 32 * 32
    public static let classNames = [
        "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
    ]

    /// Pixels [N, 3, 32, 32] as bytes (planes in file order) and the labels.
    public static func batch(_ path: String) throws -> (pixels: [UInt8], labels: [UInt8]) {
        let file = try MappedFile(path: path)
        let b = file.bytes
        guard b.count > 0, b.count % recordSize == 0 else {
            throw InputError(
                file: path, "\(b.count) bytes is not a whole number of \(recordSize)-byte CIFAR-10 records")
        }
        let n = b.count / recordSize
        var pixels = [UInt8](repeating: 0, count: n * (recordSize - 1))
        var labels = [UInt8](repeating: 0, count: n)
        for i in 0..<n {
            let label = b[i * recordSize]
            guard label < 10 else { throw InputError(file: path, "record \(i + 1): label \(label) is not 0–9") }
            labels[i] = label
            for j in 0..<(recordSize - 1) { pixels[i * (recordSize - 1) + j] = b[i * recordSize + 1 + j] }
        }
        return (pixels, labels)
    }
}
