import CTensorSupport

/// Which part of its input a slice is: `range` along `axis`.
struct SlicePlacement {
    let axis: Int
    let range: Range<Int>
}

/// The gradients of the slices of each tensor, collected during a backward pass and
/// assembled into that tensor's gradient once, when the pass reaches it.
///
/// A slice's own adjoint is its gradient zero-padded to the whole input. Added up slice by
/// slice, reading a tensor of L positions one position at a time (a recurrent layer over
/// its input) costs L whole-size copies and additions: quadratic in L. Assembled here, the
/// slices' gradients are put side by side with one `concat` (zeros between them), and
/// slices that overlap are summed: linear in L. `concat` is differentiable, so this also
/// holds when the backward pass is recorded.
struct SliceAdjoints {
    private struct Piece {
        let placement: SlicePlacement
        let grad: Tensor
    }
    private var pending: [ObjectIdentifier: (source: Tensor, pieces: [Piece], order: Int32)] = [:]

    /// Files the gradient of a slice of `source`.
    mutating func add(_ grad: Tensor, at placement: SlicePlacement, of source: Tensor) {
        let id = ObjectIdentifier(source)
        let order = td_derivative_order() + 1
        pending[id, default: (source, [], order)].pieces.append(Piece(placement: placement, grad: grad))
    }

    /// Adds the assembled gradient of `tensor`'s slices, if any, to `grads[tensor]`.
    mutating func assemble(into grads: inout [ObjectIdentifier: Tensor], for tensor: Tensor) {
        let id = ObjectIdentifier(tensor)
        guard let entry = pending.removeValue(forKey: id) else { return }
        let outer = td_derivative_order()
        td_set_derivative_order(entry.order)
        defer { td_set_derivative_order(outer) }
        var byAxis: [Int: [Piece]] = [:]
        for piece in entry.pieces { byAxis[piece.placement.axis, default: []].append(piece) }
        for axis in byAxis.keys.sorted() {
            let g = Self.assembled(byAxis[axis] ?? [], axis: axis, of: entry.source)
            grads[id] = grads[id].map { $0 + g } ?? g
        }
    }

    /// Pieces along one axis: laid side by side when they do not overlap, else summed.
    private static func assembled(_ pieces: [Piece], axis: Int, of source: Tensor) -> Tensor {
        let sorted = pieces.sorted { $0.placement.range.lowerBound < $1.placement.range.lowerBound }
        let length = source.shape[axis]
        let disjoint = zip(sorted, sorted.dropFirst()).allSatisfy {
            $0.placement.range.upperBound <= $1.placement.range.lowerBound
        }
        guard disjoint else {
            let padded = sorted.map { p in
                p.grad.padded(
                    axis: axis, before: p.placement.range.lowerBound, after: length - p.placement.range.upperBound)
            }
            return padded.dropFirst().reduce(padded[0], +)
        }
        var parts: [Tensor] = []
        var cursor = 0
        func gap(_ count: Int) {
            var shape = source.shape
            shape[axis] = count
            parts.append(Tensor.zeros(shape, dtype: source.dtype))
        }
        for piece in sorted {
            if piece.placement.range.lowerBound > cursor { gap(piece.placement.range.lowerBound - cursor) }
            parts.append(piece.grad)
            cursor = piece.placement.range.upperBound
        }
        if cursor < length { gap(length - cursor) }
        return parts.count == 1 ? parts[0] : Tensor.concat(parts, axis: axis)
    }
}
