/// Shape arithmetic shared by the ops: broadcasting, strides, axis normalisation.
enum Shape {
    /// Row-major strides of a contiguous tensor of `shape`.
    static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var s = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[i] = s
            s *= shape[i]
        }
        return strides
    }

    /// The NumPy broadcast of two shapes, or nil when they are incompatible.
    static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = Swift.max(a.count, b.count)
        let pa = [Int](repeating: 1, count: rank - a.count) + a
        let pb = [Int](repeating: 1, count: rank - b.count) + b
        var out = [Int]()
        out.reserveCapacity(rank)
        for (x, y) in zip(pa, pb) {
            if x == y || y == 1 { out.append(x) } else if x == 1 { out.append(y) } else { return nil }
        }
        return out
    }

    /// Strides that read a contiguous tensor of `shape` as if broadcast to `target`
    /// (0 along broadcast dimensions).
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let padded = [Int](repeating: 1, count: target.count - shape.count) + shape
        let own = strides(padded)
        return (0..<target.count).map { padded[$0] == target[$0] && target[$0] != 1 ? own[$0] : 0 }
    }

    /// `axis` made non-negative (Python-style negative axes count from the end).
    static func axis(_ axis: Int, rank: Int, op: String) -> Int {
        let a = axis < 0 ? axis + rank : axis
        precondition(a >= 0 && a < rank, "\(op): axis \(axis) out of range for rank \(rank)")
        return a
    }

    /// Sizes before, along and after `axis`.
    static func split(_ shape: [Int], at axis: Int) -> (outer: Int, length: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }
}

/// A strided walk over an n-dimensional index space, with dimensions merged wherever every
/// operand is contiguous across them. Kernels loop over `outerCount` runs of `innerCount`
/// elements; `offsets(run)` gives each operand's start and `innerStrides` its step.
struct StridedWalk {
    let innerCount: Int
    let innerStrides: [Int]
    let outerCount: Int
    private let outerShape: [Int]
    private let outerStrides: [[Int]]  // [operand][dim]

    init(shape: [Int], strides: [[Int]]) {
        // Drop size-1 dimensions, then merge neighbours that are contiguous for all operands.
        var dims: [(size: Int, strides: [Int])] = []
        for d in 0..<shape.count where shape[d] != 1 {
            let s = strides.map { $0[d] }
            if let last = dims.last, zip(last.strides, s).allSatisfy({ $0 == $1 * shape[d] }) {
                dims[dims.count - 1] = (last.size * shape[d], s)
            } else {
                dims.append((shape[d], s))
            }
        }
        if let last = dims.popLast() {
            innerCount = last.size
            innerStrides = last.strides
        } else {
            innerCount = shape.contains(0) ? 0 : 1
            innerStrides = strides.map { _ in 0 }
        }
        outerShape = dims.map(\.size)
        outerStrides = strides.indices.map { k in dims.map { $0.strides[k] } }
        outerCount = innerCount == 0 ? 0 : outerShape.reduce(1, *)
    }

    /// Start offset of every operand for each run, in order.
    func forEachRun(_ body: (_ offsets: [Int]) -> Void) {
        if outerShape.isEmpty {
            if outerCount > 0 { body(outerStrides.map { _ in 0 }) }
            return
        }
        var index = [Int](repeating: 0, count: outerShape.count)
        var offsets = [Int](repeating: 0, count: outerStrides.count)
        for _ in 0..<outerCount {
            body(offsets)
            var d = outerShape.count - 1
            while d >= 0 {
                index[d] += 1
                for k in offsets.indices { offsets[k] += outerStrides[k][d] }
                if index[d] < outerShape[d] { break }
                for k in offsets.indices { offsets[k] -= outerStrides[k][d] * outerShape[d] }
                index[d] = 0
                d -= 1
            }
        }
    }
}
