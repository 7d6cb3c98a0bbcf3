import Foundation
@testable import IKEv2

/// Helpers for the Crypto tests: hex, and the shared third-party vector folder.
enum CryptoTestSupport {
    /// `<repo>/../shared`: the repo root is three levels above this file.
    static func sharedPath(_ relative: String, file: String = #filePath) -> String {
        var url = URL(fileURLWithPath: file)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.deletingLastPathComponent().appendingPathComponent("shared")
            .appendingPathComponent(relative).path
    }

    static func read(_ relative: String) throws -> String {
        try String(contentsOfFile: sharedPath(relative), encoding: .utf8)
    }
}

/// Hex digits to octets (whitespace and backslash-newlines ignored); traps on odd length.
func unhex(_ hex: String) -> [UInt8] {
    do {
        var out = [UInt8]()
        out.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8?
        for c in hex.utf8 {
            let v: UInt8
            switch c {
            case 48...57: v = c - 48
            case 97...102: v = c - 87
            case 65...70: v = c - 55
            default: continue
            }
            if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
        }
        precondition(high == nil, "odd hex length")
        return out
    }
}
