/// The LSTM cell as two fused ops on the gate pre-activations z [N, 4H] (PyTorch's gate order
/// i, f, g, o):
///
///     c' = σ(z_i) ⊙ tanh(z_g) + σ(z_f) ⊙ c        lstmMemory(z, c)
///     h' = σ(z_o) ⊙ tanh(c')                      lstmOutput(z, c')
///
/// Written as separate elementwise ops, one step of a Bi-LSTM over 1,024 texts records a dozen
/// [N, H] temporaries and four slices of z, whose adjoints are zero-padded [N, 4H] copies. The
/// fused forms keep only z, c and the output.
///
/// Their backward rules come in two forms that compute the same values: when the backward
/// pass is itself recorded (`createGraph: true`, the inner steps of distillation), the
/// gradient ops of LSTMCellGradients.swift, themselves differentiable, so gradients of
/// gradients are exact; otherwise a fused kernel, which is what the large outer-batch
/// backward pass runs. Both are checked against finite
/// differences, and against each other.
extension Tensor {
    /// - Parameter c: the previous cell [N, H].
    /// - Returns: the new cell c′ [N, H].
    public func lstmMemory(previous c: Tensor) -> Tensor {
        let (n, h) = lstmShapes("lstmMemory", c)
        let out = Tensor.uninitialized([n, h], dtype)
        func run<T: TensorScalar>(_: T.Type) {
            let act = UnsafeMutablePointer<T>.allocate(capacity: n * 4 * h)
            defer { act.deallocate() }
            lstmActivations(pointer(T.self), act, n: n, h: h)
            let (cp, y) = (c.pointer(T.self), out.pointer(T.self))
            for r in 0..<n {
                let a = act + r * 4 * h
                for j in 0..<h { y[r * h + j] = a[j] * a[2 * h + j] + a[h + j] * cp[r * h + j] }
            }
        }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        return Tensor.record("lstmMemory", out, [self, c]) { ctx in
            let (z, c, g) = (ctx.inputs[0], ctx.inputs[1], ctx.grad)
            if GradMode.isEnabled {  // recorded: the gradient as ops of its own (LSTMCellGradients.swift)
                return [
                    ctx.needsGrad[0] ? z.lstmMemoryGradient(cell: c, incoming: g) : nil,
                    ctx.needsGrad[1] ? g * z.slice(axis: 1, h..<(2 * h)).sigmoid() : nil,
                ]
            }
            let dz = Tensor.uninitialized([n, 4 * h], z.dtype)
            let dc = Tensor.uninitialized([n, h], z.dtype)
            func back<T: TensorScalar>(_: T.Type) {
                let act = UnsafeMutablePointer<T>.allocate(capacity: n * 4 * h)
                defer { act.deallocate() }
                lstmActivations(z.pointer(T.self), act, n: n, h: h)
                let (gp, cp, dzp, dcp) = (g.pointer(T.self), c.pointer(T.self), dz.pointer(T.self), dc.pointer(T.self))
                for r in 0..<n {
                    let a = act + r * 4 * h
                    let d = dzp + r * 4 * h
                    for j in 0..<h {
                        let (gv, i, f, gg) = (gp[r * h + j], a[j], a[h + j], a[2 * h + j])
                        d[j] = gv * gg * i * (1 - i)
                        d[h + j] = gv * cp[r * h + j] * f * (1 - f)
                        d[2 * h + j] = gv * i * (1 - gg * gg)
                        d[3 * h + j] = 0
                        dcp[r * h + j] = gv * f
                    }
                }
            }
            if z.dtype == .float32 { back(Float.self) } else { back(Double.self) }
            return [ctx.needsGrad[0] ? dz : nil, ctx.needsGrad[1] ? dc : nil]
        }
    }

    /// - Parameter c: the new cell c′ [N, H].
    /// - Returns: the output h′ [N, H].
    public func lstmOutput(memory c: Tensor) -> Tensor {
        let (n, h) = lstmShapes("lstmOutput", c)
        let out = Tensor.uninitialized([n, h], dtype)
        func run<T: TensorScalar>(_: T.Type) {
            let act = UnsafeMutablePointer<T>.allocate(capacity: n * 4 * h)
            let t = UnsafeMutablePointer<T>.allocate(capacity: n * h)
            defer {
                act.deallocate()
                t.deallocate()
            }
            lstmActivations(pointer(T.self), act, n: n, h: h)
            applyUnary(.tanh, c.pointer(T.self), t, n * h)
            let y = out.pointer(T.self)
            for r in 0..<n {
                for j in 0..<h { y[r * h + j] = act[r * 4 * h + 3 * h + j] * t[r * h + j] }
            }
        }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        return Tensor.record("lstmOutput", out, [self, c]) { ctx in
            let (z, c, g) = (ctx.inputs[0], ctx.inputs[1], ctx.grad)
            if GradMode.isEnabled {  // recorded: the gradient as ops of its own (LSTMCellGradients.swift)
                return [
                    ctx.needsGrad[0] ? z.lstmOutputGradient(cell: c, incoming: g) : nil,
                    ctx.needsGrad[1] ? z.lstmOutputCellGradient(cell: c, incoming: g) : nil,
                ]
            }
            let dz = Tensor.uninitialized([n, 4 * h], z.dtype)
            let dc = Tensor.uninitialized([n, h], z.dtype)
            func back<T: TensorScalar>(_: T.Type) {
                let act = UnsafeMutablePointer<T>.allocate(capacity: n * 4 * h)
                let t = UnsafeMutablePointer<T>.allocate(capacity: n * h)
                defer {
                    act.deallocate()
                    t.deallocate()
                }
                lstmActivations(z.pointer(T.self), act, n: n, h: h)
                applyUnary(.tanh, c.pointer(T.self), t, n * h)
                let (gp, dzp, dcp) = (g.pointer(T.self), dz.pointer(T.self), dc.pointer(T.self))
                for r in 0..<n {
                    let d = dzp + r * 4 * h
                    d.update(repeating: 0, count: 3 * h)
                    for j in 0..<h {
                        let (gv, o, tv) = (gp[r * h + j], act[r * 4 * h + 3 * h + j], t[r * h + j])
                        d[3 * h + j] = gv * tv * o * (1 - o)
                        dcp[r * h + j] = gv * o * (1 - tv * tv)
                    }
                }
            }
            if z.dtype == .float32 { back(Float.self) } else { back(Double.self) }
            return [ctx.needsGrad[0] ? dz : nil, ctx.needsGrad[1] ? dc : nil]
        }
    }

    private func lstmShapes(_ op: String, _ c: Tensor) -> (Int, Int) {
        precondition(
            rank == 2 && shape[1] % 4 == 0 && c.shape == [shape[0], shape[1] / 4] && c.dtype == dtype,
            "\(op): gates \(shape) and cell \(c.shape) should be [N, 4H] and [N, H] of one dtype")
        return (shape[0], shape[1] / 4)
    }
}

/// σ of the i, f, o blocks and tanh of the g block of every row of z [N, 4H] (vectorised
/// kernels for Float).
func lstmActivations<T: TensorScalar>(_ z: UnsafePointer<T>, _ act: UnsafeMutablePointer<T>, n: Int, h: Int) {
    for r in 0..<n {
        let (src, dst) = (z + r * 4 * h, act + r * 4 * h)
        applyUnary(.sigmoid, src, dst, 2 * h)
        applyUnary(.tanh, src + 2 * h, dst + 2 * h, h)
        applyUnary(.sigmoid, src + 3 * h, dst + 3 * h, h)
    }
}
