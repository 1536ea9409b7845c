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
        return dtype == .float64 ? summed(tensors, Double.self, sum) : summed(tensors, Float.self, sum)
    }

    /// The tensors flattened into one array of `T`, summed by `sum`, and cut back into tensors.
    private func summed<T: TensorScalar>(_ tensors: [Tensor], _: T.Type, _ sum: (inout [T]) -> Void) -> [Tensor] {
        var flat = tensors.flatMap { $0.scalars(as: T.self) }
        sum(&flat)
        var offset = 0
        return tensors.map { t in
            let n = t.shape.reduce(1, *)
            defer { offset += n }
            return Tensor(Array(flat[offset..<(offset + n)]), shape: t.shape)
        }
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
