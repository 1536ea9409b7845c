import Distillation
import Models
import Tasks

// Four classes of 16-dimensional Gaussian blobs, an MLP from one fixed init, one distilled
// sample per class with learned soft labels and learned inner rates.
let task = LoadedTask.blobs(classes: 4, dimension: 16, seed: 1)
let model = ModelDescription(kind: .mlp, classes: 4, inputDimension: 16, hidden: 32)
var settings = DistillationSettings.defaults(for: .mlp)
(settings.epochs, settings.outerEpochs, settings.batchSize, settings.decayEpochs) = (3, 10, 256, 10)
(settings.distillLearningRate, settings.learningRate) = (0.1, 0.01)

let distiller = try Distiller(
    model: model.make(), settings: settings, train: task.train, sampleShape: task.sampleShape)
let info = ArtifactInfo(task: task.identity, model: model, settings: settings, rowClasses: distiller.set.rowClasses)
var plan = DistillationRun.Plan(output: nil, checkpoint: nil)
(plan.options.evaluateEvery, plan.options.testNets, plan.options.fullData) = (10, 5, false)
let run = DistillationRun(distiller: distiller, task: task, info: info, plan: plan)
let result = try run.run()
for row in result.info.results {
    print(row.name.padding(toLength: 36, withPad: " ", startingAt: 0), row.accuracy.formatted, "%")
}
