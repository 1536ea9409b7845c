import Foundation
import TensorCore
import Testing

/// The float32 exp/tanh/sigmoid kernels against Double libm, over a dense sweep and the edges.
@Test(arguments: ["exp", "tanh", "sigmoid"])
func float32TranscendentalsAreWithinAFewUlp(name: String) {
    var xs: [Double] = stride(from: -110.0, through: 95.0, by: 0.0137).map { $0 }
    xs +=
        stride(from: -1.0, through: 1.0, by: 1e-4).map { $0 } + [
            0, 1e-30, -1e-30, 1e-8, -1e-8, 0.55, -0.55, 0.5499999, 88.72, -87.3, -103.5,
        ]
    xs = xs.map { Double(Float($0)) }
    let t = Tensor(xs.map(Float.init), shape: [xs.count])
    let (got, exact): ([Float], [Double])
    switch name {
    case "exp": (got, exact) = (t.exp().floats, xs.map { Foundation.exp($0) })
    case "tanh": (got, exact) = (t.tanh().floats, xs.map { Foundation.tanh($0) })
    default: (got, exact) = (t.sigmoid().floats, xs.map { 1 / (1 + Foundation.exp(-$0)) })
    }
    var worst = 0.0
    var worstX = 0.0
    for (i, x) in xs.enumerated() {
        let e = exact[i]
        // Compare in ulps of the float result; results below the normal range only absolutely.
        if abs(e) < Double(Float.leastNormalMagnitude) {
            #expect(abs(Double(got[i]) - e) <= 1e-37, "\(name)(\(x)) = \(got[i]), expected \(e)")
            continue
        }
        if e > Double(Float.greatestFiniteMagnitude) {
            #expect(got[i] == .infinity, "\(name)(\(x)) should overflow")
            continue
        }
        let ulps = abs(Double(got[i]) - e) / Double(Float(e).ulp)
        if ulps > worst { (worst, worstX) = (ulps, x) }
    }
    #expect(worst <= 4, "\(name): worst error \(worst) ulp at x = \(worstX)")
    let special = Tensor([Float.nan, .infinity, -.infinity], shape: [3])
    let s = (name == "exp" ? special.exp() : name == "tanh" ? special.tanh() : special.sigmoid()).floats
    #expect(s[0].isNaN, "\(name)(NaN) must be NaN")
    let expected: [Float] = name == "exp" ? [.infinity, 0] : name == "tanh" ? [1, -1] : [1, 0]
    #expect(Array(s[1...]) == expected, "\(name)(±∞) = \(Array(s[1...]))")
}
