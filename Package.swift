// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Latchkey",
    products: [
        .library(name: "IKEv2", targets: ["IKEv2"]),
        .library(name: "BTNSAuth", targets: ["BTNSAuth"]),
        .library(name: "Capture", targets: ["Capture"]),
        .executable(name: "iked", targets: ["iked"]),
        .executable(name: "ikectl", targets: ["ikectl"]),
    ],
    targets: [
        // System libraries: only Crypto (and the pin store, for SQLite) import these.
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // Wrappers for C macros and variadic functions Swift cannot import.
        .target(name: "CShim", dependencies: ["COpenSSL"]),

        // Wire, Crypto, Exchange and Transport: the protocol engine.
        .target(name: "IKEv2", dependencies: ["COpenSSL", "CSodium", "CShim"]),
        // PAD and its two walks, pin store, traffic selector arithmetic.
        .target(name: "BTNSAuth", dependencies: ["IKEv2", "CSQLite"]),
        // pcap/pcapng reading, IKE frame decoding and decryption for `ikectl decode`.
        .target(name: "Capture", dependencies: ["IKEv2"]),
        // Configuration, SA database, control protocol and the driver that runs exchanges.
        .target(name: "Daemon", dependencies: ["IKEv2", "BTNSAuth", "Capture", "CShim"]),
        .executableTarget(name: "iked", dependencies: ["Daemon"]),
        .executableTarget(name: "ikectl", dependencies: ["Daemon", "IKEv2"]),
        // Engine handshake rate and memory per IKE SA (scripts/bench.sh).
        .executableTarget(name: "latchkey-bench", dependencies: ["IKEv2"]),

        .testTarget(name: "IKEv2Tests", dependencies: ["IKEv2", "Capture"]),
        .testTarget(name: "BTNSAuthTests", dependencies: ["BTNSAuth", "IKEv2"]),
        .testTarget(name: "CaptureTests", dependencies: ["Capture", "IKEv2"]),
        .testTarget(name: "DaemonTests", dependencies: ["Daemon", "BTNSAuth", "IKEv2"]),
    ]
)
