import TensorCore

/// The processes one distillation runs on: one (`SingleProcess`, the default), or the ranks of
/// an MPI job (`textdistill-mpi`). Every rank runs the same outer loop on the same set; each
/// computes its share of an iteration's meta-gradient (`Distiller.units`), `sum` adds the
/// shares of all ranks, and every rank takes the same Adam step. Rank 0 alone evaluates,
/// prints and writes files.
public protocol Cluster: AnyObject {
    /// This process's index, 0 ..< size.
    var rank: Int { get }
    var size: Int { get }
    /// Replaces `values` by their elementwise sum over all ranks (every rank calls it with
    /// the same count, in the same order of calls).
    func sum(_ values: inout [Double])
    /// The same for float32 values.
    func sum(_ values: inout [Float])
}

extension Cluster {
    /// Whether `flag` holds on any rank (a collective call, as `sum`).
    public func any(_ flag: Bool) -> Bool {
        guard size > 1 else { return flag }
        var v: [Double] = [flag ? 1 : 0]
        sum(&v)
        return v[0] > 0
    }

    /// `tensors` summed over all ranks, each keeping its shape and dtype.
    public func sum(_ tensors: [Tensor]) -> [Tensor] {
        guard size > 1, let dtype = tensors.first?.dtype else { return tensors }
        let counts = tensors.map { $0.shape.reduce(1, *) }
        var out: [Tensor] = []
        if dtype == .float64 {
            var flat = tensors.flatMap(\.doubles)
            sum(&flat)
            var offset = 0
            for (t, n) in zip(tensors, counts) {
                out.append(Tensor(Array(flat[offset..<(offset + n)]), shape: t.shape, dtype: .float64))
                offset += n
            }
        } else {
            var flat = tensors.flatMap(\.floats)
            sum(&flat)
            var offset = 0
            for (t, n) in zip(tensors, counts) {
                out.append(Tensor(Array(flat[offset..<(offset + n)]), shape: t.shape))
                offset += n
            }
        }
        return out
    }
}

/// One process: the sums are the values themselves.
public final class SingleProcess: Cluster {
    /// The only process.
    public init() {}
    /// Always 0.
    public var rank: Int { 0 }
    /// Always 1.
    public var size: Int { 1 }
    /// Leaves `values` as they are: the sum over one rank.
    public func sum(_ values: inout [Double]) {}
    /// Leaves `values` as they are: the sum over one rank.
    public func sum(_ values: inout [Float]) {}
}

/// The cluster of this process: a single one unless `textdistill-mpi` set its MPI world at
/// start, before any distiller was made.
public enum Clusters {
    nonisolated(unsafe) public static var current: any Cluster = SingleProcess()
}
