import Foundation
import TensorCore
import Testing

@testable import ImageData

private let fixtures = Bundle.module.path(forResource: "Fixtures", ofType: nil)!

@Test func idxFolderReadsBothSplitsGzipOrPlain() throws {
    let set = try ImageLoader.load(fixtures + "/idx")
    #expect(set.trainImages.shape == [4, 1, 28, 28] && set.testImages.shape == [2, 1, 28, 28])
    #expect(set.trainLabels == [5, 0, 4, 1] && set.testLabels == [7, 2])
    // Pixel (i=1, r=2, c=3) = (37 + 10 + 9) mod 256 = 56, normalised by the folder's own
    // training pixels (it is not a known set): mean and std of x/255 over the 4 train images.
    var pixels: [Double] = []
    for i in 0..<4 {
        for p in 0..<784 { pixels.append(Double((37 * i + 5 * (p / 28) + 3 * (p % 28)) % 256) / 255) }
    }
    let v = set.trainImages.floats[1 * 784 + 2 * 28 + 3]
    #expect(abs(Double(v) - (56.0 / 255 - set.mean[0]) / set.std[0]) < 1e-5)
    #expect(abs(set.mean[0] - pixels.reduce(0, +) / Double(pixels.count)) < 1e-12)
    #expect(set.classNames.count == 10 && !set.augmentTraining)
}

@Test func cifarBatchesReadPlanesInRecordOrder() throws {
    let set = try ImageLoader.load(fixtures + "/cifar-10-batches-bin")
    #expect(set.trainImages.shape == [5, 3, 32, 32] && set.testImages.shape == [2, 3, 32, 32])
    #expect(set.trainLabels == [6, 9, 9, 4, 1] && set.testLabels == [3, 8])
    // Record i = 3 (first of data_batch_2), green plane, pixel 7: (33 + 50 + 7) mod 256 = 90.
    let v = set.trainImages.floats[3 * 3072 + 1024 + 7]
    #expect(abs(Double(v) - (90.0 / 255 - 0.4822) / 0.1994) < 1e-6)
    #expect(set.classNames[3] == "cat" && set.augmentTraining)
}

@Test func malformedImageFilesNameTheFile() throws {
    let dir = FileManager.default.temporaryDirectory.path + "/idx-bad-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    // Truncated image file.
    let good = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/idx/t10k-images-idx3-ubyte"))
    try good.prefix(good.count - 5).write(to: URL(fileURLWithPath: dir + "/t10k-images-idx3-ubyte"))
    #expect { try IDXReader.images(dir + "/t10k-images-idx3-ubyte") } throws: {
        "\($0)".contains("truncated") && "\($0)".contains(dir)
    }
    // Wrong magic: a label file read as images.
    #expect { try IDXReader.images(fixtures + "/idx/t10k-labels-idx1-ubyte") } throws: { "\($0)".contains("magic") }
    // A CIFAR batch that is not whole records.
    try Data(count: 3073 + 10).write(to: URL(fileURLWithPath: dir + "/test_batch.bin"))
    #expect { try CIFARReader.batch(dir + "/test_batch.bin") } throws: { "\($0)".contains("whole number") }
    // An empty folder is neither layout.
    #expect { try ImageLoader.load(dir + "/nothing") } throws: { "\($0)".contains("neither IDX") }
    // A header whose sizes overflow when multiplied (it crashed the reader before).
    var huge = Data([0, 0, 8, 3])
    for _ in 0..<3 { huge += Data([0xFF, 0xFF, 0xFF, 0xF0]) }
    try (huge + Data(count: 64)).write(to: URL(fileURLWithPath: dir + "/huge-idx3-ubyte"))
    #expect { try IDXReader.images(dir + "/huge-idx3-ubyte") } throws: { "\($0)".contains("more than the file") }
}

@Test func augmentationCropsWithReflectionAndFlips() {
    // One 1×4×4 image with values 0…15; every output pixel must come from the reflected image.
    let x = Tensor((0..<16).map(Float.init), shape: [1, 1, 4, 4])
    var rng = RandomGenerator(seed: 3)
    var sawFlipOrShift = false
    for _ in 0..<20 {
        let y = Augmentation.cropAndFlip(x, padding: 2, using: &rng).floats
        #expect(Set(y).isSubset(of: Set((0..<16).map(Float.init))))
        // Rows stay rows: each output row is a (possibly reversed, shifted) reflected row.
        if y != x.floats { sawFlipOrShift = true }
    }
    #expect(sawFlipOrShift)
    var a = RandomGenerator(seed: 9)
    var b = RandomGenerator(seed: 9)
    #expect(
        Augmentation.cropAndFlip(x, padding: 2, using: &a).floats
            == Augmentation.cropAndFlip(x, padding: 2, using: &b).floats)
}

/// A set of one's own is normalised by its own training pixels, a known set by the reference's
/// constants (an unknown name no longer borrows MNIST's).
@Test func ownImageSetsAreNormalisedByTheirOwnPixels() {
    let pixels: [UInt8] = [0, 255, 0, 255, 51, 51, 51, 51]  // two 2×2 planes: channel 0, channel 1
    let own = ImageDataset.normalisation("mine", trainPixels: pixels, channels: 2, plane: 4)
    #expect(own.mean == [0.5, 0.2])
    #expect(abs(own.std[0] - 0.5) < 1e-12 && own.std[1] == 1e-6)
    #expect(ImageDataset.normalisation("mnist", trainPixels: pixels, channels: 1, plane: 8).mean == [0.1307])
}
