// One-line renderings of messages and payloads for logs, using the payload
// abbreviations of RFC 7296 section 3.2 (SA, KE, IDi, No, N, D, V, TSi, SK, ...).

extension Payload {
    /// `N(COOKIE)`, `SKF(2/3)`, `CERT`, `PAYLOAD(99)` (with `!` when critical).
    public var shortSummary: String {
        switch self {
        case .notify(let n): return "N(\(n.type))"
        case .delete(let d): return "D(\(d.protocolID))"
        case .skf(let f): return "SKF(\(f.fragmentNumber)/\(f.totalFragments))"
        case .unknown(let u): return "\(u.type)" + (u.critical ? "!" : "")
        default: return "\(type)"
        }
    }
}

extension Message {
    /// e.g. `IKE_SA_INIT request 0 [ SA KE No N(NAT_DETECTION_SOURCE_IP) ]`.
    public var shortSummary: String {
        let role = header.isResponse ? "response" : "request"
        let list = payloads.map(\.shortSummary).joined(separator: " ")
        let inner = list.isEmpty ? "[ ]" : "[ \(list) ]"
        return "\(header.exchangeType) \(role) \(header.messageID) \(inner)"
    }
}
