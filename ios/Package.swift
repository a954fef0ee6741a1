// swift-tools-version:5.9
// Komek for iOS, for development in this repository: the Rust core as a local
// XCFramework (built by build-xcframework.sh), the UniFFI-generated Swift,
// and a thin Swift layer (Keychain key vault, background sync, os_log
// logger, store file protection). Apps add the released package by URL
// instead: release.sh writes its Package.swift with binaryTarget(url:checksum:).
// Not buildable on the project's Linux machine; see docs/bindings.md.
import PackageDescription

let package = Package(
    name: "Komek",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [
        .library(name: "Komek", targets: ["Komek"]),
    ],
    targets: [
        // Static libkomek_ffi.a for device, simulator and macOS (for `swift test`),
        // with the C header and module map of the `KomekFFIFFI` module.
        .binaryTarget(name: "KomekFFI", path: "KomekFFI.xcframework"),
        // Generated/KomekFFI.swift (written by build-xcframework.sh) + the thin layer.
        .target(
            name: "Komek",
            dependencies: ["KomekFFI"],
            path: "Sources/Komek",
            resources: [.copy("PrivacyInfo.xcprivacy")]
        ),
        .testTarget(name: "KomekTests", dependencies: ["Komek"], path: "Tests/KomekTests"),
    ]
)
