import Testing
@testable import IKEv2

/// Namespace for every Wire test suite, so `swift test --filter WireTests` runs them all.
@Suite enum WireTests {}

/// Parses an annotated hex fixture: everything after `#` on a line is a comment, and
/// whitespace is ignored. Traps on a typo in the fixture itself (test code, not input).
func fixture(_ text: String) -> [UInt8] {
    var digits = ""
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        let code = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        digits += (code.first ?? "").filter { !$0.isWhitespace }
    }
    guard let bytes = [UInt8](hex: digits) else { fatalError("bad fixture hex: \(digits)") }
    return bytes
}

/// The error `body` throws, or nil when it succeeds.
func wireError<T>(_ body: () throws(WireError) -> T) -> WireError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

func decodeError(_ bytes: [UInt8]) -> WireError? {
    wireError { () throws(WireError) in try MessageCodec.decode(bytes) }
}

/// Decodes a single payload fixture (generic header included, Next Payload 0).
func decodeSingle(_ bytes: [UInt8], as type: PayloadType) throws(WireError) -> Payload {
    let payloads = try MessageCodec.decodePayloads(bytes[...], firstPayload: type)
    guard payloads.count == 1, let first = payloads.first else {
        throw WireError(.invalidSyntax, "expected one payload, got \(payloads.count)", at: 0)
    }
    return first
}

/// Overwrites the header Length field with the buffer's size.
func fixLength(_ bytes: inout [UInt8]) {
    guard bytes.count >= IKEHeader.size else { return }
    let n = UInt32(truncatingIfNeeded: bytes.count)
    bytes[24] = UInt8(truncatingIfNeeded: n >> 24)
    bytes[25] = UInt8(truncatingIfNeeded: n >> 16)
    bytes[26] = UInt8(truncatingIfNeeded: n >> 8)
    bytes[27] = UInt8(truncatingIfNeeded: n)
}

/// SplitMix64: a small deterministic generator for the mutation loops.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// Hand-built messages shared by the tests.
enum Fixtures {
    /// IKE_SA_INIT request: SA (2 proposals), KE (group 31), Nonce, four Notifies, V.
    static let ikeSAInitRequest = fixture("""
        # --- IKE header (RFC 7296 section 3.1) ---
        0102030405060708     # IKE SA Initiator's SPI
        0000000000000000     # IKE SA Responder's SPI (zero in the first request)
        21                   # Next Payload: SA (33)
        20                   # MjVer 2, MnVer 0
        22                   # Exchange Type: IKE_SA_INIT (34)
        08                   # Flags: I (initiator)
        00000000             # Message ID 0
        00000116             # Length 278
        # --- SA payload (section 3.3) ---
        22 00 0054           # Next: KE (34), C=0, Payload Length 84
        #   Proposal 1
        02 00 002c           # Last Substruc 2 (more follow), RESERVED, Proposal Length 44
        01 01 00 04          # Proposal Num 1, Protocol IKE (1), SPI Size 0, 4 transforms
        03 00 000c           #   Transform: more follow, Length 12
        01 00 000c           #     Type ENCR (1), RESERVED, ID ENCR_AES_CBC (12)
        800e 0100            #     TV attribute: Key Length (14) = 256
        03 00 0008 02 00 0005   # PRF (2) = PRF_HMAC_SHA2_256 (5)
        03 00 0008 03 00 000c   # INTEG (3) = AUTH_HMAC_SHA2_256_128 (12)
        00 00 0008 04 00 0013   # last transform: DH (4) = ECP 256 (19)
        #   Proposal 2
        00 00 0024           # Last Substruc 0 (last), RESERVED, Proposal Length 36
        02 01 00 03          # Proposal Num 2, IKE, SPI Size 0, 3 transforms
        03 00 000c 01 00 0014 800e 0100   # ENCR_AES_GCM_16 (20), Key Length 256
        03 00 0008 02 00 0005             # PRF_HMAC_SHA2_256
        00 00 0008 04 00 001f             # DH group 31 (Curve25519)
        # --- KE payload (section 3.4) ---
        28 00 0028           # Next: Nonce (40), Length 40
        001f 0000            # DH Group Num 31, RESERVED
        00112233445566778899aabbccddeeff 00112233445566778899aabbccddeeff  # 32-octet key
        # --- Nonce payload (section 3.9) ---
        29 00 0024           # Next: Notify (41), Length 36
        a0a1a2a3a4a5a6a7a8a9aaabacadaeaf b0b1b2b3b4b5b6b7b8b9babbbcbdbebf  # 32-octet nonce
        # --- Notify NAT_DETECTION_SOURCE_IP (section 3.10) ---
        29 00 001c           # Next: Notify, Length 28
        00 00 4004           # Protocol ID 0, SPI Size 0, type 16388
        0101010101010101010101010101010101010101  # SHA-1 hash (20 octets)
        # --- Notify NAT_DETECTION_DESTINATION_IP ---
        29 00 001c           # Next: Notify, Length 28
        00 00 4005           # Protocol ID 0, SPI Size 0, type 16389
        0202020202020202020202020202020202020202  # SHA-1 hash
        # --- Notify IKEV2_FRAGMENTATION_SUPPORTED (RFC 7383) ---
        29 00 0008           # Next: Notify, Length 8
        00 00 402e           # type 16430, no data
        # --- Notify SIGNATURE_HASH_ALGORITHMS (RFC 7427) ---
        2b 00 000e           # Next: Vendor ID (43), Length 14
        00 00 402f           # type 16431
        0002 0003 0004       # SHA2-256, SHA2-384, SHA2-512
        # --- Vendor ID (section 3.12) ---
        00 00 000c           # Next: none, Length 12
        4c 61 74 63 68 6b 65 79   # "Latchkey"
        """)

    /// IKE_AUTH request whose only payload is SK (first inner payload IDi).
    static let ikeAuthRequest = fixture("""
        # --- IKE header ---
        0102030405060708     # SPIi
        1112131415161718     # SPIr
        2e                   # Next Payload: SK (46)
        20                   # version 2.0
        23                   # IKE_AUTH (35)
        08                   # Flags: I
        00000001             # Message ID 1
        00000060             # Length 96
        # --- SK payload (section 3.14) ---
        23 00 0044           # Next Payload: IDi (35) = first inner payload, Length 68
        000102030405060708090a0b0c0d0e0f   # IV (16 octets)
        c0c1c2c3c4c5c6c7c8c9cacbcccdcecf d0d1d2d3d4d5d6d7d8d9dadbdcdddedf  # ciphertext
        e0e1e2e3e4e5e6e7e8e9eaebecedeeef   # ICV (16 octets)
        """)

    /// Response of INFORMATIONAL with a fragment: SKF 1 of 2.
    static let informationalFragment = fixture("""
        0102030405060708 1112131415161718   # SPIi, SPIr
        35                   # Next Payload: SKF (53)
        20 25 20             # version 2.0, INFORMATIONAL (37), Flags: R
        00000002             # Message ID 2
        00000034             # Length 52
        2a 00 0018           # SKF: Next Payload Delete (42), Length 24
        0001 0002            # Fragment Number 1, Total Fragments 2
        000102030405060708090a0b0c0d0e0f   # IV
        """)
}
