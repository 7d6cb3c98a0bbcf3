import IKEv2

/// Everything `ikectl decode` learned about one captured frame. Renderers turn it into
/// text (`TextRenderer`) or the JSON schema of the shared vectors (`JSONRenderer`).
public struct FrameReport: Sendable {
    public enum Kind: String, Sendable {
        /// An IKE message (v2 decoded; v1 recognised by its version and left alone).
        case ike
        case espInUDP = "esp-in-udp"
        case natKeepalive = "nat-keepalive"
        /// A non-final IP fragment; the frame that completes the datagram decodes it.
        case ipFragment = "ip-fragment"
        /// Not IP, not UDP, or not on an IKE port.
        case other
        /// The link, IP or UDP layer could not be read.
        case malformed
    }

    public var number: Int
    public var kind: Kind
    public var source: String?
    public var destination: String?
    public var sourcePort: UInt16?
    public var destinationPort: UInt16?
    /// IKE on port 4500 behind the non-ESP marker (RFC 3948 section 2.2).
    public var nonESPMarker = false
    public var udpPayloadLength: Int?
    public var espSPI: UInt32?
    public var espSequence: UInt32?
    /// Frames of the datagram this frame completed, when IP reassembly was needed.
    public var reassembledFromFragments = false
    public var ike: IKEReport?
    public var decrypted: DecryptionReport?
    /// Why an SK/SKF payload was not decrypted (no key row, unsupported algorithm, ...).
    public var decryptError: String?
    /// One-line problems, e.g. "malformed IKE at offset 44: invalidLength: ...".
    public var errors: [String] = []
    /// Remarks that are not errors ("IKEv1: payloads not decoded", "not UDP", ...).
    public var notes: [String] = []

    public init(number: Int, kind: Kind) {
        self.number = number
        self.kind = kind
    }
}

/// The IKE header (RFC 7296 section 3.1) and the payloads as walked.
public struct IKEReport: Sendable {
    public var spiI: UInt64
    public var spiR: UInt64
    public var nextPayload: UInt8
    public var majorVersion: UInt8
    public var minorVersion: UInt8
    public var exchangeType: UInt8
    public var flags: UInt8
    public var messageID: UInt32
    /// The header's Length field.
    public var length: UInt32
    /// Octets of IKE in the UDP payload (after any non-ESP marker).
    public var udpIKEBytes: Int
    /// Nil for IKEv1, whose payloads are not decoded.
    public var payloads: [PayloadReport]?

    public var isInitiator: Bool { flags & 0x08 != 0 }
    public var isResponse: Bool { flags & 0x20 != 0 }
}

/// One payload: the generic header as sent and, when the body decoded, its contents.
public struct PayloadReport: Sendable {
    public var type: UInt8
    /// Payload Length field (RFC 7296 section 3.2).
    public var length: Int
    public var critical: Bool
    /// Offset of the generic payload header in the IKE message (or in the plaintext,
    /// for inner payloads).
    public var offset: Int
    /// The body decoded by the IKEv2 codec; nil when it was malformed.
    public var decoded: Payload?
    /// For an ID payload too short for its 4-octet header: the ID Type octet, if any.
    public var truncatedIDType: UInt8?
    /// For SK/SKF: the Next Payload field (type of the first inner payload).
    public var nextPayload: UInt8
    public var error: String?
}

/// The decrypted content of an SK or SKF payload (RFC 7296 section 3.14, RFC 7383).
public struct DecryptionReport: Sendable {
    /// Nil when the key table says not to check the ICV ("ANY n-bits [No Checking]").
    public var icvValid: Bool?
    public var iv: [UInt8]
    /// The SK payload's Next Payload: type of the first inner payload.
    public var innerFirstPayload: UInt8
    /// Pad Length, padding and plaintext are nil when an AEAD tag failed: AEAD gives no
    /// plaintext without a valid tag (RFC 5282 section 5).
    public var padLength: Int?
    public var padding: [UInt8]?
    public var innerPlaintext: [UInt8]?
    public var innerPayloads: [PayloadReport] = []
    /// SKF: this fragment's number and the total (RFC 7383 section 2.5).
    public var fragment: (number: UInt16, total: UInt16)?
    /// SKF: the inner chain of the whole message, on the fragment that completed it.
    public var reassembledPayloads: [PayloadReport]?
}
