import Foundation
@testable import Daemon
import IKEv2

/// Paths and helpers shared by the daemon tests.
enum TestSupport {
    /// The repository checkout (this file is Tests/DaemonTests/TestSupport.swift).
    static let repo: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var labDir: String { repo + "/examples/lab" }
    static var sharedKeys: String { repo + "/../shared/interop/strongswan" }

    /// True once the crypto branch's real `PrivateKey(pem:)` is in this build.
    static let cryptoReady: Bool = {
        guard let text = try? KeyFiles.read(sharedKeys + "/a/swanctl/private/a.key") else {
            return false
        }
        return (try? Keys.privateKey(pem: text)) != nil
    }()

    static func parse(_ text: String) throws(ConfigError) -> DaemonConfig {
        try DaemonConfig.parse(text: text, file: "test.conf", baseDirectory: sharedKeys)
    }

    /// The diagnostics of a configuration expected to fail.
    static func errors(_ text: String) -> [ConfigDiagnostic] {
        do {
            _ = try parse(text)
            return []
        } catch {
            return error.errors
        }
    }

    static let pskConnection = """
        connection psk {
            local-address 10.99.0.1
            remote-address 10.99.0.2
            local-id fqdn:a-psk.lab.test
            remote-id fqdn:b-psk.lab.test
            local-auth psk
            remote-auth psk
            psk "interop-lab-preshared-key-0123456789"
            local-ts 10.99.1.1/32
            remote-ts 10.99.2.1/32
        }
        """
}
