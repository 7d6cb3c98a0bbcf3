import Foundation
import Testing
@testable import Capture

/// Broken captures give per-frame errors and decoding carries on; nothing traps on
/// truncated or mutated files.
@Suite struct MalformedAndFuzzTests {
    static let allCaptures = [
        "wireshark/ikev2-decrypt-3des-sha1_160.pcap", "wireshark/ikev2-decrypt-aes128ccm12.pcap",
        "wireshark/ikev2-decrypt-aes128ccm12-2.pcap", "wireshark/ikev2-decrypt-aes192ctr.pcap",
        "wireshark/ikev2-decrypt-aes256cbc.pcapng", "wireshark/ikev2-decrypt-aes256gcm16.pcap",
        "tcpdump/ikev2four.pcap", "tcpdump/ikev2pI2.pcap", "tcpdump/ikev2-id-normal.pcap",
        "tcpdump/ikev2-id-short.pcap", "tcpdump/ikev2pI2-segfault.pcapng",
        "tcpdump/isakmp4500.pcap", "suricata/IKEv2_SA_INIT_2-8-weak.pcap",
        "scapy/ikev2_nat_t.pcapng", "packetgen/ikev2_cbc_hmac.pcapng",
    ]

    /// Concatenates the records of two classic pcap files (same link type).
    static func joinPcaps(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] { a + b.dropFirst(24) }

    @Test func theSegfaultCaptureReportsBothBadPayloadsWithOffsetsAndTheNextFrameDecodes() throws {
        let bad = try Vectors.decode("tcpdump/ikev2pI2-segfault.pcapng")
        #expect(bad.count == 1)
        let errors = bad[0].errors
        #expect(errors.count == 2)
        #expect(errors.allSatisfy { $0.hasPrefix("malformed IKE at offset ") })
        #expect(errors.last?.contains("KE Payload Length 43690") == true)
        let text = TextRenderer.render(bad[0])
        #expect(text.contains("frame 1: malformed IKE at offset 274: invalidLength:"))

        // A broken frame followed by a good one: the good one still decodes.
        let joined = Self.joinPcaps(try Vectors.bytes("tcpdump/ikev2-id-short.pcap"),
                                    try Vectors.bytes("tcpdump/ikev2-id-normal.pcap"))
        let frames = FrameDecoder.decode(CaptureFile.read(joined))
        #expect(frames.count == 2)
        #expect(frames[0].errors.contains { $0.hasPrefix("malformed IKE at offset 33: invalidLength") })
        guard case .idi(let id)? = frames[1].ike?.payloads?.first?.decoded else {
            Issue.record("frame 2 did not decode after the broken frame 1")
            return
        }
        #expect(id.data == [0xde])
    }

    @Test func aTruncatedFileKeepsItsCompleteFramesAndSaysWhereItEnded() throws {
        let bytes = try Vectors.bytes("tcpdump/ikev2four.pcap")
        let contents = CaptureFile.read(Array(bytes.prefix(bytes.count - 10)))
        #expect(contents.packets.count == 20)
        #expect(contents.problem?.contains("truncated") == true)
        let ng = try Vectors.bytes("scapy/ikev2_nat_t.pcapng")
        let cut = CaptureFile.read(Array(ng.prefix(ng.count / 2)))
        #expect(cut.packets.count > 0 && cut.packets.count < 54)
        #expect(cut.problem != nil)
        #expect(CaptureFile.read([1, 2, 3]).problem != nil)
    }

    @Test func aTruncatedIKEMessageIsAnErrorNotATrap() throws {
        var bytes = try Vectors.bytes("suricata/IKEv2_SA_INIT_2-8-weak.pcap")
        // Cut the one record short and fix its captured length: the IKE message is short.
        let cut = 100
        bytes.removeLast(cut)
        let caplen = Int(bytes[32]) | Int(bytes[33]) << 8
        bytes[32] = UInt8((caplen - cut) & 0xff)
        bytes[33] = UInt8((caplen - cut) >> 8)
        let frames = FrameDecoder.decode(CaptureFile.read(bytes))
        #expect(frames.count == 1)
        #expect(!frames[0].errors.isEmpty)
        #expect(frames[0].errors.contains { $0.contains("malformed IKE at offset") })
    }

    /// Decodes and renders both ways; the test is that this returns.
    static func exercise(_ bytes: [UInt8], keys: KeyTable?) {
        for report in FrameDecoder.decode(CaptureFile.read(bytes), keys: keys) {
            _ = TextRenderer.render(report)
            _ = JSONRenderer.render(report).serialized
        }
    }

    @Test func everyTruncationOfEveryCaptureDecodesWithoutTrapping() throws {
        let keys = try KeyTable(csv: try Vectors.text("wireshark/ikev2_decryption_table"))
        for name in Self.allCaptures {
            let bytes = try Vectors.bytes(name)
            let step = max(1, bytes.count / 300)
            for n in stride(from: 0, through: bytes.count, by: step) {
                Self.exercise(Array(bytes.prefix(n)), keys: keys)
            }
        }
    }

    @Test func randomMutationsOfEveryCaptureDecodeWithoutTrapping() throws {
        let keys = try KeyTable(csv: try Vectors.text("wireshark/ikev2_decryption_table"))
        var rng = SplitMix(seed: 0x1ce_dec0de)
        for name in Self.allCaptures {
            let original = try Vectors.bytes(name)
            for _ in 0..<60 {
                var bytes = original
                for _ in 0..<(1 + Int(rng.next() % 8)) {
                    let i = Int(rng.next() % UInt64(bytes.count))
                    switch rng.next() % 3 {
                    case 0: bytes[i] ^= UInt8(truncatingIfNeeded: 1 << (rng.next() % 8))
                    case 1: bytes[i] = UInt8(truncatingIfNeeded: rng.next())
                    default: bytes[i] = [0, 0xff, 0x7f, 0x80][Int(rng.next() % 4)]
                    }
                }
                Self.exercise(bytes, keys: keys)
            }
        }
    }

    @Test func theJSONComparisonReportsAPathForEveryDifference() {
        let expected: [String: Any] = ["a": 1, "b": ["c": [true, "x"]], "error": "python text"]
        let actual: [String: Any] = ["a": 2, "b": ["c": [1, "x"]], "error": "our text", "z": 0]
        let diffs = JSONDiff.differences(expected, actual, path: "frame 1")
        #expect(diffs.count == 2)
        #expect(diffs.contains { $0.hasPrefix("frame 1.a:") })
        #expect(diffs.contains { $0.hasPrefix("frame 1.b.c[0]:") })
        #expect(JSONDiff.differences(["error": "x"], [String: Any](), path: "f").count == 1)
    }
}

/// A small deterministic generator (SplitMix64) so failures reproduce.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
