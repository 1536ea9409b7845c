import TensorCore
import TextPipeline

/// Library errors worded for the command line: a remedy a library names as a type becomes the
/// option that applies it (libraries never name flags).
enum ErrorWording {
    /// `error`, with its remedy, if any, worded as this tool's options.
    static func worded(_ error: Error) -> Error {
        guard let e = error as? InputError, let remedy = e.remedy else { return error }
        return InputError(file: e.file, line: e.line, "\(e.message) (\(option(remedy)))")
    }

    static func option(_ remedy: any InputRemedy) -> String {
        switch remedy as? CorpusRemedy {
        case .readAsLatin1: return "if the file is Latin-1, pass --encoding latin1"
        case .nameLabelAndTextColumns: return "name them with --label-column and --text-column"
        case .useACorpusFolder: return "see textdistill corpus --help"
        case .splitOffATestSet:
            return
                "pass --test-fraction 0.2 to hold out a seeded, stratified 20 % as the test split, or --test-file FILE"
        case nil: return remedy.description
        }
    }
}
