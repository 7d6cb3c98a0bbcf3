/// The payloads an exchange step reads, picked out of a message once
/// (RFC 7296 sections 1.2 to 1.4 list which each exchange carries).
struct ExchangePayloads {
    var sa: SAPayload?
    var ke: KEPayload?
    var nonce: NoncePayload?
    var idi: IDPayload?
    var idr: IDPayload?
    var auth: AuthPayload?
    var tsi: [TrafficSelector] = []
    var tsr: [TrafficSelector] = []

    /// The first of each kind counts; repeats are ignored.
    init(_ payloads: [Payload]) {
        for p in payloads {
            switch p {
            case .sa(let s): sa = sa ?? s
            case .ke(let k): ke = ke ?? k
            case .nonce(let n): nonce = nonce ?? n
            case .idi(let id): idi = idi ?? id
            case .idr(let id): idr = idr ?? id
            case .auth(let a): auth = auth ?? a
            case .tsi(let t): if tsi.isEmpty { tsi = t.selectors }
            case .tsr(let t): if tsr.isEmpty { tsr = t.selectors }
            default: break
            }
        }
    }
}
