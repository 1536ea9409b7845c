import DataFiles
import Foundation
import TensorCore

/// An image classification set ready for the models: both splits as normalised float32
/// tensors [N, C, H, W] ((x/255 − mean_c) / std_c per channel, as the reference), labels,
/// class names, and whether training batches are augmented (CIFAR-10: reflect-pad 4, random
/// 32×32 crop, random horizontal flip).
public struct ImageDataset {
    public let name: String
    public let classNames: [String]
    public let channels: Int
    public let size: Int
    public let mean: [Double]
    public let std: [Double]
    public let trainImages: Tensor
    public let trainLabels: [Int32]
    public let testImages: Tensor
    public let testLabels: [Int32]
    public let augmentTraining: Bool

    /// The normalisation of a set: a known set's constants (the reference's), or for a set of
    /// one's own the per-channel mean and standard deviation of its training pixels x/255.
    static func normalisation(_ name: String, trainPixels: [UInt8], channels: Int, plane: Int) -> (
        mean: [Double], std: [Double]
    ) {
        if let known = ImageSet(rawValue: name) { return known.normalisation }
        var sums = [Double](repeating: 0, count: channels)
        var squares = sums
        var counts = sums
        // Images are channel planes of `plane` pixels, one after another.
        for (i, p) in trainPixels.enumerated() {
            let c = (i / Swift.max(plane, 1)) % channels
            let x = Double(p) / 255
            sums[c] += x
            squares[c] += x * x
            counts[c] += 1
        }
        let mean = (0..<channels).map { sums[$0] / Swift.max(counts[$0], 1) }
        let std = (0..<channels).map { c in
            Swift.max(Swift.max(squares[c] / Swift.max(counts[c], 1) - mean[c] * mean[c], 0).squareRoot(), 1e-6)
        }
        return (mean, std)
    }

    /// Normalises bytes [N, C, H, W] to float32.
    static func tensor(_ pixels: [UInt8], count: Int, channels: Int, size: Int, mean: [Double], std: [Double]) -> Tensor
    {
        let plane = size * size
        var values = [Float](repeating: 0, count: pixels.count)
        for i in 0..<pixels.count {
            let c = (i / plane) % channels
            values[i] = Float((Double(pixels[i]) / 255 - mean[c]) / std[c])
        }
        return Tensor(values, shape: [count, channels, size, size])
    }
}

/// Finds and reads image sets: `mnist`, `fashion-mnist` (IDX, from Scripts/fetch-corpora into
/// data/) and `cifar10` (binary batches in data/cifar-10-batches-bin), or a folder in either layout.
public enum ImageLoader {
    public static var knownNames: [String] { ImageSet.allCases.map(\.rawValue) }

    /// Whether `nameOrPath` names an image set (a known name, or a folder holding IDX or CIFAR files).
    public static func isImageData(_ nameOrPath: String) -> Bool {
        knownNames.contains(nameOrPath) || layout(of: nameOrPath) != nil
    }

    static func layout(of folder: String) -> String? {
        let fm = FileManager.default
        if fm.fileExists(atPath: folder + "/test_batch.bin") { return "cifar10" }
        if idxFile(folder, "t10k-images-idx3-ubyte") != nil { return "idx" }
        return nil
    }

    static func idxFile(_ folder: String, _ stem: String) -> String? {
        [folder + "/" + stem + ".gz", folder + "/" + stem].first { FileManager.default.fileExists(atPath: $0) }
    }

    public static func load(_ nameOrPath: String) throws -> ImageDataset {
        let folder: String
        switch nameOrPath {
        case "mnist", "fashion-mnist": folder = DataLocation.root + "/data/" + nameOrPath
        case "cifar10": folder = DataLocation.root + "/data/cifar-10-batches-bin"
        default: folder = nameOrPath
        }
        guard let kind = layout(of: folder) else {
            let hint =
                knownNames.contains(nameOrPath) && nameOrPath != "cifar10"
                ? " (run Scripts/fetch-corpora to download it)" : ""
            throw InputError(
                file: folder,
                "holds neither IDX files (t10k-images-idx3-ubyte[.gz] …) nor CIFAR-10 binary batches (test_batch.bin)"
                    + hint)
        }
        let name = knownNames.contains(nameOrPath) ? nameOrPath : (nameOrPath as NSString).lastPathComponent
        return kind == "cifar10" ? try cifar(folder, name: name) : try idx(folder, name: name)
    }

    static func idx(_ folder: String, name: String) throws -> ImageDataset {
        func split(_ prefix: String) throws -> ((pixels: [UInt8], count: Int, rows: Int, cols: Int), [UInt8]) {
            guard let imagesPath = idxFile(folder, "\(prefix)-images-idx3-ubyte"),
                let labelsPath = idxFile(folder, "\(prefix)-labels-idx1-ubyte")
            else {
                throw InputError(file: folder, "missing \(prefix)-images-idx3-ubyte or \(prefix)-labels-idx1-ubyte")
            }
            let images = try IDXReader.images(imagesPath)
            let labels = try IDXReader.labels(labelsPath)
            guard images.count == labels.count else {
                throw InputError(file: labelsPath, "\(labels.count) labels for \(images.count) images in \(imagesPath)")
            }
            guard images.rows == images.cols else {
                throw InputError(file: imagesPath, "images are \(images.rows)×\(images.cols), not square")
            }
            if let bad = labels.firstIndex(where: { $0 > 9 }) {
                throw InputError(file: labelsPath, "label \(labels[bad]) of item \(bad + 1) is not 0–9")
            }
            return (images, labels)
        }
        let (train, trainY) = try split("train")
        let (test, testY) = try split("t10k")
        let size = train.rows
        guard size == test.rows else {
            throw InputError(file: folder, "train images are \(size)² pixels, test images \(test.rows)²")
        }
        let (mean, std) = ImageDataset.normalisation(name, trainPixels: train.pixels, channels: 1, plane: size * size)
        let trainX = ImageDataset.tensor(
            train.pixels, count: train.count, channels: 1, size: size, mean: mean, std: std)
        let testX = ImageDataset.tensor(test.pixels, count: test.count, channels: 1, size: size, mean: mean, std: std)
        let classes =
            name == "fashion-mnist"
            ? ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "boot"]
            : (0..<10).map(String.init)
        return ImageDataset(
            name: name, classNames: classes, channels: 1, size: size, mean: mean, std: std, trainImages: trainX,
            trainLabels: trainY.map(Int32.init), testImages: testX, testLabels: testY.map(Int32.init),
            augmentTraining: false)
    }

    static func cifar(_ folder: String, name: String) throws -> ImageDataset {
        let trainFiles = (1...5).map { "\(folder)/data_batch_\($0).bin" }.filter {
            FileManager.default.fileExists(atPath: $0)
        }
        guard !trainFiles.isEmpty else { throw InputError(file: folder, "no data_batch_N.bin training batches") }
        var pixels: [UInt8] = []
        var labels: [UInt8] = []
        for f in trainFiles {
            let b = try CIFARReader.batch(f)
            pixels += b.pixels
            labels += b.labels
        }
        let test = try CIFARReader.batch(folder + "/test_batch.bin")
        // The CIFAR-10 binary layout holds CIFAR-10 itself: its class names, its constants.
        let (mean, std) = ImageSet.cifar10.normalisation
        return ImageDataset(
            name: name, classNames: CIFARReader.classNames, channels: 3, size: 32, mean: mean, std: std,
            trainImages: ImageDataset.tensor(pixels, count: labels.count, channels: 3, size: 32, mean: mean, std: std),
            trainLabels: labels.map(Int32.init),
            testImages: ImageDataset.tensor(
                test.pixels, count: test.labels.count, channels: 3, size: 32, mean: mean, std: std),
            testLabels: test.labels.map(Int32.init), augmentTraining: true)
    }
}

/// The image sets known by name, with the reference's normalisation constants.
public enum ImageSet: String, CaseIterable, Sendable {
    case mnist
    case fashionMNIST = "fashion-mnist"
    case cifar10

    /// Per-channel mean and standard deviation of x/255 on the training split.
    public var normalisation: (mean: [Double], std: [Double]) {
        switch self {
        case .mnist: return ([0.1307], [0.3081])
        case .fashionMNIST: return ([0.2860], [0.3530])
        case .cifar10: return ([0.4914, 0.4822, 0.4465], [0.2023, 0.1994, 0.2010])
        }
    }
}
