import Foundation
import Testing
@testable import IKEv2

/// The shared third-party vectors (../shared/vectors from the repository root); see its
/// README.md. Read in place, never copied into this repository.
let vectorsURL: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // Wire
    .deletingLastPathComponent()  // IKEv2Tests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()  // repository root
    .appendingPathComponent("../shared/vectors/captures").standardizedFileURL

let vectorsPresent = FileManager.default.fileExists(atPath: vectorsURL.path)

extension WireTests {
    /// Real IKEv2 messages from Wireshark, tcpdump, Suricata, scapy and packetgen captures,
    /// compared with the expected decodes in each folder's expected.json.
    @Suite(.enabled(if: vectorsPresent, "shared vectors not found"))
    struct CaptureTests {
        typealias JSON = [String: Any]

        static func expected(_ folder: String) throws -> Any {
            let url = vectorsURL.appendingPathComponent(folder + "/expected.json")
            return try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        }

        /// (folder, capture file, expected frames) for every capture with expectations.
        static func captures() throws -> [(String, String, [JSON])] {
            var out = [(String, String, [JSON])]()
            if let w = try expected("wireshark") as? JSON, let caps = w["captures"] as? JSON {
                for (name, v) in caps {
                    out.append(("wireshark", name, (v as? JSON)?["frames"] as? [JSON] ?? []))
                }
            }
            if let t = try expected("tcpdump") as? JSON {
                for (name, v) in t { out.append(("tcpdump", name, v as? [JSON] ?? [])) }
            }
            out.append(("scapy", "ikev2_nat_t.pcapng", try expected("scapy") as? [JSON] ?? []))
            out.append(("suricata", "IKEv2_SA_INIT_2-8-weak.pcap",
                        try expected("suricata") as? [JSON] ?? []))
            let p = try expected("packetgen") as? JSON
            out.append(("packetgen", "ikev2_cbc_hmac.pcapng", p?["frames"] as? [JSON] ?? []))
            return out.sorted { $0.1 < $1.1 }
        }

        /// Captures holding deliberately malformed messages (tcpdump's robustness tests).
        /// ikev2-id-normal.pcap pads a 37-octet message to 76 with deadbeef; its Length
        /// says 76, so the octets after the last payload make it malformed here too.
        static let malformed: Set<String> = [
            "ikev2-id-short.pcap", "ikev2pI2-segfault.pcapng", "ikev2-id-normal.pcap",
        ]

        @Test func everyIKEFrameInTheCapturesDecodesAsExpected() throws {
            var checked = 0
            for (folder, name, frames) in try Self.captures() {
                let url = vectorsURL.appendingPathComponent(folder + "/" + name)
                let pcap = try PcapReader.frames(in: url)
                for exp in frames {
                    let n = exp["frame"] as? Int ?? 0
                    let ctx = "\(name) frame \(n)"
                    guard n >= 1, n <= pcap.count, let udp = pcap[n - 1].udpPayload else {
                        #expect(exp["kind"] as? String == "ip-fragment", "\(ctx): no UDP")
                        continue
                    }
                    let on4500 = pcap[n - 1].sourcePort == 4500
                        || pcap[n - 1].destinationPort == 4500
                    var ike = udp[...]
                    switch exp["kind"] as? String {
                    case "ike":
                        if on4500 {
                            guard case .ike(let inner) = NATTFraming.classify4500(udp[...]) else {
                                Issue.record("\(ctx): no non-ESP marker")
                                continue
                            }
                            ike = inner
                        }
                    case "esp-in-udp":
                        let spi = (exp["esp_spi"] as? String).flatMap { [UInt8](hex: $0) }
                        #expect(NATTFraming.classify4500(udp[...]) == .esp(udp[...]), "\(ctx)")
                        #expect(Array(udp.prefix(4)) == spi, "\(ctx)")
                        continue
                    case "nat-keepalive":
                        #expect(NATTFraming.classify4500(udp[...]) == .keepalive, "\(ctx)")
                        continue
                    default:
                        continue
                    }
                    let bytes = Array(ike)
                    if Self.malformed.contains(name) {
                        #expect(decodeError(bytes) != nil, "\(ctx) should not decode")
                        continue
                    }
                    let message: Message
                    do {
                        message = try MessageCodec.decode(bytes)
                    } catch {
                        Issue.record("\(ctx): \(error)")
                        continue
                    }
                    guard let hdr = exp["ike"] as? JSON else { continue }
                    checkHeader(message.header, hdr, ctx)
                    let payloads = hdr["payloads"] as? [JSON] ?? []
                    checkPayloads(message.payloads, payloads, ctx)
                    // Re-encoding: byte-exact unless the sender set C on known payloads.
                    let encoded = MessageCodec.encode(message)
                    #expect((try? MessageCodec.decode(encoded)) == message, "\(ctx)")
                    if !payloads.contains(where: { $0["critical"] as? Bool == true }) {
                        #expect(encoded == bytes, "\(ctx) re-encoding differs")
                    }
                    if let dec = exp["decrypted"] as? JSON {
                        checkInner(dec, ctx)
                    }
                    checked += 1
                }
            }
            #expect(checked >= 80)
        }

        func checkInner(_ dec: JSON, _ ctx: String) {
            guard let hex = dec["inner_plaintext"] as? String, let plain = [UInt8](hex: hex),
                  let first = dec["inner_first_payload"] as? Int else { return }
            do {
                let inner = try MessageCodec.decodePayloads(
                    plain[...], firstPayload: PayloadType(rawValue: UInt8(first)))
                checkPayloads(inner, dec["inner_payloads"] as? [JSON] ?? [], ctx + " inner")
                #expect(MessageCodec.encodePayloads(inner) == plain, "\(ctx) inner re-encoding")
            } catch {
                Issue.record("\(ctx) inner: \(error)")
            }
        }

        func checkHeader(_ h: IKEHeader, _ e: JSON, _ ctx: String) {
            #expect(String(format: "%016llx", h.spiI) == e["ispi"] as? String, "\(ctx)")
            #expect(String(format: "%016llx", h.spiR) == e["rspi"] as? String, "\(ctx)")
            #expect(Int(h.nextPayload.rawValue) == e["next_payload"] as? Int, "\(ctx)")
            #expect("\(h.majorVersion).\(h.minorVersion)" == e["version"] as? String, "\(ctx)")
            #expect(Int(h.exchangeType.rawValue) == e["exchange_type"] as? Int, "\(ctx)")
            let flags = (h.isInitiator ? 8 : 0) | (h.higherVersion ? 16 : 0)
                | (h.isResponse ? 32 : 0)
            #expect(flags == e["flags"] as? Int, "\(ctx)")
            #expect(Int(h.messageID) == e["message_id"] as? Int, "\(ctx)")
            #expect(Int(h.length) == e["length"] as? Int, "\(ctx)")
        }

        func checkPayloads(_ payloads: [Payload], _ expected: [JSON], _ ctx: String) {
            #expect(payloads.map { Int($0.type.rawValue) } == expected.map { $0["type"] as? Int },
                    "\(ctx) payload types")
            for (p, e) in zip(payloads, expected) {
                let c = "\(ctx) \(p.shortSummary)"
                #expect(4 + MessageCodec.encodeBody(p).count == e["length"] as? Int, "\(c) length")
                checkFields(p, e, c)
            }
        }

        func checkFields(_ p: Payload, _ e: JSON, _ c: String) {
            func eq(_ value: some Equatable, _ key: String) {
                guard let want = e[key] else { return }
                #expect("\(value)" == "\(want)", "\(c) \(key)")
            }
            func hex(_ bytes: [UInt8], _ key: String) {
                guard let want = e[key] as? String else { return }
                #expect(bytes.hexString == want, "\(c) \(key)")
            }
            switch p {
            case .notify(let n):
                eq(Int(n.type.rawValue), "notify_type"); hex(n.data, "data")
                eq(Int(n.protocolID.rawValue), "protocol_id"); eq(n.spi.count, "spi_size")
            case .ke(let k): eq(Int(k.group), "dh_group"); eq(k.data.count, "ke_data_len")
            case .nonce(let n): hex(n.data, "nonce")
            case .idi(let i), .idr(let i):
                eq(Int(i.type.rawValue), "id_type"); hex(i.data, "id_data")
            case .auth(let a): eq(Int(a.method.rawValue), "auth_method"); hex(a.data, "auth_data")
            case .cert(let x): eq(Int(x.encoding.rawValue), "encoding")
            case .certreq(let x): eq(Int(x.encoding.rawValue), "encoding")
            case .cp(let x): eq(Int(x.cfgType), "cfg_type")
            case .vendorID(let v): hex(v.data, "vendor_id")
            case .delete(let d):
                eq(Int(d.protocolID.rawValue), "protocol_id"); eq(Int(d.spiSize), "spi_size")
                eq(d.spis.count, "num_spi")
            case .tsi(let t), .tsr(let t): eq(t.selectors.count, "ts_count")
            case .sa(let sa):
                guard let props = e["proposals"] as? [JSON] else { return }
                #expect(sa.proposals.count == props.count, "\(c) proposals")
                for (p, ep) in zip(sa.proposals, props) {
                    #expect(Int(p.number) == ep["number"] as? Int, "\(c)")
                    #expect(Int(p.protocolID.rawValue) == ep["protocol_id"] as? Int, "\(c)")
                    #expect(p.spi.hexString == ep["spi"] as? String, "\(c)")
                    let ts = ep["transforms"] as? [JSON] ?? []
                    #expect(p.transforms.count == ts.count, "\(c) transforms")
                    for (t, et) in zip(p.transforms, ts) {
                        #expect(Int(t.type.rawValue) == et["type"] as? Int, "\(c)")
                        #expect(Int(t.id) == et["id"] as? Int, "\(c)")
                        #expect(t.keyLength.map(Int.init) == et["key_length"] as? Int, "\(c)")
                    }
                }
            default:
                break
            }
        }

        @Test func scapyDecryptedInnerChainsDecodeAndReEncodeExactly() throws {
            let url = vectorsURL.appendingPathComponent("scapy/ikev2_nat_t.decrypted-frames.json")
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? JSON
            var checked = 0
            for f in json?["frames"] as? [JSON] ?? [] {
                guard let i = f["i"] as? Int, i < 0, let hex = f["hex"] as? String,
                      let frame = [UInt8](hex: hex), frame.count > 74 else { continue }
                // Ethernet 14 | IPv4 20 | UDP 8 | non-ESP marker 4 | IKE header 28.
                let ike = Array(frame[46...])
                let chain = ike[28...]
                let payloads = try MessageCodec.decodePayloads(
                    chain, firstPayload: PayloadType(rawValue: ike[16]))
                #expect(MessageCodec.encodePayloads(payloads) == Array(chain))
                #expect(payloads.count >= 6)
                checked += 1
            }
            #expect(checked == 3)
        }

        @Test func tcpdumpIDNormalHasAValidIDiFollowedByJunk() throws {
            let frames = try PcapReader.frames(
                in: vectorsURL.appendingPathComponent("tcpdump/ikev2-id-normal.pcap"))
            let bytes = frames.first?.udpPayload ?? []
            let e = decodeError(bytes)
            #expect(e?.code == .invalidLength)
            #expect(e?.offset == 37)
            let idi = try MessageCodec.decodePayloads(bytes[28..<37], firstPayload: .idi)
            #expect(idi == [.idi(IDPayload(type: .ipv4Addr, data: [0xde]))])
        }

        @Test func tcpdumpIDShortAndSegfaultCapturesAreRejectedWithoutOverreading() throws {
            let short = try PcapReader.frames(
                in: vectorsURL.appendingPathComponent("tcpdump/ikev2-id-short.pcap"))
            let e1 = decodeError(short.first?.udpPayload ?? [])
            #expect(e1?.code == .invalidLength)
            let fuzz = try PcapReader.frames(
                in: vectorsURL.appendingPathComponent("tcpdump/ikev2pI2-segfault.pcapng"))
            #expect(decodeError(fuzz.first?.udpPayload ?? []) != nil)
        }

        @Test func isakmp4500DemultiplexesMarkerKeepaliveAndESP() throws {
            let frames = try PcapReader.frames(
                in: vectorsURL.appendingPathComponent("tcpdump/isakmp4500.pcap"))
            var kinds = [String: Int]()
            for f in frames where f.destinationPort == 4500 || f.sourcePort == 4500 {
                guard let udp = f.udpPayload else { continue }
                switch NATTFraming.classify4500(udp[...]) {
                case .ike(let ike):
                    kinds["ike", default: 0] += 1
                    // IKEv1 (version 1.0): the header says so, and the engine must drop it.
                    let h = try? MessageCodec.decodeHeader(ike)
                    #expect(h?.majorVersion == 1)
                case .keepalive: kinds["keepalive", default: 0] += 1
                case .esp: kinds["esp", default: 0] += 1
                case .malformed: kinds["malformed", default: 0] += 1
                }
            }
            #expect(kinds["ike", default: 0] > 0)
            #expect(kinds["keepalive", default: 0] > 0)
            #expect(kinds["esp", default: 0] > 0)
            #expect(kinds["malformed"] == nil)
        }
    }
}
