/// Command lines of `ikectl flow`, `flows`, `spd`, `reload` and `rekey`.
extension IkectlInvocation {
    /// nil: `name` is not one of these commands.
    static func parseSPDCommand(_ name: String,
                                _ p: inout CommandArgs) throws(DaemonError) -> Command? {
        switch name {
        case "flow":
            let proto = try p.option("--proto")
            let sport = try port(p.option("--sport"), "--sport")
            let dport = try port(p.option("--dport"), "--dport")
            let timeout = try p.option("--timeout").map { v throws(DaemonError) in
                guard let t = Double(v), t > 0 else {
                    throw DaemonError("flow: --timeout wants seconds, got '\(v)'")
                }
                return t
            } ?? defaultInitiateTimeout
            let request = FlowRequest(src: try p.positional("SRC"), dst: try p.positional("DST"),
                                      proto: proto, sport: sport, dport: dport)
            _ = try request.flow()  // refuse a bad flow before contacting iked
            return .flow(request, timeout: timeout)
        case "flows":
            return .flows(json: p.flag("--json"))
        case "spd":
            return .spd(json: p.flag("--json"))
        case "reload":
            return .reload(deleteUnauthorized: p.flag("--delete-unauthorized"))
        case "rekey":
            let ike = p.flag("--ike")
            return .rekey(name: try p.positional("NAME"), ike: ike)
        default:
            return nil
        }
    }

    private static func port(_ text: String?, _ flag: String) throws(DaemonError) -> Int? {
        guard let text else { return nil }
        guard let v = Int(text) else {
            throw DaemonError("flow: \(flag) wants a port number, got '\(text)'")
        }
        return v
    }
}
