import Foundation
import Models
import TensorCore
import Testing

/// Models against PyTorch (float64 fixtures from Scripts/make-golden-models.py): logits and
/// the gradients of Σ logits·R w.r.t. the input and every parameter, relative error ≤ 1e-9.
struct Golden: CustomTestStringConvertible, Sendable {
    let file: String
    var testDescription: String { file }
}

private func model(_ file: String, _ config: [String: Any]) -> any Model {
    let classes = config["classes"] as! Int
    if file.hasPrefix("textcnn") {
        return TextCNN(
            embeddingDimension: config["dim"] as! Int, classes: classes, filters: config["filters"] as! Int,
            widths: config["widths"] as! [Int], dropout: 0.5)
    }
    if file == "lenet" { return LeNet(channels: 1, imageSize: 28, classes: classes) }
    return RecurrentClassifier(
        cell: .init(rawValue: config["cell"] as! String)!, embeddingDimension: config["dim"] as! Int,
        classes: classes, hidden: config["hidden"] as! Int, layers: config["layers"] as! Int)
}

@Test(
    arguments: [
        "textcnn", "textcnn-binary", "birnn-lengths", "birnn-padding", "bilstm-lengths", "bilstm-padding",
        "bigru-lengths", "bigru-padding", "lenet",
    ].map(Golden.init))
func matchesPyTorch(_ golden: Golden) throws {
    let path = Bundle.module.path(forResource: "Golden", ofType: nil)! + "/\(golden.file).safetensors"
    let contents = try SafeTensors.read(path)
    let config = try JSONSerialization.jsonObject(with: Data(contents.metadata["config"]!.utf8)) as! [String: Any]
    let m = model(golden.file, config)
    #expect(m.parameterSpecs.map(\.name) == config["parameter_order"] as! [String], "PyTorch's parameter order")
    let parameters = m.parameterSpecs.map { contents["param." + $0.name]!.requiringGrad() }
    let input = contents["input"]!.requiringGrad()
    let lengths = contents["lengths"].map { $0.doubles.map { Int($0) } }
    let output = m.logits(parameters, input, lengths: lengths)
    #expect(GradientCheck.relativeError(output.doubles, contents["output"]!.doubles) <= 1e-9)
    let grads = gradients(of: (output * contents["seed"]!).sum(), withRespectTo: [input] + parameters)
    let expected = [contents["grad.input"]!] + m.parameterSpecs.map { contents["grad." + $0.name]! }
    for (i, (g, e)) in zip(grads, expected).enumerated() {
        let err = GradientCheck.relativeError(g.doubles, e.doubles)
        #expect(
            err <= 1e-9, "\(golden.file): gradient \(i == 0 ? "input" : m.parameterSpecs[i - 1].name) off by \(err)")
    }
}

/// amplitude·sin(a·k + b) for k < n, the formula Scripts/make-golden-models.py uses too.
private func wave(_ shape: [Int], _ a: Double, _ b: Double, _ amplitude: Double = 1) -> Tensor {
    let n = shape.reduce(1, *)
    return Tensor((0..<n).map { amplitude * sin(Double($0) * a + b) }, shape: shape)
}

/// AlexCifarNet is too large to store (1.76M weights) and too full of kinks for finite
/// differences, so its first AND second derivatives are compared with PyTorch's double
/// backward exactly: formula weights and input, the logits, the input gradient, and per
/// parameter the projections ⟨∂L/∂w, u⟩ and ⟨Hv, u⟩.
@Test func alexCifarNetMatchesPyTorchToSecondOrder() throws {
    let path = Bundle.module.path(forResource: "Golden", ofType: nil)! + "/alexcifarnet-projected.safetensors"
    let contents = try SafeTensors.read(path)
    let config = try JSONSerialization.jsonObject(with: Data(contents.metadata["config"]!.utf8)) as! [String: Any]
    let m = AlexCifarNet(channels: 3, classes: 10)
    #expect(m.parameterSpecs.map(\.name) == config["parameter_order"] as! [String])
    let parameters = m.parameterSpecs.enumerated().map { t, s in
        wave(s.shape, 0.731, 0.1 * Double(t), 0.05).requiringGrad()
    }
    let x = wave(config["input_shape"] as! [Int], 0.37, 0).requiringGrad()
    let out = m.logits(parameters, x)
    #expect(GradientCheck.relativeError(out.doubles, contents["output"]!.doubles) <= 1e-9)
    let inputs = [x] + parameters
    let grads = gradients(of: (out * wave(out.shape, 0.91, 0.3)).sum(), withRespectTo: inputs, createGraph: true)
    #expect(GradientCheck.relativeError(grads[0].doubles, contents["grad.input"]!.doubles) <= 1e-9)
    let directions = inputs.enumerated().map { i, t in wave(t.shape, 1.13, 0.5 * Double(i)) }
    let gv = zip(grads, directions).map { ($0 * $1).sum() }.reduce(Tensor(scalar: 0, dtype: .float64), +)
    let hvp = gradients(of: gv, withRespectTo: inputs)
    let us = inputs.enumerated().map { i, t in wave([t.count], 0.513, Double(i)) }
    func project(_ ts: [Tensor]) -> [Double] { zip(ts, us).map { ($0.reshaped([-1]) * $1).sum().item } }
    #expect(GradientCheck.relativeError(project(grads), contents["grad_projection"]!.doubles) <= 1e-9)
    #expect(GradientCheck.relativeError(project(hvp), contents["hvp_projection"]!.doubles) <= 1e-9)
    // Per parameter too, so a small tensor's error cannot hide behind a large one.
    for (i, (a, e)) in zip(project(hvp), contents["hvp_projection"]!.doubles).enumerated() {
        #expect(abs(a - e) <= 1e-8 * max(1, abs(e)), "HVP projection \(i): \(a) vs \(e)")
    }
}
