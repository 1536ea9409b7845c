import CTensorSupport

/// The elementwise work of one LSTM step over n rows, for `lstmSequence`'s kernels: gates
/// i, f, g, o of width h side by side in each row of `act` [n, 4h], already activated.
/// Float32 runs the vectorised C kernels (`lstm_cell.c`, the same formulas in the same order);
/// float64 runs these loops, which the golden and gradient tests check.
enum LSTMStep {
    /// c̃ = i·g + f·c_{t−1}.
    static func memory<T: TensorScalar>(
        _ act: UnsafePointer<T>, _ cPrev: UnsafePointer<T>, _ cNew: UnsafeMutablePointer<T>, n: Int, h: Int
    ) {
        if T.self == Float.self {
            td_lstm_memory_f32(float(act), float(cPrev), float(cNew), Int64(n), Int64(h))
            return
        }
        for r in 0..<n {
            let (g, o) = (act + r * 4 * h, r * h)
            for j in 0..<h { cNew[o + j] = g[j] * g[2 * h + j] + g[h + j] * cPrev[o + j] }
        }
    }

    /// h_t = o·tanh(c̃) and c_t = c̃; with masks [n], h_t = h_{t−1} + m (o·tanh(c̃) − h_{t−1})
    /// and c_t alike (as the composite writes it: not o·tanh(c̃) at m = 1 in floating point).
    static func output<T: TensorScalar>(
        _ act: UnsafePointer<T>, _ tanhC: UnsafePointer<T>, _ cNew: UnsafePointer<T>, _ hPrev: UnsafePointer<T>,
        _ cPrev: UnsafePointer<T>, _ masks: UnsafePointer<T>?, _ hOut: UnsafeMutablePointer<T>,
        _ cOut: UnsafeMutablePointer<T>, n: Int, h: Int
    ) {
        if T.self == Float.self {
            td_lstm_output_f32(
                float(act), float(tanhC), float(cNew), float(hPrev), float(cPrev), masks.map(float), float(hOut),
                float(cOut), Int64(n), Int64(h))
            return
        }
        for r in 0..<n {
            let (g, o) = (act + r * 4 * h, r * h)
            if let masks {
                let m = masks[r]
                for j in 0..<h {
                    hOut[o + j] = hPrev[o + j] + m * (g[3 * h + j] * tanhC[o + j] - hPrev[o + j])
                    cOut[o + j] = cPrev[o + j] + m * (cNew[o + j] - cPrev[o + j])
                }
            } else {
                for j in 0..<h { hOut[o + j] = g[3 * h + j] * tanhC[o + j] }
                (cOut + o).update(from: cNew + o, count: h)
            }
        }
    }

    /// What one step back may also do, for the vector–Jacobian product of the backward pass
    /// itself (`LSTMSequenceGradient.swift`): keep the state gradients entering the step (dh
    /// with the incoming gradient added, and dc), and add adjoints of the step's gates [n, 4h],
    /// of tanh(c̃) [n, h] and of the previous cell [n, h] (nil: none).
    struct Extras<T: TensorScalar> {
        var keptDh: UnsafeMutablePointer<T>? = nil
        var keptDc: UnsafeMutablePointer<T>? = nil
        var gates: UnsafePointer<T>? = nil
        var tanhC: UnsafePointer<T>? = nil
        var cPrev: UnsafePointer<T>? = nil
    }

    /// One step back: dh += the incoming gradient of h_t (if any); then the gate gradients dz
    /// [n, 4h], and in dh and dc what passes to the step before (the recurrent product is the
    /// caller's).
    static func backward<T: TensorScalar>(
        _ grad: UnsafePointer<T>?, _ act: UnsafePointer<T>, _ tanhC: UnsafePointer<T>, _ cPrev: UnsafePointer<T>,
        _ masks: UnsafePointer<T>?, _ dh: UnsafeMutablePointer<T>, _ dc: UnsafeMutablePointer<T>,
        _ dz: UnsafeMutablePointer<T>, n: Int, h: Int, extras: Extras<T>? = nil
    ) {
        if T.self == Float.self, let grad, extras == nil {
            td_lstm_backward_step_f32(
                float(grad), float(act), float(tanhC), float(cPrev), masks.map(float), float(dh), float(dc), float(dz),
                Int64(n), Int64(h))
            return
        }
        backwardInSwift(grad, act, tanhC, cPrev, masks, dh, dc, dz, n: n, h: h, extras ?? Extras())
    }

    /// `backward` for rows past their text (m = 0), which the caller did not compute: dh
    /// gains the incoming gradient and passes on with dc, the gate gradients are zero, and an
    /// injected adjoint of the previous cell is added to dc (those of the gates and of tanh c̃
    /// reach nothing at m = 0).
    static func backwardHeld<T: TensorScalar>(
        _ grad: UnsafePointer<T>?, _ dh: UnsafeMutablePointer<T>, _ dc: UnsafeMutablePointer<T>,
        _ dz: UnsafeMutablePointer<T>, rows: Range<Int>, h: Int, extras e: Extras<T>?
    ) {
        let (start, count) = (rows.lowerBound * h, rows.count * h)
        if let grad { for i in start..<(start + count) { dh[i] += grad[i] } }
        e?.keptDh?.advanced(by: start).update(from: dh + start, count: count)
        e?.keptDc?.advanced(by: start).update(from: dc + start, count: count)
        if let cPrev = e?.cPrev { for i in start..<(start + count) { dc[i] += cPrev[i] } }
        (dz + 4 * start).update(repeating: 0, count: 4 * count)
    }

    /// `backward` in Swift: float64, and float32 with kept state gradients or injected
    /// adjoints (small batches: the inner steps of distillation). Without extras it computes
    /// what the C kernel does in the same order (the injected terms are skipped or add an exact
    /// zero); float32 rounding may differ where the C compiler fuses a multiply and an add.
    private static func backwardInSwift<T: TensorScalar>(
        _ grad: UnsafePointer<T>?, _ act: UnsafePointer<T>, _ tanhC: UnsafePointer<T>, _ cPrev: UnsafePointer<T>,
        _ masks: UnsafePointer<T>?, _ dh: UnsafeMutablePointer<T>, _ dc: UnsafeMutablePointer<T>,
        _ dz: UnsafeMutablePointer<T>, n: Int, h: Int, _ e: Extras<T>
    ) {
        for r in 0..<n {
            let (o, k) = (r * h, r * 4 * h)
            // h_t = h_{t−1} + m (h̃ − h_{t−1}): h̃ gets m·dh, h_{t−1} keeps (1 − m)·dh; c alike.
            // Without masks m = 1, which gives exactly dh and 0.
            let m: T = masks?[r] ?? 1
            let keep = 1 - m
            for j in 0..<h {
                let (dht, dct) = (dh[o + j] + (grad?[o + j] ?? 0), dc[o + j])
                e.keptDh?[o + j] = dht
                e.keptDc?[o + j] = dct
                let (dhNew, dcHeld) = (dht * m, dct * m)
                let (i, f, gg, og) = (act[k + j], act[k + h + j], act[k + 2 * h + j], act[k + 3 * h + j])
                let tv = tanhC[o + j]
                // An adjoint of tanh(c̃) reaches c̃ as t̄·(1 − tanh²); one of a gate's activation
                // adds to what multiplies its derivative.
                let dcNew = dcHeld + dhNew * og * (1 - tv * tv) + (e.tanhC?[o + j] ?? 0) * (1 - tv * tv)
                dz[k + j] = dcNew * gg * i * (1 - i)
                dz[k + h + j] = dcNew * cPrev[o + j] * f * (1 - f)
                dz[k + 2 * h + j] = dcNew * i * (1 - gg * gg)
                dz[k + 3 * h + j] = dhNew * tv * og * (1 - og)
                if let g = e.gates.map({ $0 + k }) {
                    dz[k + j] += g[j] * (i * (1 - i))
                    dz[k + h + j] += g[h + j] * (f * (1 - f))
                    dz[k + 2 * h + j] += g[2 * h + j] * (1 - gg * gg)
                    dz[k + 3 * h + j] += g[3 * h + j] * (og * (1 - og))
                }
                dc[o + j] = dct * keep + dcNew * f + (e.cPrev?[o + j] ?? 0)
                dh[o + j] = dht * keep
            }
        }
    }

    /// One step of the vector–Jacobian product of `backward` (run forward in time): given the
    /// adjoint of the step's gate gradients `aDz` [n, 4h] (the incoming one plus what dh_{t−1}
    /// handed back through W), the state gradients that entered the step, and in `aDh`, `aDc`
    /// the adjoints of what it passed on, writes the adjoints of its gates [n, 4h], of tanh c̃
    /// and of the previous cell [n, h], the adjoint of the incoming gradient (also left in
    /// `aDh`), and in `aDc` that of the entering dc.
    static func adjoint<T: TensorScalar>(
        _ act: UnsafePointer<T>, _ tanhC: UnsafePointer<T>, _ cPrev: UnsafePointer<T>, _ masks: UnsafePointer<T>?,
        entering: (dh: UnsafePointer<T>, dc: UnsafePointer<T>), _ aDz: UnsafePointer<T>,
        _ aDh: UnsafeMutablePointer<T>, _ aDc: UnsafeMutablePointer<T>,
        out: (gates: UnsafeMutablePointer<T>, tanhC: UnsafeMutablePointer<T>, cPrev: UnsafeMutablePointer<T>),
        n: Int, h: Int
    ) {
        for r in 0..<n {
            let (o, k) = (r * h, r * 4 * h)
            let m: T = masks?[r] ?? 1
            let keep = 1 - m
            for j in 0..<h {
                let (i, f, g, og) = (act[k + j], act[k + h + j], act[k + 2 * h + j], act[k + 3 * h + j])
                let (tv, cp) = (tanhC[o + j], cPrev[o + j])
                let (dht, dct) = (entering.dh[o + j], entering.dc[o + j])
                let (dhNew, dcHeld) = (dht * m, dct * m)
                let dcNew = dcHeld + dhNew * og * (1 - tv * tv)
                let (zi, zf, zg, zo) = (aDz[k + j], aDz[k + h + j], aDz[k + 2 * h + j], aDz[k + 3 * h + j])
                let (aDhOut, aDcOut) = (aDh[o + j], aDc[o + j])
                // dc_{t−1} = (1 − m)·dc + dc̃·f and dh_{t−1} = (1 − m)·dh + dz W (W's part is the caller's).
                var (aDht, aDct) = (keep * aDhOut, keep * aDcOut)
                var aDcNew = f * aDcOut
                var fBar = dcNew * aDcOut
                // dz_o = dh̃·tanh c̃·o(1 − o)
                let so = og * (1 - og)
                var aDhNew = zo * tv * so
                var tBar = zo * dhNew * so
                var oBar = zo * dhNew * tv * (1 - 2 * og)
                // dz_g = dc̃·i·(1 − g²)
                aDcNew += zg * i * (1 - g * g)
                var iBar = zg * dcNew * (1 - g * g)
                var gBar = zg * dcNew * i * (-2 * g)
                // dz_f = dc̃·c_{t−1}·f(1 − f)
                let sf = f * (1 - f)
                aDcNew += zf * cp * sf
                let cBar = zf * dcNew * sf
                fBar += zf * dcNew * cp * (1 - 2 * f)
                // dz_i = dc̃·g·i(1 − i)
                let si = i * (1 - i)
                aDcNew += zi * g * si
                gBar += zi * dcNew * si
                iBar += zi * dcNew * g * (1 - 2 * i)
                // dc̃ = m·dc + m·dh·o(1 − tanh²c̃)
                aDhNew += aDcNew * og * (1 - tv * tv)
                oBar += aDcNew * dhNew * (1 - tv * tv)
                tBar += aDcNew * dhNew * og * (-2 * tv)
                aDht += m * aDhNew
                aDct += m * aDcNew
                (out.gates[k + j], out.gates[k + h + j], out.gates[k + 2 * h + j]) = (iBar, fBar, gBar)
                out.gates[k + 3 * h + j] = oBar
                (out.tanhC[o + j], out.cPrev[o + j]) = (tBar, cBar)
                (aDh[o + j], aDc[o + j]) = (aDht, aDct)
            }
        }
    }

    private static func float<T>(_ p: UnsafePointer<T>) -> UnsafePointer<Float> {
        UnsafeRawPointer(p).assumingMemoryBound(to: Float.self)
    }

    private static func float<T>(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
    }
}
