import ArgumentParser
import Distillation
import Models
import Tasks
import TextPipeline

extension Distill {
    /// A new run's task and distiller, from the options, or with `--like ARTIFACT` from the
    /// artifact's data, recipe, model and settings, each replaced by options given again.
    func newRun() throws -> (LoadedTask, Distiller, ArtifactInfo, DistillationRun.Options?, LabelledData?) {
        let like = try self.like.map { try DistilledArtifact.read($0).artifact.info }
        let (data, recipe) = try corpus(like: like?.task)
        let task = try LoadedTask.load(data: data, recipe: recipe, notice: note)
        let kind = model ?? like?.model.kind ?? (task.kind == .image ? .lenet : .bilstm)
        let description =
            try like.flatMap { model == nil && modelOptions.changed.isEmpty ? $0.model : nil }
            ?? task.embeddingModel(kind, modelOptions)
        let settings = try distill.settings(model: kind, classes: task.classNames.count, like: like?.settings)
        if let like, let path = self.like { note("like \(path): \(like.task.data), \(description.kind.rawValue)") }
        if settings.readable && task.text == nil {
            throw ValidationFailure("--readable needs a text corpus: images have no words to project onto")
        }
        if settings.sampleInit == .packed && task.text == nil {
            throw ValidationFailure("--sample-init packed fills rows with real texts: \(task.identity.data) has images")
        }
        if grid != nil && task.text != nil {
            throw ValidationFailure("--grid draws image sets; a text set's report shows its decoded sentences")
        }
        let (train, heldOut) = try split(task, count: selectOnValidation, seed: settings.seed)
        let distiller = try Distiller(
            model: description.make(), settings: settings, train: train, sampleShape: task.sampleShape,
            projection: task.wordProjection)
        return (
            task, distiller,
            ArtifactInfo(
                task: task.identity, model: description, settings: settings, rowClasses: distiller.set.rowClasses),
            nil, heldOut
        )
    }

    /// The data and its recipe: the options', or a stored task's unless --data or a corpus
    /// option is given again (--embeddings alone says where the stored embeddings are now).
    private func corpus(like stored: TaskIdentity?) throws -> (String, DataRecipe) {
        let given = corpusOptions.recipe(embeddings: embeddings)
        guard let stored, data == nil, corpusOptions.recipe() == (try CorpusOptions.parse([])).recipe() else {
            return (data ?? "trec6", given)
        }
        var recipe = stored.recipe ?? DataRecipe()
        if let embeddings { recipe.embeddings = embeddings }
        return (stored.data, recipe)
    }
}
