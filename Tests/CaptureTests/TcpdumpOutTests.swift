import Foundation
import Testing
@testable import Capture
import IKEv2

/// The tcpdump captures agree with the data (not the layout) of tcpdump's `.out` files:
/// values are pulled out of the text with regular expressions and compared with decode's.
@Suite struct TcpdumpOutTests {
    /// The `.out` text split into frame blocks, keyed by frame number.
    static func blocks(_ file: String) throws -> [Int: String] {
        let text = try Vectors.text("tcpdump/" + file)
        var blocks = [Int: String](), current: Int?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let m = line.firstMatch(of: /^\s{0,4}(\d+)\s+\d{4}-\d\d-\d\d\s/) {
                current = Int(m.1)
            }
            if let n = current { blocks[n, default: ""] += line + "\n" }
        }
        return blocks
    }

    static let exchangeNames: [String: UInt8] = [
        "ikev2_init": 34, "ikev2_auth": 35, "child_sa": 36, "inf2": 37,
    ]
    /// tcpdump's transform names (print-isakmp.c tables), by type.
    static let transformIDs: [String: [String: UInt16]] = [
        "encr": ["aes": 12, "3des": 3],
        "prf": ["hmac-sha": 2, "hmac-md5": 1, "aes128_xcbc": 4],
        "integ": ["hmac-sha": 2, "hmac-md5": 1, "aes-xcbc": 5],
        "dh": ["modp1024": 2, "modp2048": 14, "modp1536": 5],
    ]
    static let transformTypes: [String: UInt8] = ["encr": 1, "prf": 2, "integ": 3, "dh": 4]

    /// Header line: message ID, SPIs, exchange and I/V/R flags.
    func checkHeader(_ block: String, _ r: FrameReport, _ ctx: String) throws {
        let m = try #require(block.firstMatch(
            of: /msgid ([0-9a-f]{8}) cookie ([0-9a-f]{16})->([0-9a-f]{16}): \w+\s+(\w+)\[([IVR]*)\]/),
            "\(ctx): no header in tcpdump text")
        let ike = try #require(r.ike, "\(ctx): no IKE decoded")
        #expect(UInt32(m.1, radix: 16) == ike.messageID, "\(ctx) message ID")
        #expect(String(m.2) == spiHex(ike.spiI) && String(m.3) == spiHex(ike.spiR), "\(ctx) SPIs")
        #expect(Self.exchangeNames[String(m.4)] == ike.exchangeType, "\(ctx) exchange \(m.4)")
        #expect(m.5.contains("I") == ike.isInitiator && m.5.contains("R") == ike.isResponse,
                "\(ctx) flags [\(m.5)]")
    }

    /// Transforms `(t: #n type=T id=I (type=keylen value=hex))`, in order.
    func checkTransforms(_ block: String, _ r: FrameReport, _ ctx: String) {
        let listed = block.matches(of: /\(t: #\d+ type=(\w+) id=([\w-]+) (?:\(type=keylen value=([0-9a-f]+)\))?/)
        let decoded = (r.ike?.payloads ?? []).flatMap { p -> [Transform] in
            guard case .sa(let sa)? = p.decoded else { return [] }
            return sa.proposals.flatMap(\.transforms)
        }
        #expect(listed.count == decoded.count, "\(ctx): transform count")
        for (t, d) in zip(listed, decoded) {
            #expect(Self.transformTypes[String(t.1)] == d.type.rawValue, "\(ctx): type \(t.1)")
            #expect(Self.transformIDs[String(t.1)]?[String(t.2)] == d.id, "\(ctx): \(t.1) \(t.2)")
            #expect(t.3.flatMap { UInt16($0, radix: 16) } == d.keyLength, "\(ctx): key length")
        }
    }

    /// Nonce lengths, KE lengths and notify types, in order.
    func checkPayloadValues(_ block: String, _ r: FrameReport, _ ctx: String) {
        let payloads = r.ike?.payloads?.compactMap(\.decoded) ?? []
        let nonces = block.matches(of: /\(nonce(?:\[C\])?: len=(\d+)/).map { Int($0.1) }
        let decodedNonces = payloads.compactMap { p -> Int? in
            if case .nonce(let n) = p { return n.data.count } else { return nil }
        }
        #expect(nonces == decodedNonces, "\(ctx): nonce lengths")
        let kes = block.matches(of: /\(v2ke: len=(\d+)/).map { Int($0.1) }
        let decodedKEs = payloads.compactMap { p -> Int? in
            if case .ke(let k) = p { return k.data.count } else { return nil }
        }
        #expect(kes == decodedKEs, "\(ctx): KE lengths")
        let notifies = block.matches(of: /\(n: prot_id=#\d+ type=(\d+)/).map { UInt16($0.1) }
        let decodedNotifies = payloads.compactMap { p -> UInt16? in
            if case .notify(let n) = p { return n.type.rawValue } else { return nil }
        }
        #expect(notifies == decodedNotifies, "\(ctx): notify types")
    }

    @Test func ikev2fourMatchesTcpdumpsVerboseText() throws {
        let reports = try Vectors.decode("tcpdump/ikev2four.pcap")
        let blocks = try Self.blocks("ikev2fourv.out")
        #expect(blocks.count == 21 && reports.count == 21)
        for r in reports {
            let block = try #require(blocks[r.number])
            let ctx = "ikev2four frame \(r.number)"
            try checkHeader(block, r, ctx)
            guard r.number <= 4 else { continue }  // later frames are encrypted
            checkTransforms(block, r, ctx)
            checkPayloadValues(block, r, ctx)
        }
        // The cookie round trip (frame 2 carries it in full).
        let cookie = try #require(blocks[2]?.firstMatch(of: /type=16390\(cookie\) data=\(([0-9a-f]+)\)/))
        let notify = reports[1].ike?.payloads?.first?.decoded
        guard case .notify(let n)? = notify else { Issue.record("frame 2 has no notify"); return }
        #expect(n.data.hex == String(cookie.1))
        #expect(n.data.hex == "00000001c2221e50c16e123f2b0c71aefcf0cb3b798782c6")
    }

    @Test func ikev2pI2MatchesTcpdumpIncludingTheDecryptedPayloads() throws {
        let keys = try KeyTable(csv: try #require(ExpectedJSONTests.pI2Keys()))
        let reports = try Vectors.decode("tcpdump/ikev2pI2.pcap", keys: keys)
        let blocks = try Self.blocks("ikev2pI2.out")
        for r in reports {
            let block = try #require(blocks[r.number])
            try checkHeader(block, r, "pI2 frame \(r.number)")
        }
        checkTransforms(blocks[1]!, reports[0], "pI2 frame 1")
        checkPayloadValues(blocks[1]!, reports[0], "pI2 frame 1")
        let vid = try #require(blocks[1]!.firstMatch(of: /vid=.* ([0-9a-f]+)\)/))
        guard case .vendorID(let v)? = reports[0].ike?.payloads?.last?.decoded else {
            Issue.record("no Vendor ID")
            return
        }
        #expect(v.data.hex == String(vid.1))
        // Frame 2: tcpdump's "len" is the body without the 4-octet generic header.
        let e = try #require(blocks[2]!.firstMatch(of: /\(v2e\[C\]: len=(\d+)/))
        #expect(Int(e.1) == (reports[1].ike?.payloads?.first?.length ?? 0) - 4)
        let id = try #require(blocks[2]!.firstMatch(of: /\(v2IDi: len=(\d+) [0-9a-f]+ fqdn:(\w+)\)/))
        let auth = try #require(blocks[2]!.firstMatch(of: /\(v2auth: len=(\d+) method=rsasig/))
        let inner = reports[1].decrypted?.innerPayloads ?? []
        #expect(inner.count == 2)
        guard inner.count == 2, case .idi(let idi)? = inner[0].decoded,
              case .auth(let a)? = inner[1].decoded
        else { return }
        #expect(Int(id.1) == inner[0].length - 4 && String(id.2) == idi.displayString.dropFirst(5))
        #expect(Int(auth.1) == inner[1].length - 4 && a.method == .rsaSignature)
    }

    @Test func isakmp4500DemultiplexingMatchesTcpdump() throws {
        let reports = try Vectors.decode("tcpdump/isakmp4500.pcap")
        let blocks = try Self.blocks("isakmp4.out")
        #expect(blocks.count == reports.count)
        for r in reports {
            let block = try #require(blocks[r.number])
            let ctx = "isakmp4500 frame \(r.number)"
            if block.contains("ARP") {
                #expect(r.kind == .other, "\(ctx)")
            } else if block.contains("isakmp-nat-keep-alive") {
                #expect(r.kind == .natKeepalive, "\(ctx)")
            } else if let esp = block.firstMatch(of: /ESP\(spi=0x([0-9a-f]+),seq=0x([0-9a-f]+)\), length (\d+)/) {
                #expect(r.kind == .espInUDP, "\(ctx)")
                #expect(r.espSPI == UInt32(esp.1, radix: 16) && r.espSequence == UInt32(esp.2, radix: 16),
                        "\(ctx)")
                #expect(r.udpPayloadLength == Int(esp.3), "\(ctx)")
            } else if block.contains("isakmp:") {
                // IKEv1: recognised by its version, not decoded as IKEv2.
                #expect(r.kind == .ike && r.ike?.majorVersion == 1 && r.ike?.payloads == nil, "\(ctx)")
                #expect(r.nonESPMarker == block.contains("NONESP-encap"), "\(ctx)")
            } else {
                Issue.record("\(ctx): unexpected tcpdump text \(block)")
            }
        }
    }

    @Test func idShortAndNormalAgreeWithTcpdump() throws {
        let normal = try Vectors.decode("tcpdump/ikev2-id-normal.pcap")
        let short = try Vectors.decode("tcpdump/ikev2-id-short.pcap")
        #expect(try Self.blocks("ikev2-id-normal.out")[1]?.contains("ipv4:de") == true)
        guard case .idi(let id)? = normal[0].ike?.payloads?.first?.decoded else {
            Issue.record("normal: no IDi")
            return
        }
        #expect(id.data == [0xde])
        #expect(try Self.blocks("ikev2-id-short.out")[1]?.contains("[payload too short]") == true)
        #expect(short[0].ike?.payloads?.first?.decoded == nil)
        #expect(short[0].ike?.payloads?.first?.error != nil)
    }
}
