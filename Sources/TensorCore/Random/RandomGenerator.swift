import Foundation

/// A seeded pseudo-random generator (xoshiro256**, seeded through splitmix64).
///
/// The same seed gives the same sequence on every machine and in every build: uniforms use
/// the top 53 bits, normals the Box–Muller transform in Double, and draws for a `float32`
/// tensor are the Double draws rounded, so a Float and a Double tensor from one seed agree.
public struct RandomGenerator: RandomNumberGenerator {
    private var s: (UInt64, UInt64, UInt64, UInt64)
    private var spareNormal: Double?

    /// - Parameter seed: any value; the same seed gives the same stream.
    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitmix(), splitmix(), splitmix(), splitmix())
    }

    /// - Returns: the next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = s.3 << 45 | s.3 >> 19
        return result
    }

    /// Uniform in [0, 1).
    ///
    /// - Returns: a uniform number in [0, 1).
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Standard normal.
    ///
    /// - Returns: a standard normal number.
    public mutating func normal() -> Double {
        if let z = spareNormal {
            spareNormal = nil
            return z
        }
        var u = 0.0
        repeat { u = uniform() } while u == 0
        let v = uniform()
        let r = (-2 * Foundation.log(u)).squareRoot()
        spareNormal = r * Foundation.sin(2 * .pi * v)
        return r * Foundation.cos(2 * .pi * v)
    }

    /// Uniform integer in 0..<n.
    ///
    /// - Parameter n: the bound (n > 0).
    /// - Returns: a uniform integer in 0..<n.
    public mutating func below(_ n: Int) -> Int {
        precondition(n > 0, "RandomGenerator.below: n must be positive")
        return Int(next() % UInt64(n))  // bias < n / 2⁶⁴
    }

    /// A random permutation of 0..<n (Fisher–Yates), the same for the same state everywhere.
    ///
    /// - Parameter n: how many.
    /// - Returns: a uniform permutation of 0..<n.
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, below(i + 1)) }
        return p
    }

    /// The generator of one numbered stream under `seed`, e.g. (seed, [epoch, iteration]):
    /// any stream can be recreated directly, which is what lets a run resume exactly.
    ///
    /// - Parameters:
    ///   - seed: the run's seed.
    ///   - stream: the stream's identity (e.g. [purpose, epoch]).
    public init(seed: UInt64, stream: [UInt64]) {
        var g = RandomGenerator(seed: seed)
        for part in stream { g = RandomGenerator(seed: g.next() ^ (part &* 0x9E37_79B9_7F4A_7C15)) }
        self = g
    }

    /// An independent generator derived from this one's next draw.
    ///
    /// - Returns: a generator seeded from this one's next number.
    public mutating func fork() -> RandomGenerator { RandomGenerator(seed: next()) }
}
