import Foundation
import Testing
@testable import IKEv2

/// Opens SK payloads of third-party captures (Wireshark's decryption tests, packetgen)
/// with their published keys; the expected plaintexts come from shared/vectors.
@Suite struct CryptoCaptureTests {
    /// UDP payloads of the IPv4/Ethernet frames of a pcap or little-endian pcapng file.
    static func udpPayloads(_ path: String) throws -> [[UInt8]] {
        let file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        func u32(_ i: Int) -> Int {
            Int(file[i]) | Int(file[i + 1]) << 8 | Int(file[i + 2]) << 16 | Int(file[i + 3]) << 24
        }
        var frames = [[UInt8]]()
        if Array(file[0..<4]) == [0xd4, 0xc3, 0xb2, 0xa1] {            // pcap, LE
            var i = 24
            while i + 16 <= file.count {
                let caplen = u32(i + 8)
                frames.append(Array(file[i + 16..<i + 16 + caplen]))
                i += 16 + caplen
            }
        } else if Array(file[0..<4]) == [0x0a, 0x0d, 0x0d, 0x0a] {     // pcapng
            var i = 0
            while i + 12 <= file.count {
                let type = u32(i), length = u32(i + 4)
                if type == 6 {
                    let caplen = u32(i + 20)
                    frames.append(Array(file[i + 28..<i + 28 + caplen]))
                }
                i += length
            }
        }
        return frames.map { f -> [UInt8] in
            var ip = 14
            if f[12] == 0x81 && f[13] == 0x00 { ip += 4 }
            guard f[ip] >> 4 == 4, f[ip + 9] == 17 else { return [] }
            let udp = ip + Int(f[ip] & 0x0f) * 4
            let udpLength = Int(f[udp + 4]) << 8 | Int(f[udp + 5])
            return Array(f[udp + 8..<udp + udpLength])
        }
    }

    static func keys(_ row: [String: Any], _ suite: EncryptionSuite) -> IKESAKeys {
        func key(_ name: String, _ length: Int) -> SecretBytes {
            let k = unhex(row[name] as? String ?? "")
            return SecretBytes(k.isEmpty ? [UInt8](repeating: 0, count: length) : k)
        }
        let e = suite.encrKeyLength, a = suite.integKeyLength
        return IKESAKeys(skD: SecretBytes(count: 0), skAi: key("sk_ai", a),
                         skAr: key("sk_ar", a), skEi: key("sk_ei", e), skEr: key("sk_er", e),
                         skPi: SecretBytes(count: 0), skPr: SecretBytes(count: 0))
    }

    /// Opens every frame with a `decrypted` expectation; returns how many matched.
    static func check(capture: String, frames expectations: [[String: Any]],
                      suite: EncryptionSuite, keys: IKESAKeys) throws -> Int {
        let payloads = try udpPayloads(CryptoTestSupport.sharedPath("vectors/captures/" + capture))
        let fromInitiator = try SKProtection(suite: suite, keys: keys, isOriginalInitiator: false)
        let fromResponder = try SKProtection(suite: suite, keys: keys, isOriginalInitiator: true)
        var matched = 0
        for frame in expectations {
            guard let decrypted = frame["decrypted"] as? [String: Any],
                  let n = frame["frame"] as? Int, let ike = frame["ike"] as? [String: Any],
                  let flags = ike["flags"] as? Int,
                  let skLength = (ike["payloads"] as? [[String: Any]])?.last?["length"] as? Int,
                  let plain = decrypted["inner_plaintext"] as? String
            else { continue }
            var message = payloads[n - 1]
            if message.count >= 4, message[0..<4] == [0, 0, 0, 0] { message.removeFirst(4) }
            let opener = flags & 0x08 != 0 ? fromInitiator : fromResponder
            let opened = try opener.open(message: message, skOffset: message.count - skLength)
            #expect(opened == unhex(plain), "frame \(n) of \(capture)")
            if opened == unhex(plain) { matched += 1 }
            // And the wrong direction must fail.
            let other = opener === fromInitiator ? fromResponder : fromInitiator
            if keys.skEi != keys.skEr {
                #expect(throws: CryptoError.integrityCheckFailed) {
                    try other.open(message: message, skOffset: message.count - skLength)
                }
            }
        }
        return matched
    }

    static func json(_ relative: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: CryptoTestSupport.sharedPath(relative)))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    /// Each Wireshark capture with its suite. `keyField` names where the keys are:
    /// "key_table_row", or "aes_ccm_keys" for ikev2-decrypt-aes128ccm12-2.pcap, whose
    /// table row is Wireshark's unchecked AES-CTR trick (see the vectors README).
    @Test(arguments: [
        ("ikev2-decrypt-aes256gcm16.pcap", EncrID.aesGCM16, UInt16(256), IntegID.none, 4,
         "key_table_row"),
        ("ikev2-decrypt-aes256cbc.pcapng", EncrID.aesCBC, UInt16(256),
         IntegID.hmacSHA2_256_128, 2, "key_table_row"),
        ("ikev2-decrypt-3des-sha1_160.pcap", EncrID.des3, UInt16(192), IntegID.hmacSHA1_160, 4,
         "key_table_row"),
        ("ikev2-decrypt-aes128ccm12.pcap", EncrID.aesCCM12, UInt16(128), IntegID.none, 4,
         "key_table_row"),
        ("ikev2-decrypt-aes128ccm12-2.pcap", EncrID.aesCCM12, UInt16(128), IntegID.none, 4,
         "aes_ccm_keys"),
        ("ikev2-decrypt-aes192ctr.pcap", EncrID.aesCTR, UInt16(192), IntegID.hmacSHA2_512_256,
         4, "key_table_row"),
    ])
    func wiresharkCaptures(name: String, encr: UInt16, bits: UInt16, integ: UInt16,
                           expectedFrames: Int, keyField: String) throws {
        let captures = try Self.json("vectors/captures/wireshark/expected.json")["captures"]
            as? [String: Any]
        let capture = try #require(captures?[name] as? [String: Any])
        let row = try #require(capture[keyField] as? [String: Any])
        let frames = try #require(capture["frames"] as? [[String: Any]])
        let suite = try EncryptionSuite(encr: encr, keyBits: bits, integ: integ)
        let matched = try Self.check(capture: "wireshark/" + name, frames: frames, suite: suite,
                                     keys: Self.keys(row, suite))
        #expect(matched == expectedFrames)
        // Wireshark's own check: the AUTH data of the IKE_AUTH exchange is in a plaintext.
        let auth = unhex(capture["wireshark_test_expects_auth_data"] as? String ?? "")
        let plaintexts = frames.compactMap {
            ($0["decrypted"] as? [String: Any])?["inner_plaintext"] as? String
        }.map(unhex)
        #expect(!auth.isEmpty && plaintexts.contains { p in
            p.count >= auth.count
                && (0...(p.count - auth.count)).contains { Array(p[$0..<$0 + auth.count]) == auth }
        })
    }

    @Test func packetgenCBC() throws {
        let expected = try Self.json("vectors/captures/packetgen/expected.json")
        let row = try #require(expected["keys"] as? [String: Any])
        let frames = try #require(expected["frames"] as? [[String: Any]])
        let suite = try EncryptionSuite(encr: EncrID.aesCBC, keyBits: 128,
                                        integ: IntegID.hmacSHA2_256_128)
        // Frame 4 uses the unpublished responder keys: only frame 3 can be opened.
        let matched = try Self.check(capture: "packetgen/ikev2_cbc_hmac.pcapng",
                                     frames: frames.filter { $0["frame"] as? Int == 3 },
                                     suite: suite, keys: Self.keys(row, suite))
        #expect(matched == 1)
    }
}
