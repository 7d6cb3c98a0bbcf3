import Foundation
import Testing
@testable import Capture

/// `decode --json` against every `captures/*/expected.json`, field by field.
///
/// Key tables are built from what each folder publishes: Wireshark's rows (as recorded in
/// expected.json, with the real CCM keys `aes_ccm_keys` for aes128ccm12-2), tcpdump's
/// ikev2pI2-secrets.txt, and packetgen's initiator keys.
@Suite struct ExpectedJSONTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var capture: String
        /// Folder-level expected.json and, for the folders keyed by capture name, the key.
        var expected: String
        var key: String?
        var keyTable: String?
        var testDescription: String { capture }
    }

    static let cases: [Case] = {
        var cases = [Case]()
        let wireshark = (try? Vectors.json("wireshark/expected.json")) as? [String: Any]
        let captures = wireshark?["captures"] as? [String: [String: Any]] ?? [:]
        for (name, c) in captures.sorted(by: { $0.key < $1.key }) {
            cases.append(Case(capture: "wireshark/" + name, expected: "wireshark/expected.json",
                              key: name, keyTable: wiresharkRow(c)))
        }
        for name in ["ikev2four.pcap", "ikev2pI2.pcap", "ikev2-id-normal.pcap",
                     "ikev2-id-short.pcap", "ikev2pI2-segfault.pcapng"] {
            cases.append(Case(capture: "tcpdump/" + name, expected: "tcpdump/expected.json",
                              key: name, keyTable: name == "ikev2pI2.pcap" ? pI2Keys() : nil))
        }
        cases.append(Case(capture: "suricata/IKEv2_SA_INIT_2-8-weak.pcap",
                          expected: "suricata/expected.json"))
        cases.append(Case(capture: "scapy/ikev2_nat_t.pcapng", expected: "scapy/expected.json"))
        cases.append(Case(capture: "packetgen/ikev2_cbc_hmac.pcapng",
                          expected: "packetgen/expected.json", keyTable: packetgenKeys()))
        return cases
    }()

    /// One CSV row from expected.json's `key_table_row`; CCM captures use `aes_ccm_keys`.
    static func wiresharkRow(_ c: [String: Any]) -> String {
        let r = c["key_table_row"] as? [String: String] ?? [:]
        var encr = r["encryption_algorithm"] ?? "", integ = r["integrity_algorithm"] ?? ""
        var ei = r["sk_ei"] ?? "", er = r["sk_er"] ?? ""
        if let ccm = c["aes_ccm_keys"] as? [String: String] {
            ei = ccm["sk_ei"] ?? ""
            er = ccm["sk_er"] ?? ""
            encr = "AES-CCM-128 with 12 octet ICV [RFC5282]"
            integ = "NONE [RFC4306]"
        }
        return [r["initiator_spi"] ?? "", r["responder_spi"] ?? "", ei, er, "\"\(encr)\"",
                r["sk_ai"] ?? "", r["sk_ar"] ?? "", "\"\(integ)\""].joined(separator: ",")
    }

    /// tcpdump's `-E` secrets (`ikev2 I|R SPIi SPIr sha1:0x.. aes128:0x..`) as one row.
    static func pI2Keys() -> String? {
        guard let text = try? Vectors.text("tcpdump/ikev2pI2-secrets.txt") else { return nil }
        var e = [String: String](), a = [String: String](), spis = ("", "")
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ").map(String.init)
            guard f.count == 6, f[0] == "ikev2" else { continue }
            spis = (String(f[2].dropFirst(2)), String(f[3].dropFirst(2)))
            a[f[1]] = String(f[4].dropFirst("sha1:0x".count))
            e[f[1]] = String(f[5].dropFirst("aes128:0x".count))
        }
        return "\(spis.0),\(spis.1),\(e["I"] ?? ""),\(e["R"] ?? ""),\"AES-CBC-128 [RFC3602]\","
            + "\(a["I"] ?? ""),\(a["R"] ?? ""),\"HMAC_SHA1_96 [RFC2404]\""
    }

    /// packetgen publishes only the initiator's keys; SK_er/SK_ar stay empty.
    static func packetgenKeys() -> String? {
        guard let p = try? Vectors.json("packetgen/expected.json") as? [String: Any],
              let keys = p["keys"] as? [String: String],
              let frames = p["frames"] as? [[String: Any]],
              let ike = frames.first?["ike"] as? [String: Any],
              let spiI = ike["ispi"] as? String,
              let second = frames.dropFirst().first?["ike"] as? [String: Any],
              let spiR = second["rspi"] as? String
        else { return nil }
        return "\(spiI),\(spiR),\(keys["sk_ei"] ?? ""),,\"AES-CBC-128 [RFC3602]\","
            + "\(keys["sk_ai"] ?? ""),,\"HMAC_SHA2_256_128 [RFC4868]\""
    }

    static func expectedFrames(_ c: Case) throws -> [[String: Any]] {
        let json = try Vectors.json(c.expected)
        if let list = json as? [[String: Any]] { return list }
        let object = try #require(json as? [String: Any])
        if let frames = object["frames"] as? [[String: Any]] { return frames }
        if let captures = object["captures"] as? [String: Any],
           let one = captures[c.key ?? ""] as? [String: Any] {
            return try #require(one["frames"] as? [[String: Any]])
        }
        return try #require(object[c.key ?? ""] as? [[String: Any]])
    }

    @Test(arguments: cases)
    func decodeJSONAgreesWithEveryFieldOfExpectedJSON(_ c: Case) throws {
        let keys = try c.keyTable.map { try KeyTable(csv: $0) }
        let expected = try Self.expectedFrames(c)
        let actual = try Vectors.decodeJSON(c.capture, keys: keys)
        #expect(actual.count == expected.count, "\(c.capture): frame count")
        for (e, a) in zip(expected, actual) {
            let frame = e["frame"] as? Int ?? 0
            var e = e
            // Decryption the current crypto cannot do yet is a known, named gap.
            if e["decrypted"] != nil, a["decrypted"] == nil,
               let why = a["decrypt_error"] as? String, why.hasPrefix("unsupported algorithm") {
                withKnownIssue("\(c.capture) frame \(frame): \(why)") {
                    Issue.record("not decrypted: \(why)")
                }
                e["decrypted"] = nil
            }
            let diffs = JSONDiff.differences(e, a, path: "frame \(frame)")
            #expect(diffs.isEmpty, "\(c.capture):\n\(diffs.joined(separator: "\n"))")
        }
    }

    @Test func everySKPayloadOfTheWiresharkCapturesVerifies() throws {
        for c in Self.cases where c.capture.hasPrefix("wireshark/") {
            let keys = try KeyTable(csv: try #require(c.keyTable))
            for r in try Vectors.decode(c.capture, keys: keys) where r.ike?.nextPayload == 46 {
                #expect(r.decrypted?.icvValid == true, "\(c.capture) frame \(r.number)")
                #expect(r.errors.isEmpty, "\(c.capture) frame \(r.number): \(r.errors)")
            }
        }
    }

    @Test func keyTablesWithCRLFLineEndsReadLikeLF() throws {
        let lf = try Vectors.text("wireshark/ikev2_decryption_table")
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try KeyTable(csv: crlf).rows.count == KeyTable(csv: lf).rows.count)
        #expect(try KeyTable(csv: lf).rows.count > 1)
    }

    @Test func wiresharksOwnTableDecryptsEveryCaptureIncludingTheCTRTrickForCCM() throws {
        let table = try KeyTable(csv: try Vectors.text("wireshark/ikev2_decryption_table"))
        let wireshark = try #require(try Vectors.json("wireshark/expected.json") as? [String: Any])
        let captures = try #require(wireshark["captures"] as? [String: [String: Any]])
        for (name, c) in captures {
            let reports = try Vectors.decode("wireshark/" + name, keys: table)
            let auth = try #require(c["wireshark_test_expects_auth_data"] as? String)
            let found = reports.contains { r in
                r.decrypted?.innerPayloads.contains {
                    if case .auth(let a)? = $0.decoded { return a.data.hex == auth }
                    return false
                } ?? false
            }
            #expect(found, "\(name): AUTH data \(auth) not among the decrypted payloads")
            if name == "ikev2-decrypt-aes128ccm12-2.pcap" {
                // "ANY 96-bits of Authentication [No Checking]": stripped, not verified.
                #expect(reports.compactMap(\.decrypted).allSatisfy { $0.icvValid == nil })
            }
        }
    }

    @Test func packetgenFrame4HasNoResponderKeysAndSaysSo() throws {
        let keys = try KeyTable(csv: try #require(Self.packetgenKeys()))
        let frames = try Vectors.decode("packetgen/ikev2_cbc_hmac.pcapng", keys: keys)
        #expect(frames[3].decrypted == nil)
        #expect(frames[3].decryptError?.contains("SK_er") == true)
    }

    @Test func tcpdumpPI2DecryptsButItsICVIsReportedBad() throws {
        let keys = try KeyTable(csv: try #require(Self.pI2Keys()))
        let frames = try Vectors.decode("tcpdump/ikev2pI2.pcap", keys: keys)
        #expect(frames[1].decrypted?.icvValid == false)
        #expect(frames[1].decrypted?.innerPayloads.count == 2)
        #expect(frames[1].errors.contains { $0.contains("ICV check failed") })
    }
}
