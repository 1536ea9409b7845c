import Testing

@testable import TensorCore

/// The recorded gradient of `lstmSequence` (one op, `LSTMSequenceGradient.swift`) against the
/// same layer written with the stepped fused cell, in float64: its value, its derivatives with
/// respect to the layer's inputs, its recurrent weights and the incoming gradient (B's fused
/// backward rule), and one order further (the rule's replay), with and without masks, in both
/// directions, and for one position. Texts sorted longest first take the op's packed path
/// (only the rows inside their text computed at each position), the others the masked one.
@Test(arguments: [
    (false, false, 5, false), (true, true, 5, false), (false, true, 1, false), (true, false, 4, false),
    (false, true, 5, true), (true, true, 5, true), (true, true, 1, true),
])
func lstmSequenceGradientOpMatchesTheSteppedCell(reverse: Bool, masked: Bool, length l: Int, sorted: Bool) {
    var rng = RandomGenerator(seed: 47)
    let (n, h) = (3, 2)
    let leaves = [[l, n, 4 * h], [4 * h, h], [l, n, h]].map {
        Tensor.randomNormal($0, dtype: .float64, using: &rng).requiringGrad()
    }
    let lengths = sorted ? [l, l > 2 ? 3 : 1, 0] : [l > 2 ? 3 : 0, l, 1]
    let masks: Tensor? =
        masked
        ? Tensor((0..<l).flatMap { t in lengths.map { t < $0 ? 1.0 : 0.0 } }, shape: [l, n, 1], dtype: .float64)
        : nil
    let directions = [[l, n, 4 * h], [4 * h, h], [l, n, 4 * h], [4 * h, h], [l, n, h]].map {
        Tensor.randomNormal($0, dtype: .float64, using: &rng)
    }
    // Value, derivatives (the fused rule) and derivatives of a derivative (the replay).
    func measured(_ layer: (Tensor, Tensor) -> Tensor) -> [[Double]] {
        let (zx, w, u) = (leaves[0], leaves[1], leaves[2])
        let g = gradients(of: (layer(zx, w) * u).sum(), withRespectTo: [zx, w], createGraph: true)
        let f = (g[0] * directions[0]).sum() + (g[1] * directions[1]).sum()
        let plain = gradients(of: f, withRespectTo: [zx, w, u])
        let recorded = gradients(of: f, withRespectTo: [zx, w, u], createGraph: true)
        let again = zip(recorded, directions[2...]).map { ($0 * $1).sum() }.reduce(
            Tensor(scalar: 0, dtype: .float64), +)
        return [g[0].doubles, g[1].doubles] + plain.map(\.doubles) + recorded.map(\.doubles)
            + gradients(of: again, withRespectTo: [zx, w, u]).map(\.doubles)
    }
    #expect((masks.flatMap(LSTMRun.activeRows) != nil) == (masked && sorted), "the path the case is for")
    let fused = measured { $0.lstmSequence(recurrent: $1, masks: masks, reverse: reverse) }
    let reference = measured { steppedLSTM($0, $1, masks: masks, reverse: reverse) }
    for (a, b) in zip(fused, reference) { #expect(GradientCheck.relativeError(a, b) < 1e-12) }
}

/// One LSTM layer written with the differentiable fused cell, stepped position by position:
/// the composition `lstmSequence` replaces (zx [L, N, 4H], W [4H, H], masks [L, N, 1] or nil).
func steppedLSTM(_ zx: Tensor, _ w: Tensor, masks: Tensor?, reverse: Bool) -> Tensor {
    let (l, n, h) = (zx.shape[0], zx.shape[1], w.shape[1])
    var (state, cell): (Tensor?, Tensor?) = (nil, nil)
    var states = [Tensor?](repeating: nil, count: l)
    for t in reverse ? Array((0..<l).reversed()) : Array(0..<l) {
        var z = zx.slice(axis: 0, t..<(t + 1)).reshaped([n, 4 * h])
        if let state { z = z + state.matmul(w, transposeOther: true) }
        let (hp, cp) = (state ?? Tensor.zeros([n, h], dtype: zx.dtype), cell ?? Tensor.zeros([n, h], dtype: zx.dtype))
        var c = z.lstmMemory(previous: cp)
        var s = z.lstmOutput(memory: c)
        if let masks {
            let m = masks.slice(axis: 0, t..<(t + 1)).reshaped([n, 1])
            (s, c) = (hp + m * (s - hp), cp + m * (c - cp))
        }
        (state, cell) = (s, c)
        states[t] = s
    }
    return Tensor.stack(states.compactMap { $0 })
}
