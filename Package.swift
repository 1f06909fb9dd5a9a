// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Assay",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "assay", targets: ["assay"]),
        .library(name: "ExamCore", targets: ["ExamCore"]),
        .library(name: "ExamServer", targets: ["ExamServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", exact: "2.8.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", exact: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", exact: "2.5.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", exact: "0.9.20"),
    ],
    targets: [
        // MARK: Domain (Foundation and pure libraries only; no web framework, no database)
        .target(name: "ExamCore", swiftSettings: swiftSettings),
        .target(
            name: "ExamStandards",
            dependencies: [
                "ExamCore", .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ItemBank",
            dependencies: [
                "ExamCore", "COpenSSLCrypto", .product(name: "Crypto", package: "swift-crypto"), .product(name: "Yams", package: "Yams"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PaperAssembly", dependencies: ["ExamCore", "ItemBank", .product(name: "Yams", package: "Yams")], swiftSettings: swiftSettings
        ),
        .target(
            name: "Documents",
            dependencies: [
                "ExamCore", "CQREncode", "CXLSXWriter", .product(name: "CSV", package: "CSV.swift"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Delivery", dependencies: ["ExamCore", "ItemBank", "PaperAssembly", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(name: "Scoring", dependencies: ["ExamCore", "ItemBank", "PaperAssembly", "Delivery"], swiftSettings: swiftSettings),
        .target(
            name: "Certificates",
            dependencies: ["ExamCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(name: "Reporting", dependencies: ["ExamCore", "Scoring"], swiftSettings: swiftSettings),
        .target(
            name: "Accounts",
            dependencies: ["ExamCore", "CArgon2", .product(name: "Crypto", package: "swift-crypto")],
            resources: [.copy("Resources/common-passwords.txt")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Audit",
            dependencies: ["ExamCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(name: "CArgon2", pkgConfig: "libargon2", providers: [.apt(["libargon2-dev"])]),
        .systemLibrary(name: "COpenSSLCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CQREncode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CXLSXWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),

        // MARK: Storage
        .target(
            name: "Storage",
            dependencies: [
                "ExamCore", "Accounts", "Audit", "ItemBank", "Delivery",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Migrations")],
            swiftSettings: swiftSettings
        ),

        // MARK: Server and CLI
        .target(
            name: "ExamServer",
            dependencies: [
                "ExamCore", "ExamStandards", "Accounts", "Audit", "Storage", "ItemBank", "PaperAssembly", "Documents", "Delivery", "Scoring",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "assay",
            dependencies: [
                "ExamServer", "ExamStandards", "Storage", "Accounts", "Audit", "ItemBank", "PaperAssembly",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "AssayBench",
            dependencies: [
                "ExamServer", "Storage", "Accounts", "Audit", "ItemBank", "ExamStandards", "PaperAssembly", "Documents", "Delivery", "Scoring",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            ],
            path: "bench/AssayBench",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ExamTesting",
            dependencies: [
                "ExamCore", "ExamStandards", "Storage", "ExamServer", "Accounts", "Audit", "ItemBank", "Documents",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Tests (one per library target)
        .testTarget(name: "ExamCoreTests", dependencies: ["ExamCore"], swiftSettings: swiftSettings),
        .testTarget(name: "ExamStandardsTests", dependencies: ["ExamStandards", "ExamTesting"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ItemBankTests", dependencies: ["ItemBank", "ExamStandards", "ExamTesting"], swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PaperAssemblyTests", dependencies: ["PaperAssembly", "ItemBank", "ExamStandards", "ExamTesting"], swiftSettings: swiftSettings
        ),
        .testTarget(name: "DeliveryTests", dependencies: ["Delivery", "ExamCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ScoringTests", dependencies: ["Scoring", "Delivery", "PaperAssembly", "ItemBank", "ExamCore"], swiftSettings: swiftSettings
        ),
        .testTarget(name: "DocumentsTests", dependencies: ["Documents", "ItemBank"], swiftSettings: swiftSettings),
        .testTarget(name: "AccountsTests", dependencies: ["Accounts", "ExamTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "AuditTests", dependencies: ["Audit", "Storage", "ExamTesting", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: swiftSettings),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "Audit", "Accounts", "ExamTesting"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ExamServerTests",
            dependencies: [
                "ExamServer", "ExamTesting", "Accounts", "Audit", "Storage", "ItemBank", "ExamStandards", "PaperAssembly",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
