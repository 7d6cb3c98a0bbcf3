/// Which payloads may travel unprotected (RFC 7296 sections 1.2 and 3.14).
///
/// IKE_SA_INIT is the only exchange sent in the clear; every later message carries its
/// payloads inside SK (or SKF, RFC 7383).
public enum MessageRules {
    /// Payload types allowed outside SK in IKE_SA_INIT (section 1.2): SA, KE, Nonce,
    /// Notify, Vendor ID, CERTREQ. Unknown, non-critical payloads are allowed as well
    /// (section 2.5 says to skip them).
    public static let ikeSAInitPayloadTypes: Set<PayloadType> = [
        .sa, .ke, .nonce, .notify, .vendorID, .certreq,
    ]

    /// Whether `payload` may appear unencrypted in an IKE_SA_INIT message.
    public static func isAllowedInIKESAInit(_ payload: Payload) -> Bool {
        if case .unknown = payload { return true }
        return ikeSAInitPayloadTypes.contains(payload.type)
    }

    /// True for every exchange but IKE_SA_INIT: its payloads must be inside SK or SKF.
    public static func requiresEncryption(_ exchange: ExchangeType) -> Bool {
        exchange != .ikeSAInit
    }
}
