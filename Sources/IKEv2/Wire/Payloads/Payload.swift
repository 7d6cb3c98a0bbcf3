/// One payload of a message, by type (RFC 7296 section 3.2).
public enum Payload: Hashable, Sendable {
    case sa(SAPayload)
    case ke(KEPayload)
    case idi(IDPayload)
    case idr(IDPayload)
    case cert(CertPayload)
    case certreq(CertReqPayload)
    case auth(AuthPayload)
    case nonce(NoncePayload)
    case notify(NotifyPayload)
    case delete(DeletePayload)
    case vendorID(VendorIDPayload)
    case tsi(TSPayload)
    case tsr(TSPayload)
    case sk(EncryptedPayload)
    case skf(EncryptedFragmentPayload)
    case cp(ConfigPayload)
    case eap(EAPPayload)
    case unknown(UnknownPayload)

    /// The payload type number this case is sent as.
    public var type: PayloadType {
        switch self {
        case .sa: return .sa
        case .ke: return .ke
        case .idi: return .idi
        case .idr: return .idr
        case .cert: return .cert
        case .certreq: return .certreq
        case .auth: return .auth
        case .nonce: return .nonce
        case .notify: return .notify
        case .delete: return .delete
        case .vendorID: return .vendorID
        case .tsi: return .tsi
        case .tsr: return .tsr
        case .sk: return .sk
        case .skf: return .skf
        case .cp: return .cp
        case .eap: return .eap
        case .unknown(let p): return p.type
        }
    }
}

/// A decoded IKE message: header and payload chain in order (section 3).
public struct Message: Hashable, Sendable {
    public var header: IKEHeader
    public var payloads: [Payload]

    public init(header: IKEHeader, payloads: [Payload]) {
        self.header = header
        self.payloads = payloads
    }

    /// All notifies in the message, in order.
    public var notifies: [NotifyPayload] {
        payloads.compactMap { if case .notify(let n) = $0 { return n } else { return nil } }
    }

    public func notify(_ type: NotifyType) -> NotifyPayload? {
        notifies.first { $0.type == type }
    }
}
