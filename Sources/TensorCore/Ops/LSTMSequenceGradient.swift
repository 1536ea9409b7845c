/// The backward pass of `lstmSequence` as one differentiable op, for gradients that are
/// differentiated again (the inner steps of distillation).
///
/// Recorded (`createGraph: true`), the layer's backward rule gives dzx = B(zx, W, ∂h) as one op
/// and dW = Σ_t dz_tᵀ h_{t−1} as a product of it with the layer's states, instead of replaying
/// the layer with a few hundred per-position ops and differentiating the replay (about ten
/// thousand small ops per Bi-LSTM distillation iteration, all on one core). B's own backward
/// rule, without a recorded graph, is the vector–Jacobian product of the backward recurrence:
///
/// 1. forward in time through B's steps, carrying the adjoints of its state gradients (dh, dc):
///    the adjoints of B's input ∂h_t, of its direct use of W (dh_{t−1} += dz_t W), and of the
///    forward quantities B reads at each position (the gates, tanh c̃, the previous cell);
/// 2. back in time through the layer's forward recurrence with those adjoints injected (the
///    layer's own backward kernel with three more terms per step).
///
/// Recorded in turn (for a third derivative of the layer), B's rule replays the layer and
/// differentiates it twice, so every order stays exact. Checked in float64 against the layer
/// written with the stepped fused cell (LSTMSequenceGradientTests) and by finite differences
/// of first and second order (OpGradientTests).
extension LSTMRun {
    /// The layer's backward rule when it is recorded: [dzx, dW, nil for the masks].
    func backwardAsOps(_ c: BackwardContext, _ saved: Saved) -> [Tensor?] {
        let (zx, w, grad, states) = (c.inputs[0], c.inputs[1], c.grad, c.output)
        let masks = c.inputs.count > 2 ? c.inputs[2] : nil
        let dz = gradientOp(zx, w, masks, grad, saved, states)
        var dw: Tensor? = nil
        if c.needsGrad[1] {
            let (n, h) = (rows, hidden)
            if length > 1 {
                // Σ over steps after the first of dz_tᵀ h_{t−1}, as in the fused rule.
                let (gates, previous) =
                    reverse
                    ? (dz.slice(axis: 0, 0..<(length - 1)), states.slice(axis: 0, 1..<length))
                    : (dz.slice(axis: 0, 1..<length), states.slice(axis: 0, 0..<(length - 1)))
                dw = gates.reshaped([(length - 1) * n, 4 * h]).matmul(
                    previous.reshaped([(length - 1) * n, h]), transposeSelf: true)
            } else {
                dw = Tensor.zeros([4 * h, h], dtype: w.dtype)
            }
        }
        return [c.needsGrad[0] ? dz : nil, dw] + (masks == nil ? [] : [nil])
    }

    /// The state gradients entering each position of B (dh with ∂h_t added, and dc), kept for
    /// B's backward; [L, N, H] each.
    final class Entering {
        let dh: Tensor
        let dc: Tensor
        init(_ run: LSTMRun, _ dtype: DType) {
            dh = Tensor.uninitialized([run.length, run.rows, run.hidden], dtype)
            dc = Tensor.uninitialized([run.length, run.rows, run.hidden], dtype)
        }
    }

    /// dzx = B(zx, W, ∂h), recorded with inputs [zx, W, ∂h] (+ the constant masks).
    private func gradientOp(
        _ zx: Tensor, _ w: Tensor, _ masks: Tensor?, _ grad: Tensor, _ saved: Saved, _ states: Tensor
    ) -> Tensor {
        let (n, h) = (rows, hidden)
        let dz = Tensor.uninitialized(zx.shape, zx.dtype)
        let entering = Entering(self, zx.dtype)
        func go<T: TensorScalar>(_: T.Type) {
            let (dh, dc) = (entering.dh.pointer(T.self), entering.dc.pointer(T.self))
            backKernel(grad.pointer(T.self), w.pointer(T.self), masks?.pointer(T.self), saved, dz.pointer(T.self)) {
                LSTMStep.Extras(keptDh: dh + $0 * n * h, keptDc: dc + $0 * n * h)
            }
        }
        if zx.dtype == .float32 { go(Float.self) } else { go(Double.self) }
        let inputs = [zx, w, grad] + (masks.map { [$0] } ?? [])
        return Tensor.record("lstmSequenceGradient", dz, inputs) { c in
            if GradMode.isEnabled {
                return c.replaying { x in
                    let replayed = replay(x[0], x[1], masks: x.count > 3 ? x[3] : nil)
                    return gradients(of: replayed, withRespectTo: [x[0]], seed: x[2], createGraph: true)[0]
                }
            }
            return gradientBackward(c, saved, entering, states)
        }
    }

    /// Adjoints of B's forward quantities at every position: of the gates [L, N, 4H], of
    /// tanh c̃ and of the previous cell [L, N, H]; and of dh_{t−1} handed back at t [L, N, H].
    final class Adjoints {
        let gates: Tensor
        let tanhC: Tensor
        let cPrev: Tensor
        let handed: Tensor
        init(_ run: LSTMRun, _ dtype: DType) {
            gates = Tensor.uninitialized([run.length, run.rows, 4 * run.hidden], dtype)
            tanhC = Tensor.uninitialized([run.length, run.rows, run.hidden], dtype)
            cPrev = Tensor.uninitialized([run.length, run.rows, run.hidden], dtype)
            handed = Tensor.uninitialized([run.length, run.rows, run.hidden], dtype)
        }
    }

    /// B's vector–Jacobian product without a recorded graph: [for zx, for W, for ∂h, nil].
    private func gradientBackward(
        _ c: BackwardContext, _ saved: Saved, _ entering: Entering, _ states: Tensor
    ) -> [Tensor?] {
        let (zx, w, bar, dz) = (c.inputs[0], c.inputs[1], c.grad, c.output)
        let masks = c.inputs.count > 3 ? c.inputs[3] : nil
        let (n, h) = (rows, hidden)
        let adjoints = Adjoints(self, zx.dtype)
        let gradBar = Tensor.uninitialized([length, n, h], zx.dtype)
        let zxBar = Tensor.uninitialized(zx.shape, zx.dtype)
        let wBar = Tensor.uninitialized(w.shape, w.dtype)
        func go<T: TensorScalar>(_: T.Type) {
            let (wp, mp, wb) = (w.pointer(T.self), masks?.pointer(T.self), wBar.pointer(T.self))
            adjointKernel(
                bar.pointer(T.self), wp, mp, saved, entering, dz.pointer(T.self), adjoints, gradBar.pointer(T.self))
            // W's direct part, Σ_t dz_tᵀ (the adjoint of dh_{t−1} handed back at t; zero at the first step).
            T.gemm(
                transposeA: true, transposeB: false, m: 4 * h, n: h, k: length * n, alpha: 1, a: dz.pointer(T.self),
                lda: 4 * h, b: adjoints.handed.pointer(T.self), ldb: h, beta: 0, c: wb, ldc: h)
            // Back through the layer's forward recurrence with the adjoints injected.
            let (ag, at, ac) = (
                adjoints.gates.pointer(T.self), adjoints.tanhC.pointer(T.self), adjoints.cPrev.pointer(T.self)
            )
            backKernel(nil, wp, mp, saved, zxBar.pointer(T.self)) {
                LSTMStep.Extras(gates: ag + $0 * n * 4 * h, tanhC: at + $0 * n * h, cPrev: ac + $0 * n * h)
            }
            recurrentWeightGradient(UnsafePointer(zxBar.pointer(T.self)), states.pointer(T.self), wb, adding: true)
        }
        if zx.dtype == .float32 { go(Float.self) } else { go(Double.self) }
        return [c.needsGrad[0] ? zxBar : nil, c.needsGrad[1] ? wBar : nil, c.needsGrad[2] ? gradBar : nil]
            + (masks == nil ? [] : [nil])
    }
}

extension LSTMRun {
    /// Step 1 of B's backward: B's steps in forward order, the adjoints of their state
    /// gradients carried along; fills `adjoints` and the adjoint of ∂h, `gradBar`.
    fileprivate func adjointKernel<T: TensorScalar>(
        _ bar: UnsafePointer<T>, _ w: UnsafePointer<T>, _ masks: UnsafePointer<T>?, _ saved: Saved,
        _ entering: Entering, _ dz: UnsafePointer<T>, _ adjoints: Adjoints, _ gradBar: UnsafeMutablePointer<T>
    ) {
        let (n, h) = (rows, hidden)
        let (act, tanhCand, cells) = (
            saved.activations.pointer(T.self), saved.tanhCandidate.pointer(T.self), saved.cells.pointer(T.self)
        )
        let (dhIn, dcIn) = (entering.dh.pointer(T.self), entering.dc.pointer(T.self))
        let (gates, tanhC, cPrevBar, handed) = (
            adjoints.gates.pointer(T.self), adjoints.tanhC.pointer(T.self), adjoints.cPrev.pointer(T.self),
            adjoints.handed.pointer(T.self)
        )
        let aDz = UnsafeMutablePointer<T>.allocate(capacity: n * 4 * h)
        let aDh = UnsafeMutablePointer<T>.allocate(capacity: n * h)
        let aDc = UnsafeMutablePointer<T>.allocate(capacity: n * h)
        let zero = UnsafeMutablePointer<T>.allocate(capacity: n * h)
        defer {
            aDz.deallocate()
            aDh.deallocate()
            aDc.deallocate()
            zero.deallocate()
        }
        for p in [aDh, aDc, zero] { p.update(repeating: 0, count: n * h) }
        for s in 0..<length {
            let t = position(s)
            aDz.update(from: bar + t * n * 4 * h, count: n * 4 * h)
            (handed + t * n * h).update(from: aDh, count: n * h)
            if s > 0 {
                // dh_{t−1} += dz_t W, so dz_t's adjoint gains (dh_{t−1}'s adjoint) Wᵀ.
                T.gemm(
                    transposeA: false, transposeB: true, m: n, n: 4 * h, k: h, alpha: 1, a: aDh, lda: h, b: w, ldb: h,
                    beta: 1, c: aDz, ldc: 4 * h)
            }
            let cPrev = s > 0 ? UnsafePointer(cells + position(s - 1) * n * h) : UnsafePointer(zero)
            let (wide, narrow) = (t * n * 4 * h, t * n * h)
            let mask: UnsafePointer<T>? = masks.map { $0 + t * n }
            let enteringHere: (dh: UnsafePointer<T>, dc: UnsafePointer<T>) = (
                UnsafePointer(dhIn + narrow), UnsafePointer(dcIn + narrow)
            )
            let out: (gates: UnsafeMutablePointer<T>, tanhC: UnsafeMutablePointer<T>, cPrev: UnsafeMutablePointer<T>) =
                (gates + wide, tanhC + narrow, cPrevBar + narrow)
            LSTMStep.adjoint(
                act + wide, tanhCand + narrow, cPrev, mask, entering: enteringHere, aDz, aDh, aDc, out: out, n: n, h: h)
            // The first step's previous cell is the zero state: nothing to carry there.
            if s == 0 { (cPrevBar + t * n * h).update(repeating: 0, count: n * h) }
            (gradBar + t * n * h).update(from: aDh, count: n * h)
        }
    }
}
