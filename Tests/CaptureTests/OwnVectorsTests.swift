import Foundation
import Testing
@testable import Capture

/// The project's own captures (`Tests/Vectors`, made by `Tests/Vectors/make-captures.sh`
/// from iked's `--keylog` and cross-checked there against tshark's decryption):
/// `ikectl decode --keys NAME.keys --json NAME.pcap`, run through the same library entry
/// point as ikectl (`DecodeCommand.run`), still prints `NAME.expected.jsonl`.
@Suite struct OwnVectorsTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Vectors")

    /// Every `Tests/Vectors/*.pcap`, without the extension.
    static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".pcap") }.map { String($0.dropLast(5)) }.sorted()
    }()

    static func path(_ name: String, _ ext: String) -> String {
        folder.appendingPathComponent(name + ext).path
    }

    /// `decode --json` through `DecodeCommand.run`, as `ikectl decode` runs it.
    static func decode(_ name: String, keysPath: String) -> (Int32, [String], [String]) {
        var lines = [String](), diagnostics = [String]()
        let status = DecodeCommand.run(
            .init(keysPath: keysPath, json: true, captures: [path(name, ".pcap")]),
            output: { lines.append($0) }, diagnostic: { diagnostics.append($0) })
        return (status, lines, diagnostics)
    }

    static func parse(_ lines: [String]) throws -> [[String: Any]] {
        try lines.filter { !$0.isEmpty }.map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    /// Differences both ways, so a member missing on either side counts; `error` texts
    /// (only presence-checked by JSONDiff) must not occur in these clean exchanges.
    static func differences(_ expected: [[String: Any]], _ actual: [[String: Any]]) -> [String] {
        var out = expected.count == actual.count ? []
            : ["\(expected.count) frames expected, got \(actual.count)"]
        for (e, a) in zip(expected, actual) {
            let frame = e["frame"] as? Int ?? 0
            out += JSONDiff.differences(e, a, path: "frame \(frame)")
            out += JSONDiff.differences(a, e, path: "frame \(frame) (extra in ours)")
        }
        return out
    }

    @Test func theThreeVectorsArePresent() {
        #expect(Self.names == ["iked-iked-btns", "iked-strongswan-cbc", "iked-strongswan-psk"])
        for name in Self.names {
            for ext in [".keys", ".expected.jsonl", ".tshark.txt"] {
                #expect(FileManager.default.fileExists(atPath: Self.path(name, ext)), "\(name)\(ext)")
            }
        }
    }

    @Test(arguments: names)
    func decodeWithKeysPrintsTheExpectedJSONLines(_ name: String) throws {
        let (status, lines, diagnostics) = Self.decode(name, keysPath: Self.path(name, ".keys"))
        #expect(status == 0)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let expectedText = try String(contentsOfFile: Self.path(name, ".expected.jsonl"), encoding: .utf8)
        let expected = try Self.parse(expectedText.components(separatedBy: "\n"))
        let actual = try Self.parse(lines)
        #expect(expected.count > 0, "\(name): no frames expected")
        let diffs = Self.differences(expected, actual)
        #expect(diffs.isEmpty, "\(name):\n\(diffs.prefix(40).joined(separator: "\n"))")
    }

    @Test(arguments: names)
    func everySKPayloadDecryptsWithAValidICV(_ name: String) throws {
        let (_, lines, _) = Self.decode(name, keysPath: Self.path(name, ".keys"))
        let frames = try Self.parse(lines)
        let protected = frames.filter { f in
            let payloads = (f["ike"] as? [String: Any])?["payloads"] as? [[String: Any]] ?? []
            return payloads.contains { $0["type"] as? Int == 46 }
        }
        // IKE_AUTH request and response, INFORMATIONAL request and response at least
        #expect(protected.count >= 4, "\(name): \(protected.count) frames with SK")
        for f in protected {
            let decrypted = f["decrypted"] as? [String: Any]
            #expect(decrypted?["icv_valid"] as? Bool == true, "\(name) frame \(f["frame"] ?? "?")")
            #expect(f["errors"] == nil, "\(name) frame \(f["frame"] ?? "?"): \(f["errors"] ?? "")")
        }
        let inner = protected.compactMap { f -> [String]? in
            let d = f["decrypted"] as? [String: Any]
            return (d?["inner_payloads"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        }
        #expect(inner.contains { ["IDi", "AUTH", "SA", "TSi", "TSr"].allSatisfy($0.contains) })
        #expect(inner.contains { ["IDr", "AUTH", "SA", "TSi", "TSr"].allSatisfy($0.contains) })
    }

    /// The comparison can fail: with one key octet changed the output differs.
    @Test(arguments: names)
    func aWrongKeyChangesTheOutput(_ name: String) throws {
        let table = try String(contentsOfFile: Self.path(name, ".keys"), encoding: .utf8)
        var fields = table.trimmingCharacters(in: .whitespacesAndNewlines)
            .components(separatedBy: ",")
        try #require(fields.count == 8)
        fields[2] = (fields[2].hasPrefix("0") ? "1" : "0") + fields[2].dropFirst()  // SK_ei
        let wrong = FileManager.default.temporaryDirectory
            .appendingPathComponent("own-vectors-\(UUID().uuidString).keys")
        try fields.joined(separator: ",").write(to: wrong, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: wrong) }

        let (_, lines, _) = Self.decode(name, keysPath: wrong.path)
        let expectedText = try String(contentsOfFile: Self.path(name, ".expected.jsonl"), encoding: .utf8)
        let expected = try Self.parse(expectedText.components(separatedBy: "\n"))
        #expect(!Self.differences(expected, try Self.parse(lines)).isEmpty)
    }
}
