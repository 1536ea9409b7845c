import TensorCore

/// Examples a model can be fed in batches: labels, and a way to build the input tensor (and
/// lengths, for text) of any set of rows.
public struct LabelledData {
    public let labels: [Int32]
    public let classes: Int
    private let makeBatch: ([Int]) -> (Tensor, [Int]?)
    /// Random changes applied to training batches (e.g. CIFAR crops and flips), or nil.
    public var augmentation: ((Tensor, inout RandomGenerator) -> Tensor)? = nil

    public init(labels: [Int32], classes: Int, batch: @escaping ([Int]) -> (Tensor, [Int]?)) {
        self.labels = labels
        self.classes = classes
        self.makeBatch = batch
    }

    public var count: Int { labels.count }

    /// Inputs of `rows` and their lengths (nil for images).
    public func batch(_ rows: [Int]) -> (input: Tensor, lengths: [Int]?) { makeBatch(rows) }

    /// The examples at `rows`, in that order (a held-out part, say), with the same augmentation.
    ///
    /// - Parameter rows: indices into this data.
    /// - Returns: a view of those examples.
    public func subset(_ rows: [Int]) -> LabelledData {
        var s = LabelledData(labels: rows.map { labels[$0] }, classes: classes) { [makeBatch] in
            makeBatch($0.map { rows[$0] })
        }
        s.augmentation = augmentation
        return s
    }

    /// Images [N, C, H, W], rows taken from one tensor.
    public static func images(_ images: Tensor, labels: [Int32], classes: Int) -> LabelledData {
        precondition(
            images.rank == 4 && images.shape[0] == labels.count,
            "LabelledData.images: \(images.shape) for \(labels.count) labels")
        let width = images.count / Swift.max(images.shape[0], 1)
        let flat = images.reshaped([images.shape[0], width])
        return LabelledData(labels: labels, classes: classes) { rows in
            (flat.gather(rows: rows.map(Int32.init)).reshaped([rows.count] + Array(images.shape.dropFirst())), nil)
        }
    }
}
