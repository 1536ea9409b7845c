/// Finite-difference verification of first and second derivatives, in Double.
///
/// For a function f of tensors, with fixed random weights r, let L(x) = Σ f(x)·r.
/// - first order: ∇L from `gradients` against central differences of L, element by element;
/// - second order: the Hessian-vector product ∇(∇L·v), taken by differentiating the recorded
///   backward pass, against central differences of ∇L along v.
/// Each error is ‖analytic − numeric‖₂ / max(‖analytic‖₂, ‖numeric‖₂, 1e-8).
public enum GradientCheck {
    public struct Result: CustomStringConvertible {
        public let firstOrderError: Double
        public let secondOrderError: Double
        public var description: String {
            "first-order error \(firstOrderError), second-order error \(secondOrderError)"
        }
    }

    /// Checks f at `inputs` (converted to float64). `epsilon` is the finite-difference step.
    ///
    /// - Parameters:
    ///   - inputs: the point, converted to float64.
    ///   - epsilon: the central difference's step.
    ///   - seed: the random weights' and direction's stream.
    ///   - f: the function checked.
    /// - Returns: the first- and second-order relative errors.
    public static func check(
        _ inputs: [Tensor], epsilon: Double = 1e-5, seed: UInt64 = 7,
        _ f: ([Tensor]) -> Tensor
    ) -> Result {
        var rng = RandomGenerator(seed: seed)
        let values = inputs.map { $0.doubles }
        let shapes = inputs.map(\.shape)
        func leaves(_ vals: [[Double]]) -> [Tensor] {
            zip(vals, shapes).map { Tensor($0, shape: $1).requiringGrad() }
        }
        let probe = f(leaves(values))
        let weights = Tensor.randomNormal(probe.shape, dtype: .float64, using: &rng)
        func objective(_ xs: [Tensor]) -> Tensor { (f(xs) * weights).sum() }

        // First order.
        let xs = leaves(values)
        let analytic = gradients(of: objective(xs), withRespectTo: xs, createGraph: true)
        var numeric: [Double] = []
        for (i, v) in values.enumerated() {
            for j in v.indices {
                var plus = values
                var minus = values
                plus[i][j] += epsilon
                minus[i][j] -= epsilon
                let lp = withoutGradients { objective(leaves(plus)).item }
                let lm = withoutGradients { objective(leaves(minus)).item }
                numeric.append((lp - lm) / (2 * epsilon))
            }
        }
        let first = relativeError(analytic.flatMap(\.doubles), numeric)

        // Second order: Hessian-vector product along a random direction v.
        let directions = shapes.map { Tensor.randomNormal($0, dtype: .float64, using: &rng) }
        let gv = zip(analytic, directions).map { ($0 * $1).sum() }.reduce(Tensor(scalar: 0, dtype: .float64), +)
        let hvp = gradients(of: gv, withRespectTo: xs).flatMap(\.doubles)
        func gradientAt(_ sign: Double) -> [Double] {
            let shifted = zip(values, directions).map { v, d in zip(v, d.doubles).map { $0 + sign * epsilon * $1 } }
            let p = leaves(shifted)
            return gradients(of: objective(p), withRespectTo: p).flatMap(\.doubles)
        }
        let (gp, gm) = (gradientAt(1), gradientAt(-1))
        let numericHVP = zip(gp, gm).map { ($0 - $1) / (2 * epsilon) }
        return Result(firstOrderError: first, secondOrderError: relativeError(hvp, numericHVP))
    }

    /// The same two checks along `directions` random directions instead of element by
    /// element: ⟨∇L, v⟩ against the central difference of L along v, and the Hessian-vector
    /// product against the central difference of ∇L along v. For models too large for an
    /// element-wise sweep.
    ///
    /// - Parameters:
    ///   - inputs: the point, converted to float64.
    ///   - directions: random directions to check along.
    ///   - epsilon: the central difference's step.
    ///   - seed: the directions' stream.
    ///   - f: the function checked.
    /// - Returns: the largest first- and second-order relative errors.
    public static func checkDirectional(
        _ inputs: [Tensor], directions: Int = 3, epsilon: Double = 1e-5, seed: UInt64 = 7,
        _ f: ([Tensor]) -> Tensor
    ) -> Result {
        var rng = RandomGenerator(seed: seed)
        let values = inputs.map { $0.doubles }
        let shapes = inputs.map(\.shape)
        func leaves(_ vals: [[Double]]) -> [Tensor] { zip(vals, shapes).map { Tensor($0, shape: $1).requiringGrad() } }
        let weights = Tensor.randomNormal(f(leaves(values)).shape, dtype: .float64, using: &rng)
        func objective(_ xs: [Tensor]) -> Tensor { (f(xs) * weights).sum() }
        var first: [(Double, Double)] = []
        var analyticHVP: [Double] = []
        var numericHVP: [Double] = []
        for _ in 0..<directions {
            let v = shapes.map { Tensor.randomNormal($0, dtype: .float64, using: &rng) }
            let xs = leaves(values)
            let g = gradients(of: objective(xs), withRespectTo: xs, createGraph: true)
            let gv = zip(g, v).map { ($0 * $1).sum() }.reduce(Tensor(scalar: 0, dtype: .float64), +)
            func shifted(_ sign: Double) -> [Tensor] {
                leaves(zip(values, v).map { x, d in zip(x, d.doubles).map { $0 + sign * epsilon * $1 } })
            }
            let (lp, lm) = withoutGradients { (objective(shifted(1)).item, objective(shifted(-1)).item) }
            first.append((gv.item, (lp - lm) / (2 * epsilon)))
            analyticHVP += gradients(of: gv, withRespectTo: xs).flatMap(\.doubles)
            let (p, m) = (shifted(1), shifted(-1))
            let gp = gradients(of: objective(p), withRespectTo: p).flatMap(\.doubles)
            let gm = gradients(of: objective(m), withRespectTo: m).flatMap(\.doubles)
            numericHVP += zip(gp, gm).map { ($0 - $1) / (2 * epsilon) }
        }
        return Result(
            firstOrderError: relativeError(first.map(\.0), first.map(\.1)),
            secondOrderError: relativeError(analyticHVP, numericHVP))
    }

    /// - Parameters:
    ///   - a: one vector.
    ///   - b: the other, of the same length.
    /// - Returns: ‖a − b‖₂ / max(‖a‖₂, ‖b‖₂, 1e-8).
    public static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "relativeError: \(a.count) vs \(b.count) values")
        func norm(_ x: [Double]) -> Double { x.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        let diff = norm(zip(a, b).map { $0 - $1 })
        return diff / Swift.max(norm(a), norm(b), 1e-8)
    }
}
