import TensorCore

/// CIFAR-style augmentation of a training batch [N, C, H, W]: each image is padded by
/// `padding` pixels with reflection, cropped back to H×W at a random offset, and flipped
/// horizontally with probability 1/2. Deterministic for a generator state.
public enum Augmentation {
    public static func cropAndFlip(_ batch: Tensor, padding: Int = 4, using rng: inout RandomGenerator) -> Tensor {
        precondition(
            batch.rank == 4 && padding >= 0 && padding < batch.shape[2] && padding < batch.shape[3],
            "Augmentation: batch \(batch.shape), padding \(padding)")
        let (n, c, h, w) = (batch.shape[0], batch.shape[1], batch.shape[2], batch.shape[3])
        let x = batch.floats
        var out = [Float](repeating: 0, count: x.count)
        func reflect(_ i: Int, _ size: Int) -> Int { i < 0 ? -i : (i >= size ? 2 * size - 2 - i : i) }
        for image in 0..<n {
            let dy = rng.below(2 * padding + 1) - padding
            let dx = rng.below(2 * padding + 1) - padding
            let flip = rng.below(2) == 1
            for ch in 0..<c {
                let base = (image * c + ch) * h * w
                for y in 0..<h {
                    let sy = reflect(y + dy, h)
                    for xx in 0..<w {
                        let sx = reflect((flip ? w - 1 - xx : xx) + dx, w)
                        out[base + y * w + xx] = x[base + sy * w + sx]
                    }
                }
            }
        }
        return Tensor(out, shape: batch.shape).converted(to: batch.dtype)
    }
}
