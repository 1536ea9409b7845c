import Models
import TensorCore

/// Checkpoints: the state a run needs beside its set, and a run continued from one.
extension Distiller {
    /// Continues a run from a checkpoint written by `DistilledArtifact.write(to:checkpoint:)`.
    ///
    /// - Parameters:
    ///   - artifact: the checkpoint's set, init and info.
    ///   - checkpoint: its position, history and optimizer state.
    ///   - moments: Adam's moments, as stored.
    ///   - train: the real training split.
    ///   - projection: readable mode's words, or nil.
    /// - Throws: `DistillationError` when the checkpoint does not fit its own settings.
    public convenience init(
        resuming artifact: DistilledArtifact, checkpoint: DistilledArtifact.CheckpointState, moments: [Tensor],
        train: LabelledData, projection: WordProjection? = nil
    ) throws {
        try self.init(
            model: artifact.model, settings: artifact.info.settings, train: train, set: artifact.set,
            fixedInit: artifact.fixedInit, projection: projection, position: checkpoint.position,
            history: artifact.info.history)
        guard moments.count == 2 * optimizer.parameters.count else {
            throw DistillationError.checkpointMoments(moments: moments.count / 2, tensors: optimizer.parameters.count)
        }
        optimizer.restore(
            stepCount: checkpoint.adamSteps, first: stride(from: 0, to: moments.count, by: 2).map { moments[$0] },
            second: stride(from: 1, to: moments.count, by: 2).map { moments[$0] })
    }

    /// The state a checkpoint needs beside the set.
    public var checkpointState: DistilledArtifact.CheckpointState {
        DistilledArtifact.CheckpointState(position: position, adamSteps: optimizer.stepCount, options: nil)
    }
}
