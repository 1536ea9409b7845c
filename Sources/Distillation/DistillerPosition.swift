/// What a run records as it goes: where it stands and each finished epoch (both stored in
/// checkpoints and artifacts).
extension Distiller {
    /// Where the run stands: `iteration` iterations of epoch `epoch` are done, with these
    /// running sums of the epoch's outer loss (per example) and seconds, and the word swaps kept.
    public struct Position: Codable, Equatable, Sendable {
        public var epoch = 0
        public var iteration = 0
        public var lossSum = 0.0
        public var seconds = 0.0
        public var swaps = 0

        /// - Parameters:
        ///   - epoch: outer epochs finished.
        ///   - iteration: iterations finished in the current epoch.
        ///   - lossSum: the epoch's summed outer loss so far.
        ///   - seconds: the epoch's time so far.
        ///   - swaps: word swaps kept in the epoch.
        public init(epoch: Int = 0, iteration: Int = 0, lossSum: Double = 0, seconds: Double = 0, swaps: Int = 0) {
            (self.epoch, self.iteration, self.lossSum, self.seconds, self.swaps) = (
                epoch, iteration, lossSum, seconds, swaps
            )
        }

        /// Reads positions written by any version (`swaps` came later).
        ///
        /// - Parameter decoder: the stored position.
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                epoch: try c.decode(Int.self, forKey: .epoch), iteration: try c.decode(Int.self, forKey: .iteration),
                lossSum: try c.decode(Double.self, forKey: .lossSum),
                seconds: try c.decode(Double.self, forKey: .seconds),
                swaps: try c.decodeIfPresent(Int.self, forKey: .swaps) ?? 0)
        }
    }

    /// One outer epoch's record: mean outer loss, test accuracy if it was evaluated, and the
    /// word swaps kept (runs with `wordSwaps` > 0).
    public struct EpochRecord: Codable, Equatable, Sendable {
        public let epoch: Int
        public let loss: Double
        public var accuracy: Double?
        /// Wall-clock seconds of the epoch; nil in files written without timings (the default,
        /// so that the same command and seed write the same bytes).
        public var seconds: Double?
        public var wordSwaps: Int? = nil
    }
}
