/// The gradients of the fused LSTM cell (LSTMCell.swift) as ops of their own, for the
/// recorded backward pass of the inner steps of distillation: a gradient that is itself
/// differentiated. With i = σ(z_i), f = σ(z_f), t = tanh(z_g), o = σ(z_o), τ = tanh(c) and g
/// the incoming gradient:
///
///     lstmMemoryGradient   dz = [g·t·i(1−i), g·c·f(1−f), g·i(1−t²), 0]   (of c′ = i·t + f·c)
///     lstmOutputGradient   dz = [0, 0, 0, g·τ·o(1−o)]                     (of h′ = o·τ)
///     lstmOutputCellGradient  dc = g·o·(1−τ²)
///
/// Written with separate ops, each is a dozen [N, H] temporaries and slices, and the outer
/// backward pass then differentiates every one of them. As ops, each is one forward kernel and
/// one backward kernel (the second derivatives of σ and tanh: σ″ = σ′(1−2σ), tanh″ = −2t(1−t²)).
/// When their own backward is recorded (a third derivative), they replay the composition.
/// All three are checked against finite differences to second order.
extension Tensor {
    /// - Parameters:
    ///   - c: the previous cell [N, H].
    ///   - g: the gradient flowing into the new cell [N, H].
    /// - Returns: d(c′)/dz applied to g, [N, 4H] (the output gate's block is 0).
    public func lstmMemoryGradient(cell c: Tensor, incoming g: Tensor) -> Tensor {
        let (n, h) = cellGradientShapes("lstmMemoryGradient", c, g)
        let out = Tensor.uninitialized([n, 4 * h], dtype)
        func run<T: TensorScalar>(_: T.Type) {
            cellKernel(T.self, self, n, h) { a, r, j in
                let (gv, cv) = (g.pointer(T.self)[r * h + j], c.pointer(T.self)[r * h + j])
                let (i, f, t) = (a[j], a[h + j], a[2 * h + j])
                let y = out.pointer(T.self) + r * 4 * h
                (y[j], y[h + j], y[2 * h + j], y[3 * h + j]) = (
                    gv * t * i * (1 - i), gv * cv * f * (1 - f), gv * i * (1 - t * t), 0
                )
            }
        }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        return Tensor.record("lstmMemoryGradient", out, [self, c, g]) { ctx in
            let (z, c, g, u) = (ctx.inputs[0], ctx.inputs[1], ctx.inputs[2], ctx.grad)
            if GradMode.isEnabled {
                return ctx.replaying { zcg in
                    let (z, c, g) = (zcg[0], zcg[1], zcg[2])
                    let i = z.slice(axis: 1, 0..<h).sigmoid()
                    let f = z.slice(axis: 1, h..<(2 * h)).sigmoid()
                    let t = z.slice(axis: 1, (2 * h)..<(3 * h)).tanh()
                    return Tensor.concat(
                        [g * t * i * (1 - i), g * c * f * (1 - f), g * i * (1 - t.squared()), g.zerosLike()], axis: 1)
                }
            }
            let (dz, dc, dg) = (z.zerosLike(), c.zerosLike(), g.zerosLike())
            func back<T: TensorScalar>(_: T.Type) {
                cellKernel(T.self, z, n, h) { a, r, j in
                    let k = r * h + j
                    let (gv, cv) = (g.pointer(T.self)[k], c.pointer(T.self)[k])
                    let ub = u.pointer(T.self) + r * 4 * h
                    let (ui, uf, ug) = (ub[j], ub[h + j], ub[2 * h + j])
                    let (i, f, t) = (a[j], a[h + j], a[2 * h + j])
                    let (si, sf, st) = (i * (1 - i), f * (1 - f), 1 - t * t)
                    dg.pointer(T.self)[k] = ui * t * si + uf * cv * sf + ug * i * st
                    dc.pointer(T.self)[k] = uf * gv * sf
                    let d = dz.pointer(T.self) + r * 4 * h
                    d[j] = ui * gv * t * si * (1 - 2 * i) + ug * gv * st * si
                    d[h + j] = uf * gv * cv * sf * (1 - 2 * f)
                    d[2 * h + j] = ui * gv * si * st - ug * gv * i * 2 * t * st
                }
            }
            if z.dtype == .float32 { back(Float.self) } else { back(Double.self) }
            return [ctx.needsGrad[0] ? dz : nil, ctx.needsGrad[1] ? dc : nil, ctx.needsGrad[2] ? dg : nil]
        }
    }

    /// - Parameters:
    ///   - c: the new cell c′ [N, H].
    ///   - g: the gradient flowing into the output [N, H].
    /// - Returns: d(h′)/dz applied to g, [N, 4H] (only the output gate's block is not 0).
    public func lstmOutputGradient(cell c: Tensor, incoming g: Tensor) -> Tensor {
        let (n, h) = cellGradientShapes("lstmOutputGradient", c, g)
        let out = Tensor.zeros([n, 4 * h], dtype: dtype)
        func run<T: TensorScalar>(_: T.Type) {
            cellKernel(T.self, self, n, h) { a, r, j in
                let (gv, tc, o) = (g.pointer(T.self)[r * h + j], T.tanh(c.pointer(T.self)[r * h + j]), a[3 * h + j])
                out.pointer(T.self)[r * 4 * h + 3 * h + j] = gv * tc * o * (1 - o)
            }
        }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        return Tensor.record("lstmOutputGradient", out, [self, c, g]) { ctx in
            let (z, c, g, u) = (ctx.inputs[0], ctx.inputs[1], ctx.inputs[2], ctx.grad)
            if GradMode.isEnabled {
                return ctx.replaying { zcg in
                    let (z, c, g) = (zcg[0], zcg[1], zcg[2])
                    let o = z.slice(axis: 1, (3 * h)..<(4 * h)).sigmoid()
                    return Tensor.concat(
                        [Tensor.zeros([n, 3 * h], dtype: z.dtype), g * c.tanh() * o * (1 - o)], axis: 1)
                }
            }
            let (dz, dc, dg) = (z.zerosLike(), c.zerosLike(), g.zerosLike())
            func back<T: TensorScalar>(_: T.Type) {
                cellKernel(T.self, z, n, h) { a, r, j in
                    let k = r * h + j
                    let (gv, tc, o) = (g.pointer(T.self)[k], T.tanh(c.pointer(T.self)[k]), a[3 * h + j])
                    let uo = u.pointer(T.self)[r * 4 * h + 3 * h + j]
                    let so = o * (1 - o)
                    dg.pointer(T.self)[k] = uo * tc * so
                    dc.pointer(T.self)[k] = uo * gv * so * (1 - tc * tc)
                    dz.pointer(T.self)[r * 4 * h + 3 * h + j] = uo * gv * tc * so * (1 - 2 * o)
                }
            }
            if z.dtype == .float32 { back(Float.self) } else { back(Double.self) }
            return [ctx.needsGrad[0] ? dz : nil, ctx.needsGrad[1] ? dc : nil, ctx.needsGrad[2] ? dg : nil]
        }
    }

    /// - Parameters:
    ///   - c: the new cell c′ [N, H].
    ///   - g: the gradient flowing into the output [N, H].
    /// - Returns: d(h′)/dc′ applied to g, [N, H].
    public func lstmOutputCellGradient(cell c: Tensor, incoming g: Tensor) -> Tensor {
        let (n, h) = cellGradientShapes("lstmOutputCellGradient", c, g)
        let out = Tensor.uninitialized([n, h], dtype)
        func run<T: TensorScalar>(_: T.Type) {
            cellKernel(T.self, self, n, h) { a, r, j in
                let (gv, tc, o) = (g.pointer(T.self)[r * h + j], T.tanh(c.pointer(T.self)[r * h + j]), a[3 * h + j])
                out.pointer(T.self)[r * h + j] = gv * o * (1 - tc * tc)
            }
        }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        return Tensor.record("lstmOutputCellGradient", out, [self, c, g]) { ctx in
            let (z, c, g, u) = (ctx.inputs[0], ctx.inputs[1], ctx.inputs[2], ctx.grad)
            if GradMode.isEnabled {
                return ctx.replaying { zcg in
                    let (z, c, g) = (zcg[0], zcg[1], zcg[2])
                    return g * z.slice(axis: 1, (3 * h)..<(4 * h)).sigmoid() * (1 - c.tanh().squared())
                }
            }
            let (dz, dc, dg) = (z.zerosLike(), c.zerosLike(), g.zerosLike())
            func back<T: TensorScalar>(_: T.Type) {
                cellKernel(T.self, z, n, h) { a, r, j in
                    let k = r * h + j
                    let (gv, tc, o, w) = (
                        g.pointer(T.self)[k], T.tanh(c.pointer(T.self)[k]), a[3 * h + j], u.pointer(T.self)[k]
                    )
                    let st = 1 - tc * tc
                    dg.pointer(T.self)[k] = w * o * st
                    dc.pointer(T.self)[k] = -2 * w * gv * o * tc * st
                    dz.pointer(T.self)[r * 4 * h + 3 * h + j] = w * gv * o * (1 - o) * st
                }
            }
            if z.dtype == .float32 { back(Float.self) } else { back(Double.self) }
            return [ctx.needsGrad[0] ? dz : nil, ctx.needsGrad[1] ? dc : nil, ctx.needsGrad[2] ? dg : nil]
        }
    }

    private func cellGradientShapes(_ op: String, _ c: Tensor, _ g: Tensor) -> (Int, Int) {
        precondition(
            rank == 2 && shape[1] % 4 == 0 && c.shape == [shape[0], shape[1] / 4] && g.shape == c.shape
                && c.dtype == dtype && g.dtype == dtype,
            "\(op): gates \(shape), cell \(c.shape) and gradient \(g.shape) should be [N, 4H], [N, H], [N, H]")
        return (shape[0], shape[1] / 4)
    }
}

/// Calls `body(activations of row r, r, j)` for every row r and unit j of the gates z [N, 4H]
/// (σ of the i, f, o blocks, tanh of the g block, from `lstmActivations`).
private func cellKernel<T: TensorScalar>(
    _: T.Type, _ z: Tensor, _ n: Int, _ h: Int, _ body: (UnsafeMutablePointer<T>, Int, Int) -> Void
) {
    let act = UnsafeMutablePointer<T>.allocate(capacity: n * 4 * h)
    defer { act.deallocate() }
    lstmActivations(z.pointer(T.self), act, n: n, h: h)
    for r in 0..<n {
        for j in 0..<h { body(act + r * 4 * h, r, j) }
    }
}
