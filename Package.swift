// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "ClashLedger",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "LedgerLog", targets: ["LedgerLog"]),
        .library(name: "LedgerPostgres", targets: ["LedgerPostgres"]),
        .library(name: "ClashCore", targets: ["ClashCore"]),
        .library(name: "EventSchemas", targets: ["EventSchemas"]),
        .library(name: "Transport", targets: ["Transport"]),
        .library(name: "Market", targets: ["Market"]),
        .library(name: "Projections", targets: ["Projections"]),
        .library(name: "Domain", targets: ["Domain"]),
        .library(name: "Runtime", targets: ["Runtime"]),
        .library(name: "Transparency", targets: ["Transparency"]),
        .library(name: "Audit", targets: ["Audit"]),
        .library(name: "Clash", targets: ["Clash"]),
        .library(name: "ClashTesting", targets: ["ClashTesting"]),
        .executable(name: "clash", targets: ["ClashCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLZ4",
            path: "Sources/CLZ4",
            pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            path: "Sources/CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CSecp256k1",
            path: "Sources/CSecp256k1",
            pkgConfig: "libsecp256k1",
            providers: [.apt(["libsecp256k1-dev"])]
        ),
        .target(
            name: "SignIn",
            dependencies: ["CSecp256k1", "ClashCore", "Canonical", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(name: "CCRC32C"),
        .target(
            name: "LedgerLog",
            dependencies: [
                "Canonical",
                "CCRC32C",
                "CLZ4",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "LedgerPostgres",
            dependencies: [
                "Canonical",
                "LedgerLog",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Migrations")]
        ),
        .target(name: "ClashCore", dependencies: ["Canonical"]),
        .target(
            name: "Canonical",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(name: "Transport", dependencies: ["CCurl"]),
        .target(
            name: "EventSchemas",
            dependencies: ["ClashCore", "Canonical"],
            path: "EventSchemas",
            exclude: ["README.md"],
            resources: [.copy("schemas"), .copy("documents")]
        ),
        .target(
            name: "Domain",
            dependencies: ["ClashCore", "Canonical", "EventSchemas"]
        ),
        .target(
            name: "Runtime",
            dependencies: [
                "ClashCore", "Domain", "EventSchemas", "LedgerLog", "Projections", "Transparency", "Transport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "Market",
            dependencies: ["ClashCore", "EventSchemas", "LedgerLog", "Transport"],
            resources: [.copy("Resources/categories.json")]
        ),
        .target(
            name: "Projections",
            dependencies: [
                "ClashCore",
                "Domain",
                "EventSchemas",
                "LedgerLog",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Projections",
            exclude: ["README.md"],
            resources: [
                .process("EventIndex/event_index.sql"),
                .process("MarketTicks/market_ticks.sql"),
                .process("MarketMemory/market_memory.sql"),
                .process("Clones/clones.sql"),
                .process("Trading/trading.sql"),
                .process("Arena/arena.sql"),
            ]
        ),
        .target(
            name: "Transparency",
            dependencies: ["LedgerLog", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "Audit",
            dependencies: ["ClashCore", "Domain", "EventSchemas", "LedgerLog", "Runtime", "Transparency"]
        ),
        .target(
            name: "Clash",
            dependencies: ["Audit", "ClashCore", "Domain", "EventSchemas", "LedgerLog", "LedgerPostgres", "Market", "Projections", "Runtime", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "ClashTesting",
            dependencies: ["Clash", "LedgerLog", "Projections"]
        ),
        .target(
            name: "ClashServer",
            dependencies: ["Audit", "Clash", "SignIn", "Transparency", .product(name: "Crypto", package: "swift-crypto"), .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdCore", package: "hummingbird"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "Prometheus", package: "swift-prometheus")],
            resources: [.copy("Resources/openapi.yaml"), .copy("Resources/web")]
        ),
        .executableTarget(
            name: "ClashCLI",
            dependencies: [
                "Audit",
                "Transparency",
                "Clash",
                "ClashServer",
                "ClashTesting",
                "SignIn",
                "Domain",
                "LedgerPostgres",
                "EventSchemas",
                "Market",
                "Runtime",
                "LedgerLog",
                "Projections",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "LedgerLogTests",
            dependencies: ["LedgerLog", "LedgerPostgres"]
        ),
        .testTarget(
            name: "EventSchemasTests",
            dependencies: ["EventSchemas", "ClashCore", "LedgerLog"]
        ),
        .testTarget(
            name: "MarketTests",
            dependencies: ["Market", "EventSchemas", "LedgerLog", "ClashTesting"]
        ),
        .testTarget(
            name: "ProjectionsTests",
            dependencies: ["Projections", "LedgerLog", "Market", "EventSchemas", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "EmbeddingTests",
            dependencies: ["Clash", "ClashTesting", "Market", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "DomainTests",
            dependencies: ["Domain", "EventSchemas", "ClashCore"]
        ),
        .testTarget(
            name: "RuntimeTests",
            dependencies: ["Runtime", "Domain", "Clash", "ClashTesting", "Market", "Projections", "EventSchemas", "LedgerLog", "Transport",
                           .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "AuditTests",
            dependencies: ["Audit", "Runtime", "Domain", "Clash", "ClashTesting", "Market", "EventSchemas", "LedgerLog", "Transparency"]
        ),
        .testTarget(
            name: "TransparencyTests",
            dependencies: ["Transparency", "LedgerLog"]
        ),
        .testTarget(
            name: "SignInTests",
            dependencies: ["SignIn", "ClashCore", "Canonical"]
        ),
        .testTarget(
            name: "ClashCLITests",
            // The executable itself: building the tests builds the `clash` they run, never a stale one.
            dependencies: ["ClashCLI", "LedgerLog", "ClashTesting", "Transport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ]
)
