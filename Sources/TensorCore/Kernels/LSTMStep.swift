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

    /// One step back: dh += the incoming gradient of h_t; then the gate gradients dz [n, 4h],
    /// and in dh and dc what passes to the step before (the recurrent product is the caller's).
    static func backward<T: TensorScalar>(
        _ grad: UnsafePointer<T>, _ act: UnsafePointer<T>, _ tanhC: UnsafePointer<T>, _ cPrev: UnsafePointer<T>,
        _ masks: UnsafePointer<T>?, _ dh: UnsafeMutablePointer<T>, _ dc: UnsafeMutablePointer<T>,
        _ dz: UnsafeMutablePointer<T>, n: Int, h: Int
    ) {
        if T.self == Float.self {
            td_lstm_backward_step_f32(
                float(grad), float(act), float(tanhC), float(cPrev), masks.map(float), float(dh), float(dc), float(dz),
                Int64(n), Int64(h))
            return
        }
        for r in 0..<n {
            let (o, k) = (r * h, r * 4 * h)
            // h_t = h_{t−1} + m (h̃ − h_{t−1}): h̃ gets m·dh, h_{t−1} keeps (1 − m)·dh; c alike.
            // Without masks m = 1, which gives exactly dh and 0.
            let m: T = masks?[r] ?? 1
            let keep = 1 - m
            for j in 0..<h {
                let (dht, dct) = (dh[o + j] + grad[o + j], dc[o + j])
                let (dhNew, dcHeld) = (dht * m, dct * m)
                let (i, f, gg, og) = (act[k + j], act[k + h + j], act[k + 2 * h + j], act[k + 3 * h + j])
                let tv = tanhC[o + j]
                let dcNew = dcHeld + dhNew * og * (1 - tv * tv)
                dz[k + j] = dcNew * gg * i * (1 - i)
                dz[k + h + j] = dcNew * cPrev[o + j] * f * (1 - f)
                dz[k + 2 * h + j] = dcNew * i * (1 - gg * gg)
                dz[k + 3 * h + j] = dhNew * tv * og * (1 - og)
                dc[o + j] = dct * keep + dcNew * f
                dh[o + j] = dht * keep
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
