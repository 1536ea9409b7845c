import Foundation

/// A lower bound on the memory a run needs, from its shapes alone, so that absurd sizes are
/// refused with the estimate before anything is allocated (instead of an abort allocating
/// tens of GB): the distilled rows with their gradient and Adam's two moments, and one real
/// minibatch of inputs.
public enum MemoryEstimate {
    /// Bytes: 4 copies of the distilled rows (value, gradient, two moments) and the real batch.
    ///
    /// - Parameters:
    ///   - settings: steps, samples per class, batch size.
    ///   - classes: the task's class count.
    ///   - sampleShape: one row's shape.
    ///   - scalarBytes: bytes per number.
    /// - Returns: the estimate in bytes.
    public static func bytes(settings: DistillationSettings, classes: Int, sampleShape: [Int], scalarBytes: Int = 4)
        -> Double
    {
        let sample = sampleShape.reduce(1.0) { $0 * Double($1) }
        let rows = Double(settings.steps) * Double(settings.perClass) * Double(settings.initClasses?.count ?? classes)
        return (4 * rows * sample + Double(settings.batchSize) * sample) * Double(scalarBytes)
    }

    /// Throws when the estimate exceeds this machine's memory.
    ///
    /// - Parameters:
    ///   - settings: the run's settings.
    ///   - classes: the task's class count.
    ///   - sampleShape: one row's shape.
    /// - Throws: `DistillationError` with the estimate and the machine's memory.
    public static func check(settings: DistillationSettings, classes: Int, sampleShape: [Int]) throws {
        let need = bytes(settings: settings, classes: classes, sampleShape: sampleShape)
        let have = Double(ProcessInfo.processInfo.physicalMemory)
        guard need <= have else {
            throw DistillationError.tooLarge(
                steps: settings.steps, perClass: settings.perClass, sampleShape: sampleShape,
                batchSize: settings.batchSize, neededBytes: need, availableBytes: have)
        }
    }
}
