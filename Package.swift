// swift-tools-version:6.2
import PackageDescription

/// A provider's plug-in, `Sources/Providers/<folder>/Provider`: what every provider's client
/// uses (the core, bills, the provider seams, HTTP and hashing), and `extra`.
func providerTarget(_ folder: String, _ extra: [Target.Dependency] = []) -> Target {
    .target(
        name: folder + "Provider",
        dependencies: [
            "ReconClock", "ReconCore", "ReconBills", "ReconProviders",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
        ] + extra,
        path: "Sources/Providers/\(folder)/Provider")
}

/// A provider's simulated API, `Sources/Providers/<folder>/Simulator`: its plug-in, SimulatorKit's
/// server, and `extra`.
func simulatorTarget(_ folder: String, _ extra: [Target.Dependency] = []) -> Target {
    .target(
        name: folder + "Simulator",
        dependencies: [
            "SimulatorKit", .target(name: folder + "Provider"), "ReconClock", "ReconCore", "ReconBills", "ReconProviders",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
        ] + extra,
        path: "Sources/Providers/\(folder)/Simulator")
}

let package = Package(
    name: "order-recon",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "order-recon", targets: ["order-recon"]),
        .executable(name: "recon-bench", targets: ["recon-bench"]),
        .executable(name: "provider-sim", targets: ["provider-sim"]),
        .executable(name: "query-bench", targets: ["query-bench"]),
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
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        // System libraries. Debian's libcsv-dev ships no pkg-config file, so CCSV names none.
        .systemLibrary(name: "CCSV", providers: [.apt(["libcsv-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlibSystem", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // libpq's header only: the library is loaded when a PostgreSQL database is first opened
        // (Sources/CLibPQ/shim.h), so no pkg-config entry adds -lpq to the link.
        .systemLibrary(name: "CLibPQ", providers: [.apt(["libpq-dev"])]),

        // A cache prefetch hint for the core's hash tables; computation only.
        .target(name: "CPrefetch"),

        // Memory mappings that grow by moving their pages (mremap), for the core's large columns.
        .target(name: "CColumnMemory"),
        // Starts writing a file's bytes to disk without waiting (sync_file_range), for the large reports.
        .target(name: "CWriteback"),

        // The pure core: money, orders, bill entries, day windows, the matcher. No I/O.
        .target(name: "ReconCore", dependencies: ["CPrefetch", "CColumnMemory"]),
        // The one clock type, handed down from the assembly point.
        .target(name: "ReconClock"),

        // Adapters at the edges.
        .target(
            name: "ReconStore",
            dependencies: ["ReconCore", "CSQLite", "CLibPQ", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "ReconBills",
            dependencies: [
                "ReconCore", "CCSV", "CZlibSystem", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .target(
            name: "ReconReports",
            dependencies: [
                "ReconCore", "CWriteback", .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .target(
            name: "ReconProviders",
            dependencies: [
                "ReconClock", "ReconCore", "ReconBills",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The providers, one folder each under Sources/Providers: the provider's plug-in (profile,
        // catalogs, bill formats, client, configuration) and its simulator routes. ProviderPlugins
        // lists the plug-ins and ProviderSimulator the simulated providers, one line each.
        providerTarget("WeChatPay", [
            .product(name: "CryptoExtras", package: "swift-crypto"), .product(name: "X509", package: "swift-certificates"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
        ]),
        providerTarget("Gateway"),
        providerTarget("Alipay", [.product(name: "CryptoExtras", package: "swift-crypto")]),
        .target(name: "WalletGatewayProvider", dependencies: ["ReconCore", "ReconProviders"], path: "Sources/Providers/WalletGateway"),
        .target(
            name: "ProviderPlugins",
            dependencies: [
                "ReconCore", "ReconBills", "ReconProviders", "WeChatPayProvider", "GatewayProvider", "AlipayProvider",
                "WalletGatewayProvider",
            ],
            path: "Sources/Providers/Registry"
        ),

        // The local provider simulator, as libraries so tests can run it in-process on loopback:
        // the shared server, scenario and faults, each provider's routes, and the list of them.
        .target(
            name: "SimulatorKit",
            dependencies: [
                "ReconClock", "ReconCore", "ReconBills", "ReconStore", "ReconProviders",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        simulatorTarget("WeChatPay", [
            .product(name: "CryptoExtras", package: "swift-crypto"), .product(name: "X509", package: "swift-certificates"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
        ]),
        simulatorTarget("Gateway"),
        simulatorTarget("Alipay", [.product(name: "CryptoExtras", package: "swift-crypto")]),
        .target(
            name: "ProviderSimulator",
            dependencies: [
                "SimulatorKit", "WeChatPaySimulator", "GatewaySimulator", "AlipaySimulator", "ReconClock", "ReconCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The job: configuration, planning and one run, wired from the adapters.
        .target(
            name: "ReconJob",
            dependencies: [
                "ReconClock", "ReconCore", "ReconStore", "ReconBills", "ReconReports", "ReconProviders", "ProviderPlugins",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        // Thin executables.
        .executableTarget(
            name: "order-recon",
            dependencies: [
                "ReconClock", "ReconCore", "ReconJob", "ReconStore", "ReconReports", "ReconBills",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "provider-sim",
            dependencies: [
                "ProviderSimulator", "SimulatorKit", "WeChatPaySimulator", "GatewaySimulator", "AlipaySimulator", "ReconClock", "ReconCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "query-bench",
            dependencies: [
                "ReconClock", "ProviderSimulator", "SimulatorKit", "WeChatPaySimulator", "GatewaySimulator", "AlipaySimulator", "ProviderPlugins", "ReconProviders", "ReconCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The bill readers' fuzz target: libFuzzer with -sanitize=fuzzer -DFUZZING, else a replayer.
        .executableTarget(name: "bill-fuzz", dependencies: ["ReconBills", "ReconCore", "ProviderPlugins"]),
        // The benchmark's generated day, which the tests also reconcile.
        .target(name: "BenchData", dependencies: ["ReconCore", "ReconStore", "WeChatPayProvider"]),
        .executableTarget(
            name: "recon-bench",
            dependencies: [
                "BenchData", "ReconClock", "ReconCore", "ReconStore", "ReconBills", "WeChatPayProvider",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Tests.
        .target(
            name: "ReconTestSupport",
            dependencies: ["BenchData", "ReconClock", "ReconCore", "ReconStore", "WeChatPayProvider", "GatewayProvider"],
            path: "Tests/ReconTestSupport"
        ),
        .testTarget(name: "ReconCoreTests", dependencies: ["ProviderPlugins", "WeChatPayProvider", "GatewayProvider", "AlipayProvider", "WalletGatewayProvider", "ReconCore", "ReconTestSupport"]),
        .testTarget(name: "ProviderDocsTests", dependencies: ["ProviderPlugins", "WeChatPayProvider", "GatewayProvider", "AlipayProvider", "WalletGatewayProvider", "ReconCore", "ReconTestSupport"]),
        .testTarget(name: "ReconStoreTests", dependencies: ["ProviderPlugins", "WeChatPayProvider", "GatewayProvider", "AlipayProvider", "WalletGatewayProvider", "ReconCore", "ReconStore", "ReconTestSupport", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "ReconBillsTests", dependencies: ["ProviderPlugins", "WeChatPayProvider", "GatewayProvider", "AlipayProvider", "WalletGatewayProvider", "ReconCore", "ReconBills", "ReconTestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "ReconReportsTests", dependencies: ["ProviderPlugins", "WeChatPayProvider", "GatewayProvider", "AlipayProvider", "WalletGatewayProvider", "ReconCore", "ReconReports", "ReconTestSupport", .product(name: "Mustache", package: "swift-mustache")]),
        .target(
            name: "ProviderTestSupport",
            dependencies: [
                "ReconClock", "ReconCore", "ReconProviders", "ProviderSimulator", "SimulatorKit", "WeChatPaySimulator", "GatewaySimulator", "AlipaySimulator", "ReconTestSupport",
                "WeChatPayProvider", "GatewayProvider", "ProviderPlugins",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/ProviderTestSupport"
        ),
        .testTarget(
            name: "ReconProvidersTests",
            dependencies: [
                "ReconClock", "ReconCore", "ReconBills", "ReconStore", "ReconProviders", "ProviderSimulator", "SimulatorKit", "WeChatPaySimulator", "GatewaySimulator", "AlipaySimulator",
                "ProviderPlugins", "WeChatPayProvider", "GatewayProvider", "AlipayProvider", "WalletGatewayProvider",
                "ProviderTestSupport", "ReconTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "ReconJobTests",
            dependencies: [
                "BenchData", "ReconClock", "ReconCore", "ReconJob", "ReconStore", "ReconReports", "ReconBills", "ReconProviders",
                "ProviderSimulator", "SimulatorKit", "WeChatPaySimulator", "GatewaySimulator", "AlipaySimulator", "ProviderPlugins", "WeChatPayProvider", "GatewayProvider", "AlipayProvider", "WalletGatewayProvider", "ProviderTestSupport", "ReconTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(
            name: "OrderReconCLITests",
            dependencies: [.target(name: "order-recon"), .target(name: "provider-sim"), "ReconTestSupport"]
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
