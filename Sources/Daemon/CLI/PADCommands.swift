import BTNSAuth
import IKEv2

/// `ikectl pad`, `explain`, `pins show` and `pins approve`: asked of the running iked,
/// or answered here from a configuration file (`--config`) or pin store (`--pin-store`)
/// without it.
enum PADCommands {
    typealias Ask = (ControlRequest) throws(DaemonError) -> ControlResponse

    static func run(_ inv: IkectlInvocation, ask: Ask) throws(DaemonError) -> Int32 {
        switch inv.command {
        case .pad(let json, let config):
            let r = try answer(ControlRequest(command: .pad), config: config, store: nil, ask)
            print(json ? IkectlMain.prettyJSON(r.pad ?? []) : PADText.render(pad: r.pad ?? []))
        case .explain(let peerID, let keyFile, let ts, let json, let config):
            var pem: String?
            if let keyFile {
                // Only the public key leaves this process, also for a private key file.
                let text = try KeyFiles.read(keyFile, as: .publicKey)
                pem = try PADRequests.presentedKey(pem: text)?.pem
            }
            let request = ControlRequest(command: .explain, id: peerID, key: pem, ts: ts)
            let r = try answer(request, config: config, store: nil, ask)
            guard let x = r.explanation else { throw DaemonError("iked sent no explanation") }
            print(json ? IkectlMain.prettyJSON(x) : PADText.render(explanation: x))
            return x.refused || (!x.peerTS.isEmpty && x.granted.isEmpty) ? 1 : 0
        case .pinsShow(let id, let json, let store):
            let r = try answer(ControlRequest(command: .pinsShow, id: id), config: nil,
                               store: store.map { ($0, true) }, ask)
            guard let pin = r.pin else { throw DaemonError("no pin for \(id)") }
            print(json ? IkectlMain.prettyJSON(pin) : PADText.render(pin: pin))
        case .pinsApprove(let id, let store):
            let r = try answer(ControlRequest(command: .pinsApprove, id: id), config: nil,
                               store: store.map { ($0, false) }, ask)
            print(r.message ?? "approved")
        default:
            throw DaemonError("not a PAD command")
        }
        return 0
    }

    /// Offline with `config` (its connections and, when readable, its pin store) or
    /// `store` (path, read-only?); otherwise asks iked.
    private static func answer(_ request: ControlRequest, config: String?,
                               store: (String, Bool)?, _ ask: Ask) throws(DaemonError)
        -> ControlResponse
    {
        let r: ControlResponse
        if let config {
            let c: DaemonConfig
            do { c = try DaemonConfig.load(path: config) } catch {
                throw DaemonError("cannot read \(config):\n\(error)")
            }
            // The pin store only refines explain's BTNS verdict; without it, say so.
            let pins = try? PinStore(path: c.pinStorePath, access: .readOnly)
            r = PADRequests.respond(request, connections: c.connections, pins: pins)
        } else if let (path, readOnly) = store {
            let pins: PinStore
            do {
                pins = try PinStore(path: path, access: readOnly ? .readOnly : .readWrite)
            } catch {
                throw DaemonError("\(error)")
            }
            r = PADRequests.respond(request, connections: [], pins: pins)
        } else {
            return try ask(request)
        }
        guard r.ok else { throw DaemonError(r.error ?? "refused") }
        return r
    }
}
