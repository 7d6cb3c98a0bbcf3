import Foundation
import Testing
@testable import IKEv2

/// Bookkeeping for a run over a third-party vector file: every vector is either run
/// (and then passes or is listed as a failure) or skipped with a recorded reason.
struct VectorTally: CustomStringConvertible {
    var run = 0
    var skipped: [String: Int] = [:]
    var failures: [String] = []

    mutating func skip(_ reason: String) { skipped[reason, default: 0] += 1 }

    mutating func check(_ ok: Bool, _ id: @autoclosure () -> String) {
        run += 1
        if !ok { failures.append(id()) }
    }

    var skippedCount: Int { skipped.values.reduce(0, +) }

    var description: String {
        "run \(run), skipped \(skippedCount) \(skipped), failures \(failures.prefix(20))"
    }

    /// The checks every vector test ends with: something ran, nothing failed, and run +
    /// documented skips account for all `total` vectors in the file.
    func expectComplete(total: Int, skips expectedSkips: Int,
                        sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run > 0, "\(self)", sourceLocation: sourceLocation)
        #expect(failures.isEmpty, "\(self)", sourceLocation: sourceLocation)
        #expect(skippedCount == expectedSkips, "\(self)", sourceLocation: sourceLocation)
        #expect(run == total - expectedSkips, "\(self)", sourceLocation: sourceLocation)
    }
}

enum Vectors {
    static func json(_ relative: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath:
            CryptoTestSupport.sharedPath("vectors/crypto/" + relative)))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    /// A Wycheproof file: its numberOfTests and its groups.
    static func wycheproof(_ name: String) throws -> (total: Int, groups: [[String: Any]]) {
        let j = try json("wycheproof/" + name)
        return (j["numberOfTests"] as? Int ?? -1, j["testGroups"] as? [[String: Any]] ?? [])
    }

    /// NIST-style `KEY = value` records of a pyca text file, one dictionary per record
    /// (a record ends at a blank line); keys are upper-cased.
    static func records(_ name: String) throws -> [[String: String]] {
        let text = try CryptoTestSupport.read("vectors/crypto/pyca/" + name)
        var out = [[String: String]]()
        var current = [String: String]()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let l = line.trimmingCharacters(in: .whitespaces)
            if l.isEmpty {
                if !current.isEmpty { out.append(current); current = [:] }
                continue
            }
            if l.hasPrefix("#") || l.hasPrefix("[") { continue }
            let parts = l.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            current[parts[0].trimmingCharacters(in: .whitespaces).uppercased()] =
                parts[1].trimmingCharacters(in: .whitespaces)
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}

extension Dictionary where Key == String, Value == Any {
    /// Hex field as octets ("" when absent).
    func hex(_ key: String) -> [UInt8] { unhex(self[key] as? String ?? "") }
    func int(_ key: String) -> Int { self[key] as? Int ?? -1 }
    func string(_ key: String) -> String { self[key] as? String ?? "" }
}
