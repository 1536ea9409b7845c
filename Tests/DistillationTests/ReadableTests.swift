import Foundation
import Models
import TensorCore
import Testing

@testable import Distillation

/// A tiny vocabulary task: 12 ids (0 `<unk>` and 1 `<pad>` with zero rows, 10 words), 40 texts
/// of up to 6 words padded at the end; class c favours words 2 + 3c … 4 + 3c.
private struct TinyText {
    let embeddings: Tensor
    let ids: [[Int32]]
    let data: LabelledData

    init(dtype: DType) {
        var rng = RandomGenerator(seed: 5)
        let table = Tensor.randomNormal([12, 4], dtype: dtype, using: &rng).doubles.enumerated().map {
            $0.offset < 8 ? 0 : $0.element
        }
        embeddings = Tensor(table, shape: [12, 4], dtype: dtype)
        let labels = (0..<40).map { Int32($0 % 3) }
        ids = labels.map { c in
            let length = 2 + rng.below(5)
            return (0..<6).map { p in
                p < length ? Int32(2 + 3 * Int(c) + rng.below(3) + (rng.below(4) == 0 ? 1 : 0)) : 1
            }
        }
        let (table2, ids2) = (embeddings, ids)
        data = LabelledData(labels: labels, classes: 3) { rows in
            let input = Tensor.embedding(table2, ids: rows.flatMap { ids2[$0] }, shape: [rows.count, 6])
            return (input, rows.map { r in (ids2[r].lastIndex { $0 != 1 } ?? 0) + 1 })
        }
    }

    var projection: WordProjection { WordProjection(embeddings: embeddings, allowed: Array(2..<12), paddingID: 1) }
}

private func readableSettings() -> DistillationSettings {
    var s = DistillationSettings()
    s.outerEpochs = 2
    s.batchSize = 16
    s.distillLearningRate = 0.3
    s.learningRate = 0.05
    s.readable = true
    s.seed = 4
    return s
}

private let tinyBiLSTM = ModelDescription(
    kind: .bilstm, classes: 3, inputDimension: 4, hidden: 3, layers: 1, respectLengths: true)

/// Embedded words project to themselves, bit for bit, and a sentence ends after its last word.
@Test func projectionGivesBackTheWordsAndTheirLengths() {
    let task = TinyText(dtype: .float32)
    let (input, lengths) = task.data.batch(Array(0..<40))
    let p = task.projection.project(input)
    #expect(p.ids == task.ids.flatMap { $0 })
    #expect(p.values.doubles == input.doubles)
    #expect(p.lengths == lengths)
    // Small noise does not change the words.
    var rng = RandomGenerator(seed: 1)
    let noisy = task.projection.project(input + Tensor.randomNormal(input.shape, using: &rng) * 1e-3)
    #expect(noisy.ids == p.ids)
}

/// The straight-through meta-gradient: the gradient with respect to the continuous rows equals
/// the ordinary meta-gradient taken at their projection (the words as leaves), in float64.
@Test func straightThroughGradientIsTheGradientAtTheProjection() throws {
    let task = TinyText(dtype: .float64)
    let model = tinyBiLSTM.make()
    var rng = RandomGenerator(seed: 9)
    let settings = readableSettings()
    let rowClasses = [0, 1, 2]
    let x = Tensor.randomNormal([3, 6, 4], dtype: .float64, using: &rng)
    let labels = DistilledSet.initialLabels(rowClasses, outputs: 3, mode: .smoothed, dtype: .float64, using: &rng)
    let rates = Tensor.full([2], 0.2, dtype: .float64)
    let fixedInit = model.initialParameters(dtype: .float64, using: &rng)
    let readable = DistilledSet(
        inputs: [x], labels: [labels], rawRates: rates, epochs: 2, rowClasses: rowClasses, labelSoftmax: false)
    let a = try Distiller(
        model: model, settings: settings, train: task.data, set: readable, fixedInit: fixedInit,
        projection: task.projection)

    let words = task.projection.project(x)
    var plain = settings
    plain.readable = false
    let atWords = DistilledSet(
        inputs: [words.values], labels: [labels.detached()], rawRates: rates.detached(), epochs: 2,
        rowClasses: rowClasses, labelSoftmax: false, lengths: [words.lengths])
    let b = try Distiller(model: model, settings: plain, train: task.data, set: atWords, fixedInit: fixedInit)
    let continuous = DistilledSet(
        inputs: [x.detached()], labels: [labels.detached()], rawRates: rates.detached(), epochs: 2,
        rowClasses: rowClasses, labelSoftmax: false)
    let c = try Distiller(model: model, settings: plain, train: task.data, set: continuous, fixedInit: fixedInit)

    let rows = Array(0..<16)
    var r1 = RandomGenerator(seed: 3)
    var r2 = RandomGenerator(seed: 3)
    var r3 = RandomGenerator(seed: 3)
    let (la, ga) = a.metaGradient(rows: rows, rng: &r1)
    let (lb, gb) = b.metaGradient(rows: rows, rng: &r2)
    let (_, gc) = c.metaGradient(rows: rows, rng: &r3)
    #expect(la == lb)
    #expect(ga.count == 3 && gb.count == 3)
    for (g, h) in zip(ga, gb) { #expect(g.doubles == h.doubles) }
    // It is not the gradient at the continuous point, and not zero.
    #expect(ga[0].doubles != gc[0].doubles)
    #expect(ga[0].doubles.contains { $0 != 0 })
}

/// A readable set is judged by networks trained on its words: the run's own evaluation equals
/// training on the set decoded from the written artifact, exactly.
@Test func readableAccuracyIsTheDecodedAccuracy() throws {
    let task = TinyText(dtype: .float32)
    var settings = readableSettings()
    settings.sampleInit = .real
    let d = try Distiller(
        model: tinyBiLSTM.make(), settings: settings, train: task.data, sampleShape: [6, 4], projection: task.projection
    )
    let start = d.set.inputs[0].doubles
    while !d.isFinished { try d.iterate() }
    #expect(d.set.inputs[0].doubles != start, "the continuous rows did not move")
    let reported = d.evaluate(test: task.data)

    let identity = ArtifactInfo.TaskIdentity(
        kind: .text, data: "tiny", classNames: ["a", "b", "c"], sampleShape: [6, 4], trainCount: 40, testCount: 40)
    let path = FileManager.default.temporaryDirectory.path + "/readable-\(getpid()).safetensors"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try DistilledArtifact(
        set: d.set, fixedInit: d.fixedInit,
        info: ArtifactInfo(task: identity, model: tinyBiLSTM, settings: settings, rowClasses: d.set.rowClasses)
    )
    .write(to: path)
    let (artifact, _, _) = try DistilledArtifact.read(path)
    #expect(artifact.info.settings.readable)
    let decoded = artifact.set.decoded(by: TinyText(dtype: .float32).projection).set
    let retrained = ScheduleEvaluation.accuracy(
        artifact.model, on: decoded, from: try #require(artifact.fixedInit), test: task.data,
        seed: ScheduleEvaluation.evaluationSeed(settings.seed))
    #expect(reported.values == [retrained])
    // Every position reads as a word or padding.
    let ids = task.projection.project(artifact.set.inputs[0]).ids
    #expect(ids.allSatisfy { (1..<12).contains($0) })
}

/// `--sample-init real`: each row starts as a training example of its own class.
@Test func realSampleInitStartsFromTrainingExamplesOfTheRowsClass() throws {
    let task = TinyText(dtype: .float32)
    var settings = readableSettings()
    settings.readable = false
    settings.sampleInit = .real
    settings.perClass = 2
    let d = try Distiller(model: tinyBiLSTM.make(), settings: settings, train: task.data, sampleShape: [6, 4])
    let all = task.data.batch(Array(0..<40)).input.doubles
    let x = d.set.inputs[0].doubles
    for (i, c) in d.set.rowClasses.enumerated() {
        let row = Array(x[(i * 24)..<((i + 1) * 24)])
        let matches = (0..<40).filter { Array(all[($0 * 24)..<(($0 + 1) * 24)]) == row }
        #expect(
            matches.contains { task.data.labels[$0] == Int32(c) }, "row \(i) is not a training example of class \(c)")
    }
    // The fixed init does not depend on how the rows start.
    settings.sampleInit = .noise
    let noise = try Distiller(model: tinyBiLSTM.make(), settings: settings, train: task.data, sampleShape: [6, 4])
    #expect(zip(d.fixedInit!, noise.fixedInit!).allSatisfy { $0.doubles == $1.doubles })
}

/// `--sample-init kmeans`: with one row per class, each row starts as its class's mean
/// (k-means with one centroid), the set the k-means baseline trains.
@Test func kmeansSampleInitStartsFromEachClasssMean() throws {
    let task = TinyText(dtype: .float64)
    var settings = readableSettings()
    settings.readable = false
    settings.sampleInit = .kmeans
    let d = try Distiller(model: tinyBiLSTM.make(), settings: settings, train: task.data, sampleShape: [6, 4])
    let all = task.data.batch(Array(0..<40)).input.doubles
    let x = d.set.inputs[0].doubles
    for (i, c) in d.set.rowClasses.enumerated() {
        let members = (0..<40).filter { task.data.labels[$0] == Int32(c) }
        let mean = (0..<24).map { j in members.map { all[$0 * 24 + j] }.reduce(0, +) / Double(members.count) }
        #expect(
            GradientCheck.relativeError(Array(x[(i * 24)..<((i + 1) * 24)]), mean) < 1e-12,
            "row \(i) is not the mean of class \(c)")
    }
}

/// Label distillation (`--fixed-inputs`) leaves the inputs exactly as they started.
@Test func fixedInputsLearnOnlyLabelsAndRates() throws {
    let task = TinyText(dtype: .float32)
    var settings = readableSettings()
    settings.readable = false
    settings.sampleInit = .real
    settings.learnInputs = false
    let d = try Distiller(model: tinyBiLSTM.make(), settings: settings, train: task.data, sampleShape: [6, 4])
    let (x0, y0) = (d.set.inputs[0].doubles, d.set.labels[0].doubles)
    while !d.isFinished { try d.iterate() }
    #expect(d.set.inputs[0].doubles == x0)
    #expect(d.set.labels[0].doubles != y0)
}

/// Settings written before a field existed read with that field's default.
@Test func settingsFromAnOlderArtifactKeepTheNewDefaults() throws {
    let json =
        #"{"perClass":1,"steps":1,"epochs":2,"labelInit":"one-hot","labelSoftmax":false,"learnLabels":true,"learnRates":true,"#
        + #""distillLearningRate":1.5,"learningRate":0.1,"beta1":0.5,"beta2":0.999,"decayEpochs":30,"decayFactor":0.5,"outerEpochs":200,"#
        + #""batchSize":1024,"initialization":"fixed","nets":1,"seed":2}"#
    let s = try JSONDecoder().decode(DistillationSettings.self, from: Data(json.utf8))
    #expect(s.seed == 2 && s.distillLearningRate == 1.5 && s.outerEpochs == 200)
    #expect(!s.readable && s.learnInputs && s.sampleInit == .noise && s.wordPull == 0)
    let again = try JSONDecoder().decode(DistillationSettings.self, from: JSONEncoder().encode(s))
    #expect(again == s)
}

/// The swap proposals are the allowed words v with the most negative g·e_v at each position,
/// best first (checked against a direct ranking).
@Test func swapProposalsAreTheWordsThatLowerTheLossMostToFirstOrder() {
    let task = TinyText(dtype: .float32)
    var rng = RandomGenerator(seed: 8)
    let g = Tensor.randomNormal([2, 6, 4], using: &rng)
    let proposals = task.projection.swapCandidates(gradient: g, k: 3)
    let (e, gv) = (task.embeddings.doubles, g.doubles)
    let allowed: [Int32] = Array(2..<12) + [1]
    #expect(proposals.count == 12)
    for (p, got) in proposals.enumerated() {
        func score(_ v: Int32) -> Double { (0..<4).reduce(0) { $0 + gv[p * 4 + $1] * e[Int(v) * 4 + $1] } }
        #expect(got == Array(allowed.sorted { score($0) < score($1) }.prefix(3)), "position \(p)")
    }
}

/// A kept word swap changes exactly one position, to one of its proposals, and lowers the outer
/// loss on the iteration's minibatch; without a better swap the words stay.
@Test func aKeptWordSwapLowersTheOuterLoss() throws {
    let task = TinyText(dtype: .float32)
    var settings = readableSettings()
    settings.sampleInit = .real
    settings.wordSwaps = 24
    let d = try Distiller(
        model: tinyBiLSTM.make(), settings: settings, train: task.data, sampleShape: [6, 4], projection: task.projection
    )
    let rows = Array(0..<16)
    let draws = RandomGenerator(seed: 2)
    var kept = 0
    for _ in 0..<4 {
        var rng = RandomGenerator(seed: 3)
        let (_, g, _) = d.outerGradient(rows: rows, rng: &rng)
        let before = task.projection.project(d.set.inputs[0]).ids
        let lossBefore = d.outerLosses(words: [[before]], rows: rows, draws: draws)[0]
        let swapped = d.swapWord(rows: rows, gradients: [g[0]])
        let after = task.projection.project(d.set.inputs[0]).ids
        let changed = zip(before, after).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        if swapped {
            kept += 1
            #expect(changed.count == 1)
            #expect(d.outerLosses(words: [[after]], rows: rows, draws: draws)[0] < lossBefore)
            let p = try #require(changed.first)
            #expect(task.projection.swapCandidates(gradient: g[0], k: Distiller.swapProposals)[p].contains(after[p]))
        } else {
            #expect(changed.isEmpty)
        }
    }
    #expect(kept > 0, "no swap was kept in 4 tries of 24")
    // A run with swaps counts them per epoch.
    let run = try Distiller(
        model: tinyBiLSTM.make(), settings: settings, train: task.data, sampleShape: [6, 4], projection: task.projection
    )
    while !run.isFinished { try run.iterate() }
    #expect(run.history.allSatisfy { $0.wordSwaps != nil })
}

/// The polish: in the last epochs every row sits exactly on its word after each iteration, the
/// words stay as they were on entering it (no swaps), and the labels and rates still learn; with
/// swaps, words change there and only there.
@Test func thePolishHoldsTheRowsAtTheirWords() throws {
    let task = TinyText(dtype: .float32)
    var settings = readableSettings()
    settings.sampleInit = .real
    settings.outerEpochs = 4
    settings.polishEpochs = 2
    settings.wordPull = 0.01
    let d = try Distiller(
        model: tinyBiLSTM.make(), settings: settings, train: task.data, sampleShape: [6, 4], projection: task.projection
    )
    var entering: [Int32]? = nil
    var rowsMoved = false
    while !d.isFinished {
        let epoch = d.position.epoch
        let before = d.set.inputs[0].floats
        let labels = d.set.labels[0].floats
        try d.iterate()
        let words = task.projection.project(d.set.inputs[0])
        if settings.polishes(epoch: epoch) {
            #expect(d.set.inputs[0].floats == words.values.floats, "epoch \(epoch): a row left its word")
            if let entering { #expect(words.ids == entering) } else { entering = words.ids }
            #expect(d.set.labels[0].floats != labels, "epoch \(epoch): the labels did not learn")
        } else if d.set.inputs[0].floats != before {
            rowsMoved = true
        }
    }
    #expect(rowsMoved, "the rows never moved before the polish")
    #expect(settings.polishes(epoch: 1) == false && settings.polishes(epoch: 2) && settings.polishes(epoch: 3))
    // Swaps: tried in the polish only.
    settings.wordSwaps = 24
    let swapping = try Distiller(
        model: tinyBiLSTM.make(), settings: settings, train: task.data, sampleShape: [6, 4], projection: task.projection
    )
    while !swapping.isFinished { try swapping.iterate() }
    let swaps = swapping.history.map { $0.wordSwaps ?? -1 }
    #expect(swaps[0] == 0 && swaps[1] == 0, "swaps outside the polish: \(swaps)")
    #expect(swaps[2] + swaps[3] > 0, "no swap kept in the polish: \(swaps)")
    // Settings: a polish needs readable, learned inputs, and fits in the run.
    var bad = settings
    bad.polishEpochs = 5
    #expect(bad.problems(classes: 3).contains(.polishEpochs(5, outerEpochs: 4)))
    bad.polishEpochs = 1
    bad.learnInputs = false
    bad.wordSwaps = 0
    #expect(bad.problems(classes: 3).contains(.polishNeedsReadableInputs))
}

/// The projection warm-up: the inner steps see (1 − α)·x + α·word(x), α = (epoch + 1) / warmup
/// up to 1, and the gradient still reaches the continuous rows.
@Test func theWarmUpBlendsTheRowsIntoTheirWords() throws {
    let task = TinyText(dtype: .float64)
    var rng = RandomGenerator(seed: 4)
    let x = Tensor.randomNormal([3, 6, 4], dtype: .float64, using: &rng)
    let set = DistilledSet(
        inputs: [x], labels: [Tensor.zeros([3, 3], dtype: .float64)], rawRates: Tensor.zeros([2], dtype: .float64),
        epochs: 2, rowClasses: [0, 1, 2], labelSoftmax: false)
    let words = task.projection.project(x).values.doubles
    let (steps, _) = set.schedule(projection: task.projection, weight: 0.25)
    let seen = steps[0].inputs
    for (i, v) in seen.doubles.enumerated() { #expect(abs(v - (0.75 * x.doubles[i] + 0.25 * words[i])) < 1e-12) }
    let g = gradients(of: (seen * seen).sum(), withRespectTo: [set.inputs[0]])[0].doubles
    for (i, v) in g.enumerated() { #expect(abs(v - 2 * seen.doubles[i]) < 1e-12) }
    // The weight rises with the epochs and stays at 1.
    var settings = readableSettings()
    settings.projectionWarmup = 4
    let task32 = TinyText(dtype: .float32)
    settings.outerEpochs = 6
    let d = try Distiller(
        model: tinyBiLSTM.make(), settings: settings, train: task32.data, sampleShape: [6, 4],
        projection: task32.projection
    )
    var weights: [Double] = []
    while !d.isFinished {
        if d.position.iteration == 0 { weights.append(d.projectionWeight) }
        try d.iterate()
    }
    #expect(weights == [0.25, 0.5, 0.75, 1, 1, 1])
}

/// Packed rows are real texts of their class end to end: every position a word of the class
/// (no `<pad>`), so a recurrent model reads all of them; images have no texts to pack.
@Test func packedRowsAreRealWordsOfTheirClassWithoutPadding() throws {
    let task = TinyText(dtype: .float32)
    var rng = RandomGenerator(seed: 2)
    let rows = try Baselines.packedTexts(task.data, rowClasses: [0, 1, 2, 2], steps: 2, using: &rng)
    #expect(rows.map(\.shape) == [[4, 6, 4], [4, 6, 4]])
    for step in rows {
        let p = task.projection.project(step)
        #expect(p.values.doubles == step.doubles, "packed positions are words, exactly")
        #expect(p.lengths == [6, 6, 6, 6])
        for (r, c) in [0, 1, 2, 2].enumerated() {
            #expect(p.ids[(r * 6)..<(r * 6 + 6)].allSatisfy { (2 + 3 * c...5 + 3 * c).contains(Int($0)) })
        }
    }
    // More than one text per row: the first text of a row is shorter than the row.
    #expect(task.ids.contains { $0.contains(1) })
    let images = LabelledData(labels: [0, 1], classes: 2) { rows in (Tensor.zeros([rows.count, 3]), nil) }
    #expect(throws: DistillationError.packedStartNeedsText) {
        try Baselines.packedTexts(images, rowClasses: [0, 1], steps: 1, using: &rng)
    }
}
