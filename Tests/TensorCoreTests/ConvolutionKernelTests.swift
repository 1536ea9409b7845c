import Testing

@testable import TensorCore

/// The float32 direct convolution kernels (`direct_conv.c`, LeNet's layers) against the
/// composed convolution (receptive fields and a product) in Double: values, the weight
/// gradient and the input gradient, over shapes that take every path of the kernels (several
/// 16-column segments, a filter count that is not a multiple of the block of 6, more than one
/// channel, padding, a kernel other than 5 × 5, more images than a chunk holds; and filters in
/// the lanes: sixteens of filters on rows that are not whole segments, in one or several blocks
/// of positions and of taps).
@Test(arguments: [
    ([23, 1, 28, 28], [6, 1, 5, 5], (2, 2)),  // LeNet's first layer on MNIST
    ([9, 6, 14, 14], [16, 6, 5, 5], (0, 0)),  // its second: filters in the lanes, taps 13 + 12
    ([3, 3, 20, 37], [7, 3, 3, 4], (1, 2)),  // three segments, a partial filter block
    ([2, 2, 9, 9], [5, 2, 5, 5], (4, 4)),  // the most padding the kernel allows
    ([3, 3, 12, 12], [32, 3, 3, 3], (1, 1)),  // two sixteens of filters, one block of 9 taps
    ([2, 2, 9, 31], [16, 2, 3, 4], (0, 1)),  // rows of 30: positions in blocks of 10
])
func directConvolutionMatchesTheComposedOne(_ x: [Int], _ w: [Int], _ padding: (Int, Int)) {
    var rng = RandomGenerator(seed: 47)
    let xd = Tensor.randomNormal(x, dtype: .float64, using: &rng)
    let wd = Tensor.randomNormal(w, dtype: .float64, using: &rng)
    let (xf, wf) = (xd.converted(to: .float32).requiringGrad(), wd.converted(to: .float32).requiringGrad())
    let (xr, wr) = (
        xd.converted(to: .float32).converted(to: .float64), wd.converted(to: .float32).converted(to: .float64)
    )
    let plan = ConvChunks(
        geometry: xf.convGeometry("test", kernel: (w[2], w[3]), stride: (1, 1), padding: padding), filters: w[0])
    #expect(plan.isDirect(Float.self) && !plan.isDirect(Double.self))
    let direct = xf.conv2d(weight: wf, padding: padding)
    let (xq, wq) = (xr.requiringGrad(), wr.requiringGrad())
    let reference = xq.conv2d(weight: wq, padding: padding)
    #expect(GradientCheck.relativeError(direct.doubles, reference.doubles) < 1e-5)
    let seed = Tensor.randomNormal(direct.shape, dtype: .float64, using: &rng)
    let got = gradients(of: (direct * seed.converted(to: .float32)).sum(), withRespectTo: [xf, wf])
    let want = gradients(
        of: (reference * seed.converted(to: .float32).converted(to: .float64)).sum(), withRespectTo: [xq, wq])
    for i in 0..<2 { #expect(GradientCheck.relativeError(got[i].doubles, want[i].doubles) < 1e-5, "input \(i)") }
}

/// The convolution pooled as one op equals `conv2d` then `maxPool2d` (values, and gradients of
/// both inputs, fused and recorded backward) in Double, where it runs the products, and in
/// float32, where LeNet runs the direct kernels; windows of 2 × 2 and 3 × 2, with rows and
/// columns left over.
@Test(arguments: [(2, 2), (3, 2)])
func pooledConvolutionMatchesConvolutionThenPooling(_ pool: (Int, Int)) {
    var rng = RandomGenerator(seed: 53)
    let buffers = MemoryStats.threadNetBuffers
    defer { #expect(MemoryStats.threadNetBuffers == buffers, "the graphs return all of their memory") }
    for dtype in [DType.float64, .float32] {
        let x = Tensor.randomNormal([25, 2, 13, 15], dtype: dtype, using: &rng).requiringGrad()
        let w = Tensor.randomNormal([7, 2, 3, 3], dtype: dtype, using: &rng).requiringGrad()
        let fused = x.conv2dMaxPooled(weight: w, padding: (1, 0), pool: pool)
        let composed = x.conv2d(weight: w, padding: (1, 0)).maxPool2d(kernel: pool)
        #expect(fused.shape == composed.shape)
        #expect(fused.doubles == composed.doubles, "\(dtype): the same products and the same maxima")
        let seed = Tensor.randomNormal(fused.shape, dtype: dtype, using: &rng)
        let plain = gradients(of: (fused * seed).sum(), withRespectTo: [x, w])
        let recorded = gradients(of: (fused * seed).sum(), withRespectTo: [x, w], createGraph: true)
        let reference = gradients(of: (composed * seed).sum(), withRespectTo: [x, w])
        let tolerance = dtype == .float64 ? 1e-13 : 1e-5
        for i in 0..<2 {
            #expect(GradientCheck.relativeError(plain[i].doubles, reference[i].doubles) < tolerance, "\(dtype) \(i)")
            #expect(GradientCheck.relativeError(recorded[i].doubles, reference[i].doubles) < tolerance, "\(dtype) \(i)")
        }
    }
}
