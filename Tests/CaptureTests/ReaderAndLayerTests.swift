import Foundation
import Testing
@testable import Capture

/// Synthetic files and frames for the formats and layers the shared captures do not
/// cover: big-endian and nanosecond pcap, big-endian pcapng with two interfaces, SLL,
/// SLL2, stacked VLAN tags, IPv6 extension headers, IPv4 fragments, the key table.
@Suite struct ReaderAndLayerTests {
    /// The IKE_SA_INIT request of the Suricata capture (UDP payload, 240 octets).
    static func ikeMessage() throws -> [UInt8] {
        let frames = try Vectors.decode("suricata/IKEv2_SA_INIT_2-8-weak.pcap")
        #expect(frames[0].ike?.udpIKEBytes == 240)
        let packet = try #require(CaptureFile.read(
            try Vectors.bytes("suricata/IKEv2_SA_INIT_2-8-weak.pcap")).packets.first)
        return Array(packet.data.suffix(240))
    }

    static func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }
    static func be32(_ v: Int) -> [UInt8] { be16(v >> 16) + be16(v & 0xffff) }
    static func le32(_ v: Int) -> [UInt8] { be32(v).reversed() }

    static func udp(_ payload: [UInt8], sport: Int = 500, dport: Int = 500) -> [UInt8] {
        be16(sport) + be16(dport) + be16(8 + payload.count) + [0, 0] + payload
    }

    static func ipv4(_ transport: [UInt8], id: Int = 7, fragmentField: Int = 0) -> [UInt8] {
        [0x45, 0] + be16(20 + transport.count) + be16(id) + be16(fragmentField)
            + [64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2] + transport
    }

    static func ipv6(_ transport: [UInt8], hopByHop: Bool) -> [UInt8] {
        let ext: [UInt8] = hopByHop ? [17, 0, 1, 4, 0, 0, 0, 0] : []
        let src = [UInt8](repeating: 0, count: 15) + [1]
        let dst: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [2]
        return [0x60, 0, 0, 0] + be16(ext.count + transport.count) + [hopByHop ? 0 : 17, 64]
            + src + dst + ext + transport
    }

    static func ethernet(_ ip: [UInt8], type: Int = 0x0800, tags: Int = 0) -> [UInt8] {
        var f = [UInt8](repeating: 0xaa, count: 12)
        for _ in 0..<tags { f += be16(0x8100) + be16(5) }
        return f + be16(type) + ip
    }

    /// A classic pcap file in either byte order, micro- or nanosecond magic.
    static func pcap(_ frames: [[UInt8]], linkType: Int, bigEndian: Bool, nano: Bool) -> [UInt8] {
        let u32 = bigEndian ? be32 : le32
        let u16: (Int) -> [UInt8] = { bigEndian ? be16($0) : Array(be16($0).reversed()) }
        var out = u32(nano ? 0xa1b2_3c4d : 0xa1b2_c3d4) + u16(2) + u16(4) + u32(0) + u32(0)
            + u32(65535) + u32(linkType)
        for f in frames { out += u32(1) + u32(2) + u32(f.count) + u32(f.count) + f }
        return out
    }

    @Test(arguments: [(true, false), (true, true), (false, true), (false, false)])
    func pcapInEitherByteOrderAndTimestampUnitReads(_ bigEndian: Bool, _ nano: Bool) throws {
        let frame = Self.ethernet(Self.ipv4(Self.udp(try Self.ikeMessage())))
        let file = Self.pcap([frame, frame], linkType: 1, bigEndian: bigEndian, nano: nano)
        let reports = FrameDecoder.decode(CaptureFile.read(file))
        #expect(reports.count == 2)
        #expect(reports.allSatisfy { $0.kind == .ike && $0.ike?.payloads?.count == 3 })
        #expect(reports[0].source == "10.0.0.1" && reports[0].destination == "10.0.0.2")
    }

    @Test func bigEndianPcapngWithTwoInterfacesOfDifferentLinkTypes() throws {
        let ike = try Self.ikeMessage()
        func block(_ type: Int, _ body: [UInt8]) -> [UInt8] {
            let padded = body + [UInt8](repeating: 0, count: (4 - body.count % 4) % 4)
            return Self.be32(type) + Self.be32(12 + padded.count) + padded
                + Self.be32(12 + padded.count)
        }
        let shb = block(0x0a0d_0d0a, Self.be32(0x1a2b_3c4d) + [0, 1, 0, 0]
                        + [UInt8](repeating: 0xff, count: 8))
        let ethernet = block(1, Self.be16(1) + [0, 0] + Self.be32(0))
        let raw = block(1, Self.be16(101) + [0, 0] + Self.be32(0))
        func epb(_ iface: Int, _ data: [UInt8]) -> [UInt8] {
            block(6, Self.be32(iface) + Self.be32(0) + Self.be32(0) + Self.be32(data.count)
                  + Self.be32(data.count) + data)
        }
        let unknown = block(0x0bad, [1, 2, 3, 4])
        let spb = block(3, Self.be32(0) + [])
        let file = shb + ethernet + raw + epb(0, Self.ethernet(Self.ipv4(Self.udp(ike))))
            + unknown + epb(1, Self.ipv6(Self.udp(ike), hopByHop: true)) + spb
        let contents = CaptureFile.read(file)
        #expect(contents.problem == nil)
        let reports = FrameDecoder.decode(contents)
        #expect(reports.count == 3)
        #expect(reports[0].kind == .ike && reports[1].kind == .ike)
        #expect(reports[1].destination == "2001:db8::2" && reports[1].source == "::1")
        #expect(reports[1].ike?.payloads?.count == 3)
    }

    @Test func linuxCookedCapturesAndStackedVLANTags() throws {
        let ip = Self.ipv4(Self.udp(try Self.ikeMessage()))
        let sll = [0, 0, 0, 1, 0, 6] + [UInt8](repeating: 0, count: 8) + Self.be16(0x0800) + ip
        let sll2 = Self.be16(0x0800) + [0, 0] + Self.be32(2) + [0, 1, 0, 6]
            + [UInt8](repeating: 0, count: 8) + ip
        let vlan = Self.ethernet(ip, tags: 2)
        for (link, frame) in [(113, sll), (276, sll2), (1, vlan)] {
            let file = Self.pcap([frame], linkType: link, bigEndian: false, nano: false)
            let r = FrameDecoder.decode(CaptureFile.read(file))
            #expect(r.first?.kind == .ike && r.first?.ike?.payloads?.count == 3, "link \(link)")
        }
    }

    @Test func ipv4FragmentsAreReassembledIntoTheLastFrame() throws {
        let transport = Self.udp(try Self.ikeMessage())
        let first = Array(transport.prefix(104)), second = Array(transport.dropFirst(104))
        // Deliver them out of order: the last piece first.
        let frames = [Self.ethernet(Self.ipv4(second, id: 9, fragmentField: 104 / 8)),
                      Self.ethernet(Self.ipv4(first, id: 9, fragmentField: 0x2000))]
        let file = Self.pcap(frames, linkType: 1, bigEndian: false, nano: false)
        let r = FrameDecoder.decode(CaptureFile.read(file))
        #expect(r.map(\.kind) == [.ipFragment, .ike])
        #expect(r[1].reassembledFromFragments && r[1].ike?.payloads?.count == 3)
        #expect(JSONRenderer.render(r[0]).serialized.contains("\"kind\": \"ip-fragment\""))
    }

    @Test func port4500CarriesMarkedIKEKeepalivesAndESP() throws {
        let ike = try Self.ikeMessage()
        let frames = [[0, 0, 0, 0] + ike, [0xff], Self.be32(0x1234) + Self.be32(7) + [1, 2, 3],
                      [1, 2]].map { Self.ethernet(Self.ipv4(Self.udp($0, sport: 4500, dport: 4500))) }
        let r = FrameDecoder.decode(CaptureFile.read(
            Self.pcap(frames, linkType: 1, bigEndian: false, nano: false)))
        #expect(r.map(\.kind) == [.ike, .natKeepalive, .espInUDP, .malformed])
        #expect(r[0].nonESPMarker && r[2].espSPI == 0x1234 && r[2].espSequence == 7)
        #expect(TextRenderer.render(r[3]).contains("frame 4: "))
    }

    @Test func keyTableRowsAndWiresharkNames() throws {
        let table = try KeyTable(csv: try Vectors.text("wireshark/ikev2_decryption_table"))
        #expect(table.rows.count == 7)
        for row in table.rows {
            #expect(WiresharkAlgorithms.encryption(row.encryption) != nil, "\(row.encryption)")
            #expect(WiresharkAlgorithms.integrity(row.integrity) != nil, "\(row.integrity)")
        }
        #expect(WiresharkAlgorithms.encryption("AES-GCM-128 with 8 octet ICV [RFC5282]")
                == .init(id: 18, keyBits: 128))
        #expect(WiresharkAlgorithms.integrity("ANY 160-bits of Authentication [No Checking]")
                == .unchecked(icvOctets: 20))
        #expect(KeyTable.fields(of: #"a,"b,""c""",d"#) == ["a", "b,\"c\"", "d"])
        #expect(throws: KeyTable.ParseError.self) { try KeyTable(csv: "1234,5678\n") }
    }
}
