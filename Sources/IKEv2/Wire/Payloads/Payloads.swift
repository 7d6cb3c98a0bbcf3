// Payload bodies (RFC 7296 section 3.2 to 3.16, RFC 7383 section 2.5).
// Each type holds the body after the 4-octet generic payload header; the
// generic header (next payload, critical bit, length) is the codec's job.

/// Data attribute of a transform (section 3.3.5): TV when the AF bit is set.
public enum TransformAttribute: Hashable, Sendable {
    case tv(type: UInt16, value: UInt16)
    case tlv(type: UInt16, value: [UInt8])
}

/// Transform substructure (section 3.3.2).
public struct Transform: Hashable, Sendable {
    public var type: TransformType
    public var id: UInt16
    public var attributes: [TransformAttribute]

    public init(type: TransformType, id: UInt16, attributes: [TransformAttribute] = []) {
        self.type = type
        self.id = id
        self.attributes = attributes
    }

    /// Key Length attribute in bits, if present (section 3.3.5).
    public var keyLength: UInt16? {
        for case .tv(TransformAttributeType.keyLength, let value) in attributes { return value }
        return nil
    }
}

/// Proposal substructure (section 3.3.1).
public struct Proposal: Hashable, Sendable {
    /// 1 for the first proposal, then +1 each (section 3.3.1).
    public var number: UInt8
    public var protocolID: ProtocolID
    /// Empty in IKE_SA_INIT; the sender's inbound SPI for child SAs and IKE rekeys.
    public var spi: [UInt8]
    public var transforms: [Transform]

    public init(number: UInt8, protocolID: ProtocolID, spi: [UInt8], transforms: [Transform]) {
        self.number = number
        self.protocolID = protocolID
        self.spi = spi
        self.transforms = transforms
    }
}

/// Security Association payload (section 3.3).
public struct SAPayload: Hashable, Sendable {
    public var proposals: [Proposal]
    public init(proposals: [Proposal]) { self.proposals = proposals }
}

/// Key Exchange payload (section 3.4).
public struct KEPayload: Hashable, Sendable {
    public var group: UInt16
    public var data: [UInt8]
    public init(group: UInt16, data: [UInt8]) {
        self.group = group
        self.data = data
    }
}

/// Identification payload, IDi or IDr (section 3.5).
public struct IDPayload: Hashable, Sendable {
    public var type: IDType
    public var data: [UInt8]
    public init(type: IDType, data: [UInt8]) {
        self.type = type
        self.data = data
    }
}

/// Certificate payload (section 3.6; RFC 7670 raw public keys).
public struct CertPayload: Hashable, Sendable {
    public var encoding: CertEncoding
    public var data: [UInt8]
    public init(encoding: CertEncoding, data: [UInt8]) {
        self.encoding = encoding
        self.data = data
    }
}

/// Certificate Request payload (section 3.7).
public struct CertReqPayload: Hashable, Sendable {
    public var encoding: CertEncoding
    /// Concatenated SHA-1 hashes of trust anchors; empty for raw keys.
    public var authority: [UInt8]
    public init(encoding: CertEncoding, authority: [UInt8]) {
        self.encoding = encoding
        self.authority = authority
    }
}

/// Authentication payload (section 3.8).
public struct AuthPayload: Hashable, Sendable {
    public var method: AuthMethod
    public var data: [UInt8]
    public init(method: AuthMethod, data: [UInt8]) {
        self.method = method
        self.data = data
    }
}

/// Nonce payload (section 3.9). 16 to 256 octets (section 2.10).
public struct NoncePayload: Hashable, Sendable {
    public var data: [UInt8]
    public init(data: [UInt8]) { self.data = data }
}

/// Notify payload (section 3.10).
public struct NotifyPayload: Hashable, Sendable {
    public var protocolID: ProtocolID
    public var spi: [UInt8]
    public var type: NotifyType
    public var data: [UInt8]

    public init(type: NotifyType, data: [UInt8] = [], protocolID: ProtocolID = .none,
                spi: [UInt8] = []) {
        self.protocolID = protocolID
        self.spi = spi
        self.type = type
        self.data = data
    }
}

/// Delete payload (section 3.11). IKE: no SPIs; ESP/AH: 4-octet SPIs.
public struct DeletePayload: Hashable, Sendable {
    public var protocolID: ProtocolID
    public var spiSize: UInt8
    public var spis: [[UInt8]]
    public init(protocolID: ProtocolID, spiSize: UInt8, spis: [[UInt8]]) {
        self.protocolID = protocolID
        self.spiSize = spiSize
        self.spis = spis
    }
}

/// Vendor ID payload (section 3.12).
public struct VendorIDPayload: Hashable, Sendable {
    public var data: [UInt8]
    public init(data: [UInt8]) { self.data = data }
}

/// One traffic selector (section 3.13.1). Addresses are 4 or 16 octets.
public struct TrafficSelector: Hashable, Sendable {
    public var type: TSType
    /// 0 means any protocol.
    public var ipProtocol: UInt8
    public var startPort: UInt16
    public var endPort: UInt16
    public var startAddress: [UInt8]
    public var endAddress: [UInt8]

    public init(type: TSType, ipProtocol: UInt8, startPort: UInt16, endPort: UInt16,
                startAddress: [UInt8], endAddress: [UInt8]) {
        self.type = type
        self.ipProtocol = ipProtocol
        self.startPort = startPort
        self.endPort = endPort
        self.startAddress = startAddress
        self.endAddress = endAddress
    }
}

/// Traffic Selector payload, TSi or TSr (section 3.13).
public struct TSPayload: Hashable, Sendable {
    public var selectors: [TrafficSelector]
    public init(selectors: [TrafficSelector]) { self.selectors = selectors }
}

/// Configuration attribute (section 3.15.1).
public struct ConfigAttribute: Hashable, Sendable {
    public var type: UInt16
    public var value: [UInt8]
    public init(type: UInt16, value: [UInt8]) {
        self.type = type
        self.value = value
    }
}

/// Configuration payload (section 3.15). cfgType: 1 REQUEST, 2 REPLY, 3 SET, 4 ACK.
public struct ConfigPayload: Hashable, Sendable {
    public var cfgType: UInt8
    public var attributes: [ConfigAttribute]
    public init(cfgType: UInt8, attributes: [ConfigAttribute]) {
        self.cfgType = cfgType
        self.attributes = attributes
    }
}

/// EAP payload (section 3.16): the EAP message, kept opaque.
public struct EAPPayload: Hashable, Sendable {
    public var message: [UInt8]
    public init(message: [UInt8]) { self.message = message }
}

/// Encrypted and Authenticated payload (section 3.14), still protected.
///
/// `body` is IV, ciphertext (with padding and pad length) and ICV, as sent.
/// `firstPayload` is the Next Payload field: the type of the first inner payload.
public struct EncryptedPayload: Hashable, Sendable {
    public var firstPayload: PayloadType
    public var body: [UInt8]
    public init(firstPayload: PayloadType, body: [UInt8]) {
        self.firstPayload = firstPayload
        self.body = body
    }
}

/// Encrypted Fragment payload (RFC 7383 section 2.5), still protected.
/// `firstPayload` is meaningful only in fragment 1 and is 0 in the others.
public struct EncryptedFragmentPayload: Hashable, Sendable {
    public var firstPayload: PayloadType
    public var fragmentNumber: UInt16
    public var totalFragments: UInt16
    public var body: [UInt8]
    public init(firstPayload: PayloadType, fragmentNumber: UInt16, totalFragments: UInt16,
                body: [UInt8]) {
        self.firstPayload = firstPayload
        self.fragmentNumber = fragmentNumber
        self.totalFragments = totalFragments
        self.body = body
    }
}

/// A payload of a type this codec does not know, kept so it can be skipped or re-sent.
public struct UnknownPayload: Hashable, Sendable {
    public var type: PayloadType
    public var critical: Bool
    public var body: [UInt8]
    public init(type: PayloadType, critical: Bool, body: [UInt8]) {
        self.type = type
        self.critical = critical
        self.body = body
    }
}
