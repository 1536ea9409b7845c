import TensorCore

/// A (bidirectional, multi-layer) recurrent sentence classifier: Elman RNN (tanh), LSTM or
/// GRU layers, then a linear layer on the final hidden states of the last layer's directions,
/// concatenated (forward, backward), as the reference's `torch.cat([h[-2], h[-1]])`.
///
/// Cells and parameters follow PyTorch's `nn.RNN`/`nn.LSTM`/`nn.GRU` exactly, so weights can be
/// exchanged: per layer l and direction (suffix "" or "_reverse"), `rnn.weight_ih_l{l}`
/// [G·H, in], `rnn.weight_hh_l{l}` [G·H, H], `rnn.bias_ih_l{l}` [G·H], `rnn.bias_hh_l{l}`
/// [G·H], with gates stacked in PyTorch's order: LSTM (i, f, g, o), G = 4; GRU (r, z, n),
/// G = 3, n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)); RNN G = 1. Then `fc.weight`,
/// `fc.bias`.
///
/// Lengths: by default a text's padding never changes its result. Each direction's state is
/// held where position t ≥ length, which gives exactly PyTorch's `pack_padded_sequence`
/// final states. With `respectLengths: false`, or no lengths (distilled inputs), every
/// position is read, as the reference does.
public struct RecurrentClassifier: Model {
    public enum Cell: String, Sendable, CaseIterable { case rnn, lstm, gru }

    public let cell: Cell
    public let embeddingDimension: Int
    public let hidden: Int
    public let layers: Int
    public let bidirectional: Bool
    public let respectLengths: Bool
    public let outputCount: Int

    public init(
        cell: Cell, embeddingDimension: Int, classes: Int, hidden: Int = 100, layers: Int = 2,
        bidirectional: Bool = true, respectLengths: Bool = true
    ) {
        precondition(
            embeddingDimension > 0 && classes >= 2 && hidden > 0 && layers > 0,
            "RecurrentClassifier: invalid hyperparameters")
        self.cell = cell
        self.embeddingDimension = embeddingDimension
        self.hidden = hidden
        self.layers = layers
        self.bidirectional = bidirectional
        self.respectLengths = respectLengths
        self.outputCount = classes == 2 ? 1 : classes
    }

    public var name: String { (bidirectional ? "bi" : "") + cell.rawValue }
    private var gates: Int {
        switch cell {
        case .rnn: return 1
        case .lstm: return 4
        case .gru: return 3
        }
    }
    private var directions: Int { bidirectional ? 2 : 1 }

    public var parameterSpecs: [ParameterSpec] {
        var specs: [ParameterSpec] = []
        for l in 0..<layers {
            let input = l == 0 ? embeddingDimension : directions * hidden
            for suffix in ["", "_reverse"].prefix(directions) {
                specs += [
                    ParameterSpec("rnn.weight_ih_l\(l)\(suffix)", [gates * hidden, input]),
                    ParameterSpec("rnn.weight_hh_l\(l)\(suffix)", [gates * hidden, hidden]),
                    ParameterSpec("rnn.bias_ih_l\(l)\(suffix)", [gates * hidden]),
                    ParameterSpec("rnn.bias_hh_l\(l)\(suffix)", [gates * hidden]),
                ]
            }
        }
        return specs + [
            ParameterSpec("fc.weight", [outputCount, directions * hidden]), ParameterSpec("fc.bias", [outputCount]),
        ]
    }

    public func forward(_ w: [Tensor], _ input: Tensor, lengths: [Int]?, context: inout ForwardContext) -> Tensor {
        precondition(
            input.rank == 3 && input.shape[2] == embeddingDimension && input.shape[1] > 0,
            "\(name): input \(input.shape) should be [N, L, \(embeddingDimension)]")
        let (n, l, d) = (input.shape[0], input.shape[1], input.shape[2])
        // Masks [L, N, 1]: 1 where the position is inside the text.
        var masks: Tensor? = nil
        var (texts, restore): (Tensor, [Int32]?) = (input, nil)
        var packed: [Int32]? = nil
        if respectLengths, var lengths {
            precondition(lengths.count == n, "\(name): \(lengths.count) lengths for \(n) texts")
            // LSTM layers compute only the texts not yet ended at each position when the
            // longest come first (`lstmSequence`): sort them, and the logits back.
            if cell == .lstm, zip(lengths, lengths.dropFirst()).contains(where: { $0 < $1 }) {
                let order = (0..<n).sorted { lengths[$0] != lengths[$1] ? lengths[$0] > lengths[$1] : $0 < $1 }
                texts = input.reshaped([n, l * d]).gather(rows: order.map(Int32.init)).reshaped([n, l, d])
                var inverse = [Int32](repeating: 0, count: n)
                for (sorted, text) in order.enumerated() { inverse[text] = Int32(sorted) }
                (lengths, restore) = (order.map { lengths[$0] }, inverse)
            }
            masks = Tensor(
                (0..<l).flatMap { t in lengths.map { t < $0 ? 1.0 : 0.0 } }, shape: [l, n, 1], dtype: input.dtype)
            if cell == .lstm {
                // Sorted: the rows [L·N] inside their text, position by position, when some are not.
                let inside = (0..<l).flatMap { t in (0..<n).filter { lengths[$0] > t }.map { Int32(t * n + $0) } }
                if inside.count < l * n { packed = inside }
            }
        }
        // The sequence as one [L, N, features] block, position-major: each layer's input
        // projection is one product over all positions, and reading it position by position
        // is a slice whose gradients the autodiff assembles once (TensorCore's SliceAdjoints).
        var sequence = texts.permuted([1, 0, 2])
        var finals: [Tensor] = []
        for layer in 0..<layers {
            var outputs: [Tensor] = []
            finals = []
            for direction in 0..<directions {
                let k = 4 * (layer * directions + direction)
                let states = run(
                    w[k], w[k + 1], w[k + 2], w[k + 3], sequence, reverse: direction == 1, masks: masks,
                    packed: packed)
                outputs.append(states)
                // The final state: after the last position read (the first, in reverse).
                finals.append(states.slice(axis: 0, direction == 1 ? 0..<1 : (l - 1)..<l).reshaped([n, hidden]))
            }
            sequence = directions == 1 ? outputs[0] : Tensor.concat(outputs, axis: 2)
        }
        let fc = 4 * layers * directions
        let logits = Tensor.concat(finals, axis: 1).linear(weight: w[fc], bias: w[fc + 1])
        return restore.map { logits.gather(rows: $0) } ?? logits
    }

    /// One layer in one direction: the state at every position, [L, N, H]. `packed`: for an
    /// LSTM over texts sorted longest first, the rows of [L·N] inside their text.
    private func run(
        _ wIH: Tensor, _ wHH: Tensor, _ bIH: Tensor, _ bHH: Tensor, _ sequence: Tensor,
        reverse: Bool, masks: Tensor?, packed: [Int32]?
    ) -> Tensor {
        let h = hidden
        let (l, n, features) = (sequence.shape[0], sequence.shape[1], sequence.shape[2])
        // All positions' input terms in one product (measured faster than one product per gate).
        if cell == .lstm {
            // Both biases added once, and the whole recurrence as one op (TensorCore/Ops/LSTMSequence.swift).
            let rows = sequence.reshaped([l * n, features])
            var inputTerms: Tensor
            if let packed {
                // Only the rows inside their text, as PyTorch's packed sequences: the others'
                // terms are zero, which the recurrence never reads (their masks are 0).
                inputTerms = rows.gather(rows: packed).linear(weight: wIH, bias: bIH + bHH)
                    .scatterAdd(rows: packed, count: l * n)
            } else {
                inputTerms = rows.linear(weight: wIH, bias: bIH + bHH)
            }
            return inputTerms.reshaped([l, n, 4 * h]).lstmSequence(recurrent: wHH, masks: masks, reverse: reverse)
        }
        let projected = sequence.reshaped([l * n, features]).linear(weight: wIH, bias: bIH)
        let inputs = projected.reshaped([l, n, gates * h])
        var state = Tensor.zeros([n, h], dtype: sequence.dtype)
        var states = [Tensor?](repeating: nil, count: l)
        for t in reverse ? Array((0..<l).reversed()) : Array(0..<l) {
            let x = inputs.slice(axis: 0, t..<(t + 1)).reshaped([n, gates * h])
            let r = state.linear(weight: wHH, bias: bHH)
            var next: Tensor
            if cell == .gru {
                let reset = (x.slice(axis: 1, 0..<h) + r.slice(axis: 1, 0..<h)).sigmoid()
                let update = (x.slice(axis: 1, h..<(2 * h)) + r.slice(axis: 1, h..<(2 * h))).sigmoid()
                let candidate = (x.slice(axis: 1, (2 * h)..<(3 * h)) + reset * r.slice(axis: 1, (2 * h)..<(3 * h)))
                    .tanh()
                next = candidate + update * (state - candidate)  // (1 − z)·n + z·h
            } else {
                next = (x + r).tanh()
            }
            if let masks {
                let m = masks.slice(axis: 0, t..<(t + 1)).reshaped([n, 1])
                next = state + m * (next - state)
            }
            state = next
            states[t] = state
        }
        return Tensor.stack(states.compactMap { $0 })
    }
}
