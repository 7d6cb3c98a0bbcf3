import BTNSAuth
import IKEv2

/// Answers `pad`, `explain`, `pins-show` and `pins-approve`, for iked (over the control
/// socket) and for ikectl offline (`--config FILE`, `--pin-store PATH`) alike.
enum PADRequests {
    /// `log` hears of changes made (an approved key), for the daemon's log.
    static func respond(_ request: ControlRequest, connections: [ConnectionConfig],
                        pins: PinStore?, log: (String) -> Void = { _ in }) -> ControlResponse
    {
        switch request.command {
        case .pad:
            return ControlResponse(ok: true, pad: PADEntryInfo.table(connections))
        case .explain:
            let id: IDPayload, key: PublicKey?, ts: [TrafficSelector]
            do {
                id = try peerID(request.id)
                key = try presentedKey(pem: request.key)
                ts = try selectors(request.ts ?? [])
            } catch {
                return .failure(error.message)
            }
            return ControlResponse(ok: true, explanation: PADExplainer.explain(
                peerID: id, presentedKey: key, peerTS: ts, connections: connections, pins: pins))
        case .pinsShow:
            return pinRequest(request, pins) { store, id throws(PinStoreError) in
                guard let detail = try store.detail(peerID: id) else {
                    return .failure("no pin for \(id.displayString)")
                }
                return ControlResponse(ok: true, pin: detail)
            }
        case .pinsApprove:
            return pinRequest(request, pins) { store, id throws(PinStoreError) in
                switch try store.approve(peerID: id) {
                case .noPin:
                    return .failure("no pin for \(id.displayString)")
                case .nothingRefused:
                    return .failure("no refused key recorded for \(id.displayString); nothing "
                        + "to approve")
                case .approved(let old, let new):
                    let message = "pin of \(id.displayString) changed from key \(old) to the "
                        + "refused key \(new), approved by the operator"
                    log(message)
                    return ControlResponse(ok: true, message: message,
                                           pin: try store.detail(peerID: id))
                }
            }
        default:
            return .failure("'\(request.command.rawValue)' is not a PAD request")
        }
    }

    private static func pinRequest(
        _ request: ControlRequest, _ pins: PinStore?,
        _ body: (PinStore, IDPayload) throws(PinStoreError) -> ControlResponse
    ) -> ControlResponse {
        let id: IDPayload
        do { id = try peerID(request.id) } catch { return .failure(error.message) }
        guard let pins else { return .failure("the pin store is not open") }
        do { return try body(pins, id) } catch { return .failure("\(error)") }
    }

    /// An asserted identity in the configuration's text form (`fqdn:`, `email:`,
    /// `ipv4:`, `ipv6:`, `keyid:`, `dn:`).
    static func peerID(_ text: String?) throws(DaemonError) -> IDPayload {
        guard let text, !text.isEmpty, let id = IDPayload(text: text) else {
            throw DaemonError("'\(text ?? "")' is not an identity (e.g. fqdn:host.example, "
                + "email:user@example.com, ipv4:10.0.0.1, keyid:HEX, \"dn:CN=host,O=Org\")")
        }
        return id
    }

    static func selectors(_ texts: [String]) throws(DaemonError) -> [TrafficSelector] {
        var out: [TrafficSelector] = []
        for text in texts {
            switch SelectorSyntax.parse(text) {
            case .success(let ts): out.append(ts)
            case .failure(let e): throw DaemonError("--ts: \(e.message)")
            }
        }
        return out
    }

    /// The public key of a PEM public key (SubjectPublicKeyInfo) or private key; nil
    /// for nil.
    static func presentedKey(pem: String?) throws(DaemonError) -> PublicKey? {
        guard let pem else { return nil }
        if let key = try? PublicKey(pem: pem) { return key }
        if let key = try? PrivateKey(pem: pem) { return key.publicKey }
        throw DaemonError("the key is neither a PEM public key nor a PEM private key "
            + "(Ed25519, ECDSA P-256/P-384, RSA)")
    }
}
