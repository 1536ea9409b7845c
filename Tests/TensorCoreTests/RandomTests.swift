import TensorCore
import Testing

@Test func generatorMatchesReferenceXoshiro256StarStar() {
    // splitmix64-seeded xoshiro256**, seed 42, computed by an independent implementation.
    var rng = RandomGenerator(seed: 42)
    #expect(
        [rng.next(), rng.next(), rng.next()] == [
            1_546_998_764_402_558_742, 6_990_951_692_964_543_102, 12_544_586_762_248_559_009,
        ])
}

@Test func sameSeedSameBitsInEveryDtype() {
    var a = RandomGenerator(seed: 9)
    var b = RandomGenerator(seed: 9)
    let x = Tensor.randomNormal([100], dtype: .float64, using: &a)
    let y = Tensor.randomNormal([100], dtype: .float32, using: &b)
    #expect(x.doubles.map { Float($0) } == y.floats)
    var c = RandomGenerator(seed: 9)
    #expect(Tensor.randomNormal([100], dtype: .float64, using: &c).doubles == x.doubles)
    var d = RandomGenerator(seed: 10)
    #expect(Tensor.randomNormal([100], dtype: .float64, using: &d).doubles != x.doubles)
}

@Test func xavierNormalHasTheGlorotStandardDeviation() {
    var rng = RandomGenerator(seed: 4)
    let w = Tensor.xavierNormal([200, 50, 3], dtype: .float64, using: &rng)  // fanIn 150, fanOut 600
    let v = w.doubles
    let mean = v.reduce(0, +) / Double(v.count)
    let std = (v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(v.count)).squareRoot()
    let expected = (2.0 / 750).squareRoot()
    #expect(abs(std / expected - 1) < 0.02)
    #expect(abs(mean) < 0.01 * expected * 10)
}

@Test func permutationIsAPermutation() {
    var rng = RandomGenerator(seed: 1)
    let p = rng.permutation(1000)
    #expect(p.sorted() == Array(0..<1000) && p != Array(0..<1000))
}

@Test func dropoutMaskKeepsTheExpectation() {
    var rng = RandomGenerator(seed: 5)
    let m = Tensor.dropoutMask([10_000], probability: 0.5, dtype: .float64, using: &rng).doubles
    #expect(Set(m) == [0, 2])
    #expect(abs(m.reduce(0, +) / 10_000 - 1) < 0.03)
}
