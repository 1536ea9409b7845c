import TensorCore

/// What fixes a corpus that could not be read, in the library's words; the CLI words each as
/// its option (`--encoding latin1`, `--label-column`/`--text-column`, `corpus --help`).
public enum CorpusRemedy: InputRemedy, Equatable {
    /// The bytes are not UTF-8: the file may be Latin-1.
    case readAsLatin1
    /// A table's label and text columns were not named.
    case nameLabelAndTextColumns
    /// A path that is not a corpus folder.
    case useACorpusFolder
    /// One table, or a folder with no test table: the test split must be cut or named.
    case splitOffATestSet

    public var description: String {
        switch self {
        case .readAsLatin1: return "if the file is Latin-1, read it with the Latin-1 encoding"
        case .nameLabelAndTextColumns: return "name the table's label and text columns"
        case .useACorpusFolder: return "a folder of TREC, IMDB, SST or train/test table files"
        case .splitOffATestSet: return "hold out a share of each class as the test split, or name a test table"
        }
    }
}
