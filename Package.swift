// swift-tools-version:6.1
//
// TextDistill: soft-label dataset distillation, text first.
// Data flow, one module per stage (each folder under Sources/ says what it is):
//   TensorCore  tensors, higher-order reverse-mode autodiff, ops, optimizers (BLAS inside)
//   DataFiles     file bytes (mapped or gunzipped), where bundled and fetched data live
//   TextPipeline  text → tokens → ids → embeddings, corpora, GloVe, and back (nearest words)
//   ImageData     IDX (MNIST, Fashion-MNIST) and CIFAR-10 readers, normalisation, augmentation
//   Models        TextCNN, Bi-RNN/LSTM/GRU, LeNet, AlexCifarNet, ConvNet-3; full-data training
//   Tasks         a corpus or image set loaded as labelled tensors, its recipe and identity
//   Distillation  the distilled set, the unrolled inner training and the meta-gradient
//   Report        PNG image grids and the self-contained HTML report of a run
//   CLI           the commands of the tool (a library, so tests can run them in-process)
//   textdistill   the executable: main.swift only
//   MPICluster, textdistill-mpi  the same command over the ranks of an MPI job (trait MPI; docs/scaling.md)
//   BuildInfoPlugin  records the git commit for `textdistill --version`
//   Fuzz, textdistill-fuzz  mutated inputs for every reader of users' files (not part of the tool)
import PackageDescription

// No unsafeFlags: SwiftPM refuses them in a package used as a dependency by version.
// (`-enforce-exclusivity=unchecked`, used until 0.9, made no difference beyond the host's noise:
// docs/benchmarks.md.)
let language: [SwiftSetting] = [.swiftLanguageMode(.v5)]

let package = Package(
    name: "TextDistill",
    products: [
        .library(name: "TensorCore", targets: ["TensorCore"]),
        .library(name: "DataFiles", targets: ["DataFiles"]),
        .library(name: "TextPipeline", targets: ["TextPipeline"]),
        .library(name: "ImageData", targets: ["ImageData"]),
        .library(name: "Models", targets: ["Models"]),
        .library(name: "Tasks", targets: ["Tasks"]),
        .library(name: "Distillation", targets: ["Distillation"]),
        .library(name: "Report", targets: ["Report"]),
        .executable(name: "textdistill", targets: ["textdistill"]),
        .executable(name: "textdistill-fuzz", targets: ["textdistill-fuzz"]),
        .executable(name: "textdistill-mpi", targets: ["textdistill-mpi"]),
    ],
    // MPI: builds textdistill-mpi against Debian's Open MPI (libopenmpi-dev). On by default;
    // `swift build --disable-default-traits` builds everything else without Open MPI.
    traits: [
        .trait(name: "MPI", description: "textdistill-mpi: distillation across the ranks of an MPI job"),
        .default(enabledTraits: ["MPI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0")
    ],
    targets: [
        // Debian's libopenblas-dev; pkg-config knows it as `openblas`.
        .systemLibrary(
            name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        // Debian's libutf8proc-dev. Linked by name: its .pc adds a define SwiftPM rejects.
        .systemLibrary(
            name: "CUTF8Proc", path: "Sources/CUTF8Proc",
            providers: [.apt(["libutf8proc-dev"])]),
        // Debian's zlib1g-dev: reading gzip files.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        // Thread-local autodiff mode and atomic allocation counters (C11).
        .target(name: "CTensorSupport", path: "Sources/CTensorSupport"),
        .target(
            name: "TensorCore", dependencies: ["COpenBLAS", "CTensorSupport"],
            path: "Sources/TensorCore", swiftSettings: language),
        // Reading files: mapped or gunzipped bytes, and where the bundled and fetched data live.
        .target(
            name: "DataFiles", dependencies: ["CZlib", "TensorCore"], path: "Sources/DataFiles",
            swiftSettings: language),
        .target(
            name: "TextPipeline", dependencies: ["CUTF8Proc", "DataFiles", "COpenBLAS", "TensorCore"],
            path: "Sources/TextPipeline", swiftSettings: language),
        .target(
            name: "ImageData", dependencies: ["DataFiles", "TensorCore"], path: "Sources/ImageData",
            swiftSettings: language),
        .target(name: "Models", dependencies: ["TensorCore"], path: "Sources/Models", swiftSettings: language),
        .target(
            name: "Tasks", dependencies: ["DataFiles", "TextPipeline", "ImageData", "Models", "TensorCore"],
            path: "Sources/Tasks", swiftSettings: language),
        .target(
            name: "Distillation", dependencies: ["TensorCore", "Models", "Tasks", "TextPipeline"],
            path: "Sources/Distillation", swiftSettings: language),
        // Pictures and the HTML report of a run: PNG (zlib), inline SVG charts.
        .target(
            name: "Report", dependencies: ["CZlib", "TensorCore", "Models", "Distillation"], path: "Sources/Report",
            swiftSettings: language),
        // The git commit a build comes from, for `textdistill --version`.
        .plugin(name: "BuildInfoPlugin", capability: .buildTool(), path: "Sources/BuildInfoPlugin"),
        .target(
            name: "CLI",
            dependencies: [
                "TensorCore", "DataFiles", "TextPipeline", "ImageData", "Models", "Tasks", "Distillation", "Report",
                "CUTF8Proc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/CLI", swiftSettings: language, plugins: ["BuildInfoPlugin"]),
        .executableTarget(
            name: "textdistill", dependencies: ["CLI"], path: "Sources/textdistill", swiftSettings: language),
        // Debian's libopenmpi-dev (Open MPI 4.1); pkg-config knows it as `ompi-c`.
        .systemLibrary(
            name: "CMPI", path: "Sources/CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"])]),
        .target(
            name: "MPICluster",
            dependencies: ["Distillation", .target(name: "CMPI", condition: .when(traits: ["MPI"]))],
            path: "Sources/MPICluster", swiftSettings: language),
        .executableTarget(
            name: "textdistill-mpi",
            dependencies: [
                "CLI", "Distillation", "TensorCore", .target(name: "MPICluster", condition: .when(traits: ["MPI"])),
            ],
            path: "Sources/textdistill-mpi", swiftSettings: language),
        // Mutated inputs for every reader of users' files (Scripts/fuzz; docs/reliability.md).
        .target(
            name: "Fuzz", dependencies: ["DataFiles", "ImageData", "TensorCore", "TextPipeline"], path: "Sources/Fuzz",
            swiftSettings: language),
        .executableTarget(
            name: "textdistill-fuzz", dependencies: ["Fuzz"], path: "Sources/textdistill-fuzz",
            swiftSettings: language),
        .testTarget(
            name: "TensorCoreTests", dependencies: ["TensorCore"],
            path: "Tests/TensorCoreTests", swiftSettings: [.swiftLanguageMode(.v5)]),
        .testTarget(
            name: "DataFilesTests", dependencies: ["DataFiles", "TensorCore"],
            path: "Tests/DataFilesTests", resources: [.copy("Fixtures")],
            swiftSettings: [.swiftLanguageMode(.v5)]),
        .testTarget(
            name: "TextPipelineTests", dependencies: ["TextPipeline", "DataFiles", "TensorCore"],
            path: "Tests/TextPipelineTests", resources: [.copy("Fixtures")],
            swiftSettings: [.swiftLanguageMode(.v5)]),
        .testTarget(
            name: "ImageDataTests", dependencies: ["ImageData", "TensorCore"],
            path: "Tests/ImageDataTests", resources: [.copy("Fixtures")],
            swiftSettings: [.swiftLanguageMode(.v5)]),
        .testTarget(
            name: "ModelsTests", dependencies: ["Models", "TensorCore"],
            path: "Tests/ModelsTests", resources: [.copy("Golden")],
            swiftSettings: [.swiftLanguageMode(.v5)]),
        .testTarget(
            name: "CLITests", dependencies: ["CLI", "Distillation", "Report", "Tasks", "TextPipeline", "TensorCore"],
            path: "Tests/CLITests", swiftSettings: [.swiftLanguageMode(.v5)]),
        .testTarget(
            name: "FuzzTests", dependencies: ["Fuzz"], path: "Tests/FuzzTests", resources: [.copy("Crashes")],
            swiftSettings: [.swiftLanguageMode(.v5)]),
        .testTarget(
            name: "DistillationTests", dependencies: ["Distillation", "Models", "Tasks", "TensorCore"],
            path: "Tests/DistillationTests", resources: [.copy("Golden")],
            swiftSettings: [.swiftLanguageMode(.v5)]),
    ]
)
