// `mpirun -np P textdistill-mpi distill … --nets K`: the textdistill command with its
// meta-gradients summed over the ranks of an MPI job (docs/scaling.md). Rank 0 prints and
// writes; the others only compute. Built with the package trait MPI (on by default).
import Foundation

#if MPI
    import CLI
    import Distillation
    import MPICluster
    import TensorCore

    if let line = BLASKernel.switchIfFallback() {
        FileHandle.standardError.write(Data(("textdistill-mpi: " + line + "\n").utf8))
    }
    let cluster = MPICluster()
    Clusters.current = cluster
    // The ranks on one host share its cores: each gets its share for BLAS and parallel parts.
    let local = Int(ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_LOCAL_SIZE"] ?? "") ?? 1
    let cores = Swift.max(1, ProcessInfo.processInfo.activeProcessorCount / Swift.max(1, local))
    setenv("TEXTDISTILL_CORES", String(cores), 0)
    BLASThreads.set(cores)
    // Only rank 0 talks; the others keep a copy of stderr for their own errors.
    let errors = cluster.rank == 0 ? 2 : dup(2)
    if cluster.rank != 0 {
        let null = open("/dev/null", O_WRONLY)
        dup2(null, 1)
        dup2(null, 2)
    }
    do {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first {
        case "check": try float64Check(Array(arguments.dropFirst()))
        case "compare":
            let close = try compare(Array(arguments.dropFirst()))
            cluster.finalize()
            exit(close ? 0 : 1)
        default:
            var command = try TextDistill.parseAsRoot(nil)
            try command.run()
        }
        if cluster.rank == 0 && cluster.size > 1 && cluster.reducedBytes > 0 {
            let line = String(
                format:
                    "textdistill-mpi: %d ranks; all-reduced %d bytes in %d sums, %.3f s in them (waits for the slowest rank included)\n",
                cluster.size, cluster.reducedBytes, cluster.sums, cluster.reduceSeconds)
            FileHandle.standardError.write(Data(line.utf8))
        }
        cluster.finalize()
    } catch {
        let code = TextDistill.exitCode(for: error).rawValue
        if code == 0 {
            if cluster.rank == 0 { print(TextDistill.fullMessage(for: error)) }
            cluster.finalize()
            exit(0)
        }
        let text = TextDistill.message(for: TextDistill.worded(error))
        if !text.isEmpty {  // an interrupted run (exit 130) has said what it did on rank 0
            let prefix = cluster.size > 1 ? "textdistill-mpi rank \(cluster.rank): " : ""
            let message = prefix + "Error: " + text + "\n"
            _ = message.withCString { write(errors, $0, strlen($0)) }
        }
        // One failed rank ends the job: the others would wait for it in the next sum.
        if cluster.size > 1 { cluster.abort(code) }
        exit(code)
    }
#else
    FileHandle.standardError.write(
        Data("textdistill-mpi: built without MPI (the package trait MPI is off); see docs/scaling.md\n".utf8))
    exit(2)
#endif
