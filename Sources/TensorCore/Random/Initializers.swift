/// Random tensors and the weight initialisations models use.
extension Tensor {
    /// Independent draws from N(mean, std²).
    ///
    /// - Parameters:
    ///   - shape: the tensor's shape.
    ///   - mean, std: the distribution.
    ///   - dtype: float32 or float64.
    ///   - rng: the stream drawn from.
    /// - Returns: a new leaf tensor.
    public static func randomNormal(
        _ shape: [Int], mean: Double = 0, std: Double = 1, dtype: DType = .float32,
        using rng: inout RandomGenerator
    ) -> Tensor {
        Tensor((0..<shape.reduce(1, *)).map { _ in mean + std * rng.normal() }, shape: shape, dtype: dtype)
    }

    /// - Parameters:
    ///   - shape: the tensor's shape.
    ///   - range: the interval drawn from.
    ///   - dtype: its dtype.
    ///   - rng: the draw.
    /// - Returns: uniform samples.
    public static func randomUniform(
        _ shape: [Int], in range: ClosedRange<Double> = 0...1, dtype: DType = .float32,
        using rng: inout RandomGenerator
    ) -> Tensor {
        let width = range.upperBound - range.lowerBound
        return Tensor(
            (0..<shape.reduce(1, *)).map { _ in range.lowerBound + width * rng.uniform() }, shape: shape, dtype: dtype)
    }

    /// Fan-in and fan-out as PyTorch computes them: a weight [out, in, k…] has
    /// fanIn = in·Πk and fanOut = out·Πk.
    ///
    /// - Parameter shape: a weight's shape ([out, in, …]).
    /// - Returns: its fan-in and fan-out, as PyTorch computes them.
    public static func fans(_ shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        precondition(shape.count >= 2, "fans: needs a weight of rank ≥ 2, got \(shape)")
        let receptive = shape.dropFirst(2).reduce(1, *)
        return (shape[1] * receptive, shape[0] * receptive)
    }

    /// Xavier (Glorot) normal: N(0, gain²·2/(fanIn+fanOut)), as `torch.nn.init.xavier_normal_`.
    ///
    /// - Parameters:
    ///   - shape: the weight's shape.
    ///   - gain: the scale.
    ///   - dtype: its dtype.
    ///   - rng: the draw.
    /// - Returns: N(0, gain² · 2 / (fanIn + fanOut)) samples.
    public static func xavierNormal(
        _ shape: [Int], gain: Double = 1, dtype: DType = .float32,
        using rng: inout RandomGenerator
    ) -> Tensor {
        let (fanIn, fanOut) = fans(shape)
        let std = gain * (2.0 / Double(fanIn + fanOut)).squareRoot()
        return randomNormal(shape, std: std, dtype: dtype, using: &rng)
    }
}
