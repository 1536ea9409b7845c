/// One LSTM layer in one direction over a whole sequence, as one op. Given the input terms
/// of every position with both biases, zx [L, N, 4H] (position-major; PyTorch's gate order
/// i, f, g, o), and the recurrent weights W [4H, H], from h = c = 0:
///
///     z_t = zx_t + h_{t−1} Wᵀ,   c̃ = σ(z_i) ⊙ tanh(z_g) + σ(z_f) ⊙ c_{t−1},   h̃ = σ(z_o) ⊙ tanh(c̃)
///     c_t = c_{t−1} + m_t (c̃ − c_{t−1}),   h_t = h_{t−1} + m_t (h̃ − h_{t−1})
///
/// with masks m [L, N, 1] (1 inside a text, 0 after it, so the state is held), or m = 1.
/// Positions run from L−1 down to 0 when `reverse`. The result is every h_t, [L, N, H].
///
/// When the texts come longest first (every position's mask a run of ones, then zeros, as
/// `RecurrentClassifier` sorts them), each step computes only the rows still inside their
/// text, as PyTorch's packed sequences do: the held rows' states are copied, their gate
/// gradients are zero, and what is saved for them is zero (every later use multiplies it by
/// m = 0), so the result is the masked computation's.
///
/// Written as one op per step, a layer over 1,024 texts is a few hundred ops, each with its
/// [N, ·] temporaries, its gradient additions and per-step bias reductions. Here the forward
/// pass keeps the gate activations, and the backward pass runs the recurrence back with one
/// product per step (dh_{t−1} += dz_t W) and takes dW = Σ_t dz_tᵀ h_{t−1} as one product over
/// all positions; the input projection before it (one `linear` over all positions) takes the
/// rest of the gradient in a few large products.
///
/// When the backward pass is itself recorded (`createGraph: true`: the inner steps of
/// distillation), the gradient is one differentiable op of its own with a fused backward rule
/// (`LSTMSequenceGradient.swift`); beyond that order the layer is replayed with the
/// differentiable fused cell (`lstmMemory`, `lstmOutput`), so gradients of gradients of any
/// order are exact. All are checked against finite differences and each other.
extension Tensor {
    /// - Parameters:
    ///   - recurrent: W [4H, H], same dtype.
    ///   - masks: [L, N, 1] of 0 and 1, or nil (every position counts).
    ///   - reverse: run from the last position to the first.
    /// - Returns: the hidden state at every position, [L, N, H].
    public func lstmSequence(recurrent w: Tensor, masks: Tensor?, reverse: Bool) -> Tensor {
        precondition(
            rank == 3 && w.rank == 2 && w.shape[0] == shape[2] && w.shape[0] == 4 * w.shape[1] && dtype == w.dtype
                && shape[0] > 0,
            "lstmSequence: inputs \(shape) and recurrent weights \(w.shape) should be [L > 0, N, 4H] and [4H, H]")
        precondition(
            masks.map { $0.shape == [shape[0], shape[1], 1] && $0.dtype == dtype } ?? true,
            "lstmSequence: masks \(masks?.shape ?? []) should be [\(shape[0]), \(shape[1]), 1]")
        let run = LSTMRun(
            length: shape[0], rows: shape[1], hidden: w.shape[1], reverse: reverse,
            active: masks.flatMap(LSTMRun.activeRows))
        let states = Tensor.uninitialized([run.length, run.rows, run.hidden], dtype)
        let saved = LSTMRun.Saved(run, dtype)
        func go<T: TensorScalar>(_: T.Type) {
            run.forward(pointer(T.self), w.pointer(T.self), masks?.pointer(T.self), saved, states.pointer(T.self))
        }
        if dtype == .float32 { go(Float.self) } else { go(Double.self) }
        let inputs = [self, w] + (masks.map { [$0] } ?? [])
        return Tensor.record("lstmSequence", states, inputs) { c in
            if GradMode.isEnabled { return run.backwardAsOps(c, saved) }
            return run.backwardFused(c, saved)
        }
    }
}

/// The sizes and direction of one `lstmSequence`, and its kernels.
struct LSTMRun {
    let length: Int
    let rows: Int
    let hidden: Int
    let reverse: Bool
    /// Rows inside their text at each position, when those are the first rows at every
    /// position (texts sorted longest first); nil: every row is computed, with its mask.
    let active: [Int]?

    /// Position of step s.
    func position(_ s: Int) -> Int { reverse ? length - 1 - s : s }

    /// Rows computed at position t.
    func rowsRead(at t: Int) -> Int { active?[t] ?? rows }

    /// For masks [L, N, 1] whose every position is a run of ones then zeros: the length of
    /// each run; nil otherwise (then every row is computed and masked).
    static func activeRows(_ masks: Tensor) -> [Int]? {
        let (l, n) = (masks.shape[0], masks.shape[1])
        let m = masks.doubles
        var active: [Int] = []
        for t in 0..<l {
            let column = m[(t * n)..<((t + 1) * n)]
            let ones = column.prefix(while: { $0 == 1 }).count
            guard column.dropFirst(ones).allSatisfy({ $0 == 0 }) else { return nil }
            active.append(ones)
        }
        return active
    }

    /// What the forward pass keeps for the backward: gate activations [L, N, 4H], and the tanh
    /// of the unmasked new cell c̃ and the masked cell c_t ([L, N, H] each) at every position.
    final class Saved {
        let activations: Tensor
        let tanhCandidate: Tensor
        let cells: Tensor
        init(_ run: LSTMRun, _ dtype: DType) {
            activations = Tensor.uninitialized([run.length, run.rows, 4 * run.hidden], dtype)
            tanhCandidate = Tensor.uninitialized([run.length, run.rows, run.hidden], dtype)
            cells = Tensor.uninitialized([run.length, run.rows, run.hidden], dtype)
        }
    }

    func forward<T: TensorScalar>(
        _ zx: UnsafePointer<T>, _ w: UnsafePointer<T>, _ masks: UnsafePointer<T>?, _ saved: Saved,
        _ states: UnsafeMutablePointer<T>
    ) {
        let (n, h) = (rows, hidden)
        let (act, tanhCand, cells) = (
            saved.activations.pointer(T.self), saved.tanhCandidate.pointer(T.self), saved.cells.pointer(T.self)
        )
        let z = UnsafeMutablePointer<T>.allocate(capacity: n * 4 * h)
        let cNew = UnsafeMutablePointer<T>.allocate(capacity: n * h)  // c̃ of the step
        let zero = UnsafeMutablePointer<T>.allocate(capacity: n * h)  // the state before the first step
        defer {
            z.deallocate()
            cNew.deallocate()
            zero.deallocate()
        }
        zero.update(repeating: 0, count: n * h)
        for s in 0..<length {
            let t = position(s)
            let read = rowsRead(at: t)
            z.update(from: zx + t * n * 4 * h, count: read * 4 * h)
            let (hPrev, cPrev) =
                s > 0 ? (states + position(s - 1) * n * h, cells + position(s - 1) * n * h) : (zero, zero)
            if s > 0 && read > 0 {
                T.gemm(
                    transposeA: false, transposeB: true, m: read, n: 4 * h, k: h, alpha: 1, a: hPrev, lda: h, b: w,
                    ldb: h, beta: 1, c: z, ldc: 4 * h)
            }
            let a = act + t * n * 4 * h
            lstmActivations(z, a, n: read, h: h)
            let (hOut, cOut, tanhC) = (states + t * n * h, cells + t * n * h, tanhCand + t * n * h)
            LSTMStep.memory(a, cPrev, cNew, n: read, h: h)
            applyUnary(.tanh, cNew, tanhC, read * h)
            LSTMStep.output(a, tanhC, cNew, hPrev, cPrev, masks.map { $0 + t * n }, hOut, cOut, n: read, h: h)
            if read < n {
                // Rows past their text: the state held, nothing saved that a later use reads unmasked.
                let held = n - read
                (hOut + read * h).update(from: hPrev + read * h, count: held * h)
                (cOut + read * h).update(from: cPrev + read * h, count: held * h)
                (a + read * 4 * h).update(repeating: 0, count: held * 4 * h)
                (tanhC + read * h).update(repeating: 0, count: held * h)
            }
        }
    }

    /// The backward pass as kernels: the recurrence run back step by step, then dW as one
    /// product of all steps' gate gradients with the previous states.
    func backwardFused(_ c: BackwardContext, _ saved: Saved) -> [Tensor?] {
        let (zx, w, grad, states) = (c.inputs[0], c.inputs[1], c.grad, c.output)
        let masks = c.inputs.count > 2 ? c.inputs[2] : nil
        let dz = Tensor.uninitialized(zx.shape, zx.dtype)
        let dw = c.needsGrad[1] ? Tensor.uninitialized(w.shape, w.dtype) : nil
        func go<T: TensorScalar>(_: T.Type) {
            backKernel(grad.pointer(T.self), w.pointer(T.self), masks?.pointer(T.self), saved, dz.pointer(T.self))
            guard let dw else { return }
            recurrentWeightGradient(dz.pointer(T.self), states.pointer(T.self), dw.pointer(T.self), adding: false)
        }
        if zx.dtype == .float32 { go(Float.self) } else { go(Double.self) }
        return [c.needsGrad[0] ? dz : nil, dw] + (masks == nil ? [] : [nil])
    }

    /// dW = Σ over steps after the first of dz_tᵀ h_{t−1} (or dW += it), one product: the
    /// previous state of position t is at t − 1 (forward) or t + 1 (reverse), so both factors
    /// are contiguous blocks of dz [L, N, 4H] and the states [L, N, H].
    func recurrentWeightGradient<T: TensorScalar>(
        _ dz: UnsafePointer<T>, _ states: UnsafePointer<T>, _ dw: UnsafeMutablePointer<T>, adding: Bool
    ) {
        let (n, h) = (rows, hidden)
        guard length > 1 else {
            if !adding { dw.update(repeating: 0, count: 4 * h * h) }
            return
        }
        guard active != nil else {
            let (gates, previous) = reverse ? (dz, states + n * h) : (dz + n * 4 * h, states)
            T.gemm(
                transposeA: true, transposeB: false, m: 4 * h, n: h, k: (length - 1) * n, alpha: 1, a: gates,
                lda: 4 * h, b: previous, ldb: h, beta: adding ? 1 : 0, c: dw, ldc: h)
            return
        }
        // Packed: a product per position over the rows inside their text (the others' dz is 0).
        if !adding { dw.update(repeating: 0, count: 4 * h * h) }
        for s in 1..<length where rowsRead(at: position(s)) > 0 {
            let (t, before) = (position(s), position(s - 1))
            T.gemm(
                transposeA: true, transposeB: false, m: 4 * h, n: h, k: rowsRead(at: t), alpha: 1,
                a: dz + t * n * 4 * h, lda: 4 * h, b: states + before * n * h, ldb: h, beta: 1, c: dw, ldc: h)
        }
    }

    /// The recurrence run back: gate gradients dz [L, N, 4H] for the incoming gradient of the
    /// states (nil: none), with what `extras` gives for each position (kept state gradients,
    /// injected adjoints: `LSTMSequenceGradient.swift`).
    func backKernel<T: TensorScalar>(
        _ grad: UnsafePointer<T>?, _ w: UnsafePointer<T>, _ masks: UnsafePointer<T>?, _ saved: Saved,
        _ dz: UnsafeMutablePointer<T>, extras: (_ position: Int) -> LSTMStep.Extras<T>? = { _ in nil }
    ) {
        let (n, h) = (rows, hidden)
        let (act, tanhCand, cells) = (
            saved.activations.pointer(T.self), saved.tanhCandidate.pointer(T.self), saved.cells.pointer(T.self)
        )
        let dh = UnsafeMutablePointer<T>.allocate(capacity: n * h)
        let dc = UnsafeMutablePointer<T>.allocate(capacity: n * h)
        let zero = UnsafeMutablePointer<T>.allocate(capacity: n * h)
        defer {
            dh.deallocate()
            dc.deallocate()
            zero.deallocate()
        }
        dh.update(repeating: 0, count: n * h)
        dc.update(repeating: 0, count: n * h)
        zero.update(repeating: 0, count: n * h)
        for s in stride(from: length - 1, through: 0, by: -1) {
            let t = position(s)
            let read = rowsRead(at: t)
            let cPrev = s > 0 ? UnsafePointer(cells + position(s - 1) * n * h) : UnsafePointer(zero)
            let (incoming, more) = (grad.map { $0 + t * n * h }, extras(t))
            LSTMStep.backward(
                incoming, act + t * n * 4 * h, tanhCand + t * n * h, cPrev, masks.map { $0 + t * n }, dh, dc,
                dz + t * n * 4 * h, n: read, h: h, extras: more)
            if read < n {
                LSTMStep.backwardHeld(incoming, dh, dc, dz + t * n * 4 * h, rows: read..<n, h: h, extras: more)
            }
            if s > 0 && read > 0 {
                T.gemm(
                    transposeA: false, transposeB: false, m: read, n: h, k: 4 * h, alpha: 1, a: dz + t * n * 4 * h,
                    lda: 4 * h, b: w, ldb: h, beta: 1, c: dh, ldc: h)
            }
        }
    }

    /// The layer as differentiable ops: the fused cell stepped position by position.
    func replay(_ zx: Tensor, _ w: Tensor, masks: Tensor?) -> Tensor {
        let (n, h) = (rows, hidden)
        var (state, cell): (Tensor?, Tensor?) = (nil, nil)
        var states = [Tensor?](repeating: nil, count: length)
        for s in 0..<length {
            let t = position(s)
            var z = zx.slice(axis: 0, t..<(t + 1)).reshaped([n, 4 * h])
            if let state { z = z + state.matmul(w, transposeOther: true) }
            let (hp, cp) = (
                state ?? Tensor.zeros([n, h], dtype: zx.dtype), cell ?? Tensor.zeros([n, h], dtype: zx.dtype)
            )
            var cNew = z.lstmMemory(previous: cp)
            var hNew = z.lstmOutput(memory: cNew)
            if let masks {
                let m = masks.slice(axis: 0, t..<(t + 1)).reshaped([n, 1])
                hNew = hp + m * (hNew - hp)
                cNew = cp + m * (cNew - cp)
            }
            (state, cell) = (hNew, cNew)
            states[t] = hNew
        }
        return Tensor.stack(states.compactMap { $0 })
    }
}
