import Distillation
import Foundation

/// Where `distill` puts its checkpoint, how big its files are, and what it says when stopped.
extension Distill {
    static let checkpointSuffix = ".checkpoint.safetensors"

    static func checkpointPath(for output: String) -> String {
        (output.removingSuffix(".safetensors") ?? output) + checkpointSuffix
    }

    /// The bytes of a run's set and fixed init.
    static func bytes(of distiller: Distiller) -> Int {
        let tensors = distiller.optimizer.parameters + (distiller.fixedInit ?? [])
        return tensors.reduce(0) { $0 + $1.count * $1.dtype.size }
    }

    /// What an interrupted run says it kept.
    static func interrupted(_ stopped: DistillationRun.Stopped) -> String {
        if let set = stopped.finishedSet {
            return "interrupted during the assessment: the distilled set is in \(set), with the results finished so far"
        }
        let checkpoint = stopped.checkpoint ?? ""
        // Under MPI the same job continues it: `mpirun … textdistill-mpi distill --resume`.
        let command =
            Clusters.current.size > 1 ? "mpirun -np \(Clusters.current.size) textdistill-mpi" : "textdistill"
        return
            "interrupted: checkpoint written to \(checkpoint); continue with  \(command) distill --resume \(checkpoint)"
    }
}
