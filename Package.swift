// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "order-recon",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "order-recon", targets: ["order-recon"]),
        .executable(name: "recon-bench", targets: ["recon-bench"]),
        .library(name: "ReconCore", targets: ["ReconCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(
            url: "https://github.com/apple/swift-configuration",
            from: "1.4.0",
            traits: [.defaults, "YAML"]
        ),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // System libraries. Debian's libcsv-dev ships no pkg-config file, so CCSV names none.
        .systemLibrary(name: "CCSV", providers: [.apt(["libcsv-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // A cache prefetch hint for the core's hash tables; computation only.
        .target(name: "CPrefetch"),

        // The pure core: money, orders, bill entries, day windows, the matcher. No I/O.
        .target(name: "ReconCore", dependencies: ["CPrefetch"]),

        // Adapters at the edges.
        .target(
            name: "ReconStore",
            dependencies: ["ReconCore", "CSQLite", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "ReconBills",
            dependencies: ["ReconCore", "CCSV", "CZlib", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(name: "ReconReports", dependencies: ["ReconCore"]),

        // The job: configuration, planning and one run, wired from the adapters.
        .target(
            name: "ReconJob",
            dependencies: [
                "ReconCore", "ReconStore", "ReconBills", "ReconReports",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        // Thin executables.
        .executableTarget(
            name: "order-recon",
            dependencies: [
                "ReconJob",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "recon-bench",
            dependencies: [
                "ReconCore", "ReconStore", "ReconBills",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Tests.
        .target(name: "ReconTestSupport", dependencies: ["ReconCore", "ReconStore"], path: "Tests/ReconTestSupport"),
        .testTarget(name: "ReconCoreTests", dependencies: ["ReconCore", "ReconTestSupport"]),
        .testTarget(name: "ProviderDocsTests", dependencies: ["ReconCore", "ReconTestSupport"]),
        .testTarget(name: "ReconStoreTests", dependencies: ["ReconStore", "ReconTestSupport"]),
        .testTarget(name: "ReconBillsTests", dependencies: ["ReconBills", "ReconTestSupport"]),
        .testTarget(name: "ReconReportsTests", dependencies: ["ReconReports", "ReconTestSupport"]),
        .testTarget(
            name: "ReconJobTests",
            dependencies: ["ReconJob", "ReconStore", "ReconReports", "ReconBills", "ReconTestSupport"]
        ),
        .testTarget(
            name: "OrderReconCLITests",
            dependencies: [.target(name: "order-recon"), "ReconTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets where target.type != .system && !target.name.hasPrefix("C") {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
