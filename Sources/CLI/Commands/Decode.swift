import ArgumentParser
import Distillation
import Foundation
import Tasks
import TensorCore
import TextPipeline

/// `textdistill decode ARTIFACT`: the distilled sentences as words, or as a dataset file.
struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show distilled sentences as words, or write them as a training file (TSV or JSONL).",
        discussion: """
            Reads the words the set decodes to and their embedding rows from the artifact itself \
            (format 2), so it needs no corpus. With --top-k, or --data/--embeddings, it rebuilds \
            the vocabulary and embedding rows the set was distilled in (from the recipe stored in \
            the artifact; --data and --embeddings say where the files are if they moved) and \
            refuses a mismatch. Every position becomes its nearest vocabulary word by Euclidean \
            distance (<pad> included: a sentence ends after its last word), exactly the words \
            `evaluate --decoded` trains on and, for a set distilled with --readable, the words the \
            set was learned as. Each row shows its soft label (largest entries).

            --format tsv|jsonl writes one line per sentence: its words (padding dropped), its soft \
            label as one column per class (the targets the training loss uses), its step and the \
            step's learned rate in each pass. `textdistill train --train-file FILE` trains models \
            on such a file, also ones outside the embedding space the set was learned in.

            Examples:
              textdistill decode trec6-bilstm.safetensors
              textdistill decode trec6-bilstm.safetensors --top-k 3 --metric cosine
              textdistill decode trec6-bilstm.safetensors --format tsv \\
                  --output trec6-words.tsv
              textdistill decode trec6-bilstm.safetensors --top-k 3 \\
                  --search-embeddings data/glove.6B.50d.txt   # all 400k words
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, tsv, jsonl }

    @Argument(help: "A distilled set written by 'textdistill distill'.") var artifact: String
    @Option(help: "Also list this many nearest words per position.") var topK: Int = 1
    @Option(help: "Metric of the --top-k listing: euclidean or cosine.") var metric: NearestWords.Metric = .euclidean
    @Option(help: "Where the corpus is, if not where the artifact says.") var data: String?
    @Option(help: "Where the embeddings are, if not where the artifact says.") var embeddings: String?
    @Option(
        help: ArgumentHelp(
            "List the nearest words of this whole embeddings table (GloVe or .vec) instead of the corpus vocabulary.",
            valueName: "file"))
    var searchEmbeddings: String?
    @Option(help: "text (for reading), json, tsv or jsonl (training files).") var format: Format = .text
    @Option(help: "Write to this file instead of standard output.") var output: String?
    @Flag(help: "Print JSON (the same as --format json).") var json = false

    func validate() throws { guard topK > 0 else { throw ValidationError("--top-k must be positive") } }

    func run() throws {
        let (loaded, _, _) = try DistilledArtifact.read(artifact)
        guard loaded.info.task.kind == .text else {
            throw InputError(file: artifact, "holds images, not sentences; see its PNG grid instead")
        }
        if let output { try OutputPath.check(output) }
        // The set's own words decode it with nothing else; listing neighbours, or a corpus
        // named again, needs the whole vocabulary.
        let needsTask = topK > 1 && searchEmbeddings == nil || data != nil || embeddings != nil || loaded.words == nil
        let task =
            try needsTask
            ? LoadedTask.matching(
                loaded.info.task, artifactPath: artifact, data: data, embeddings: embeddings, notice: note) : nil
        guard var sentences = task.map({ DecodedSentences.read(loaded, task: $0) }) ?? DecodedSentences.read(loaded)
        else { throw InputError(file: artifact, "holds no words") }
        if topK > 1 || searchEmbeddings != nil {
            let decoder: NearestWords
            if let searchEmbeddings {
                decoder = NearestWords(glove: try GloVe.load(path: searchEmbeddings))
                guard decoder.dimension == loaded.info.task.sampleShape[1] else {
                    throw InputError(
                        file: searchEmbeddings,
                        "has \(decoder.dimension)-d vectors; the set is \(loaded.info.task.sampleShape[1])-d")
                }
            } else if let text = task?.text {
                decoder = NearestWords(vocabulary: text.vocabulary, embeddings: text.embeddings)
            } else {
                throw InputError(file: artifact, "holds images, not sentences")
            }
            sentences.addAlternatives(loaded, decoder, k: topK, metric: metric)
        }
        let text: String
        switch json ? .json : format {
        case .text: text = sentences.readable(listing: topK > 1 || searchEmbeddings != nil)
        case .json: text = try sentences.json(artifact: artifact, metric: metric)
        case .tsv: text = sentences.tsv(artifact: artifact)
        case .jsonl: text = try sentences.jsonl(artifact: artifact)
        }
        if let output {
            try AtomicFile.write(Data(text.utf8), to: output)
            note("wrote \(sentences.items.count) sentences to \(output)")
        } else {
            StandardOutput.write(text, terminator: "")
        }
    }
}

extension NearestWords.Metric: ExpressibleByArgument {}
