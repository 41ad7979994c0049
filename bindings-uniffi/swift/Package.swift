// swift-tools-version:5.9
// The Sendivent SDK for Swift: uniffi's generated Swift (Sources/Sendivent, committed and
// drift-checked by bindings-uniffi/generate.sh) over the Rust core, which comes as a static
// library in SendiventFFI.xcframework. Build that with build-xcframework.sh on macOS first; no
// Swift toolchain runs on the project's CI machines (see bindings-uniffi/README.md).
import PackageDescription

let package = Package(
    name: "Sendivent",
    platforms: [.macOS(.v12), .iOS(.v15)],
    products: [
        .library(name: "Sendivent", targets: ["Sendivent"]),
    ],
    targets: [
        // libsendivent_uniffi.a per platform, with Headers/ (SendiventFFI.h, module.modulemap).
        .binaryTarget(name: "SendiventFFI", path: "SendiventFFI.xcframework"),
        .target(
            name: "Sendivent",
            dependencies: ["SendiventFFI"],
            path: "Sources/Sendivent",
            linkerSettings: [
                // The core's HTTP client reads the system proxy settings.
                .linkedFramework("SystemConfiguration"),
                .linkedFramework("CoreFoundation"),
                .linkedFramework("Security"),
            ]
        ),
    ]
)
