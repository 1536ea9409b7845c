#if MPI
    import CMPI
    import Distillation
    import Foundation

    /// The ranks of an MPI job as a distillation `Cluster`: `sum` is one `MPI_Allreduce`
    /// (MPI_SUM, in place) over MPI_COMM_WORLD. Made once per process, after `MPI_Init`.
    public final class MPICluster: Cluster {
        public let rank: Int
        public let size: Int
        /// Bytes all-reduced so far, the calls, and the seconds spent in them (for the scaling
        /// report: the seconds include waiting for the slowest rank).
        public private(set) var reducedBytes = 0
        public private(set) var sums = 0
        public private(set) var reduceSeconds = 0.0

        /// Initialises MPI (once per process) and reads this process's rank and the world's size.
        public init() {
            var argc: Int32 = 0
            MPI_Init(&argc, nil)
            var r: Int32 = 0
            var s: Int32 = 0
            MPI_Comm_rank(td_mpi_comm_world(), &r)
            MPI_Comm_size(td_mpi_comm_world(), &s)
            (rank, size) = (Int(r), Int(s))
        }

        public func sum(_ values: inout [Double]) {
            reduce(&values, td_mpi_double(), MemoryLayout<Double>.size)
        }

        public func sum(_ values: inout [Float]) {
            reduce(&values, td_mpi_float(), MemoryLayout<Float>.size)
        }

        private func reduce<T>(_ values: inout [T], _ type: MPI_Datatype, _ width: Int) {
            guard size > 1, !values.isEmpty else { return }
            let start = Date()
            let count = Int32(values.count)
            values.withUnsafeMutableBytes { buffer in
                _ = MPI_Allreduce(td_mpi_in_place(), buffer.baseAddress, count, type, td_mpi_sum(), td_mpi_comm_world())
            }
            reducedBytes += values.count * width
            sums += 1
            reduceSeconds += Date().timeIntervalSince(start)
        }

        /// Ends the whole job: every rank, with `code`, so that no rank waits for one that failed.
        public func abort(_ code: Int32) -> Never {
            MPI_Abort(td_mpi_comm_world(), code)
            exit(code)
        }

        /// Ends MPI for this process (after the last collective call).
        public func finalize() { MPI_Finalize() }
    }
#endif
