/// `ikectl flow`, `flows`, `spd`, `reload`, `terminate --unauthorized`, `rekey`.
extension IkectlMain {
    static func executeSPD(_ inv: IkectlInvocation) throws(DaemonError) -> Int32 {
        switch inv.command {
        case .flow(let request, let timeout):
            let r = try client(inv).send(ControlRequest(command: .flow, timeout: timeout,
                                                        flow: request),
                                         timeout: timeout + 5)
            guard r.ok, let record = r.flows?.first else {
                throw DaemonError(r.error ?? "iked decided nothing for the flow")
            }
            print(FlowText.render(record))
            // Still pending after the wait: not an answer a script can act on.
            return record.decision == .pending ? 1 : 0
        case .flows(let json):
            let flows = try daemon(inv, ControlRequest(command: .flows)).flows ?? []
            print(json ? prettyJSON(flows) : FlowText.render(flows: flows))
        case .spd(let json):
            let spd = try daemon(inv, ControlRequest(command: .spd)).spd ?? []
            print(json ? prettyJSON(spd) : FlowText.render(spd: spd))
        case .reload(let delete):
            let r = try client(inv).send(ControlRequest(command: .reload,
                                                        deleteUnauthorized: delete))
            guard r.ok, let report = r.reload else {
                throw DaemonError("reload refused:\n" + (r.error ?? "unknown reason"))
            }
            print(FlowText.render(reload: report, message: r.message))
        case .terminateUnauthorized:
            let r = try daemon(inv, ControlRequest(command: .terminate, unauthorized: true))
            print(r.message ?? "ok")
            for sa in r.sas ?? [] {
                print("  \(sa.connection) \(sa.spiI)_i \(sa.spiR)_r: \(sa.unauthorized ?? "")")
            }
        case .rekey(let name, let ike):
            let r = try daemon(inv, ControlRequest(command: .rekey, name: name, ike: ike))
            print(r.message ?? "ok")
        default:
            throw DaemonError("internal: not an SPD command")
        }
        return 0
    }
}
