import TensorCore
import Testing

/// Shape mismatches are programmer errors: the process stops with a message naming the op
/// and the shapes. Each case runs in a child process.
@Test func mismatchedMatmulStopsTheProcess() async {
    await #expect(processExitsWith: .failure) {
        _ = Tensor.zeros([2, 3]).matmul(Tensor.zeros([4, 5]))
    }
}

@Test func nonBroadcastableShapesStopTheProcess() async {
    await #expect(processExitsWith: .failure) {
        _ = Tensor.zeros([2, 3]) + Tensor.zeros([4])
    }
}
