// swift-tools-version:6.0
//
// An example of TextDistill used as a library from another package: it depends on the
// project by path and distills the synthetic Gaussian-blob demo, then prints the accuracy of
// the distilled set beside random real samples. Built and run by the project's .ci/run:
//   cd Examples/DistillBlobs && swift run -c release
// From another project, depend on it by URL and version instead of by path:
//   .package(url: "https://github.com/…/textdistill", from: "0.9.0")
import PackageDescription

let package = Package(
    name: "DistillBlobs",
    dependencies: [.package(name: "TextDistill", path: "../..")],
    targets: [
        .executableTarget(
            name: "DistillBlobs",
            dependencies: [
                .product(name: "Distillation", package: "TextDistill"),
                .product(name: "Models", package: "TextDistill"),
                .product(name: "Tasks", package: "TextDistill"),
            ],
            path: "Sources/DistillBlobs")
    ]
)
