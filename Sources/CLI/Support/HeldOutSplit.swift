import Distillation
import Models
import Tasks

extension Distill {
    /// The training examples to distil from and, with --select-on-validation N, the N held out.
    func split(_ task: LoadedTask, count: Int?, seed: UInt64) throws -> (LabelledData, LabelledData?) {
        guard let count, count > 0 else { return (task.train, nil) }
        guard count <= task.train.count / 2 else {
            throw ValidationFailure(
                "--select-on-validation \(count): at most half of the \(task.train.count) training examples")
        }
        let (train, heldOut) = ValidationSelection.split(task.train, count: count, seed: seed)
        return (train, heldOut)
    }
}
