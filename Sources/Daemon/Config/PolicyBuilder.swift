import BTNSAuth
import IKEv2

/// Builds the SPD (RFC 4301 section 4.4.1) from the `policy NAME { ... }` blocks, in
/// file order, checking each against the connections:
///
/// ```
/// policy web {
///     action protect            # protect | bypass | discard | bypass-or-protect
///     local-ts 10.0.0.0/24
///     remote-ts 0.0.0.0/0[tcp/443]
///     connection opportunistic  # the connection (or template) that protects
///     btns yes                  # a BTNS peer may satisfy this entry (RFC 5386)
/// }
/// ```
enum PolicyBuilder {
    static let keywords: [String: DirectiveTable.Kind] = [
        "action": .single, "local-ts": .list, "remote-ts": .list, "connection": .single,
        "btns": .single,
    ]

    /// `connections` are those that built without errors; `connectionBlocks` every
    /// connection block, so that a policy naming a broken connection gets no second,
    /// misleading "unknown connection" error.
    static func build(_ blocks: [ConfigParser.Block], connections: [ConnectionConfig],
                      connectionBlocks: [ConfigParser.Block],
                      sink: inout DiagnosticSink) -> SPD {
        var entries: [SPDEntry] = []
        var seen: [String: Int] = [:]
        for b in blocks {
            if let first = seen[b.name] {
                sink.error(b.line, "policy '\(b.name)' defined twice (first on line \(first)); "
                    + "policy names must be unique")
                continue
            }
            seen[b.name] = b.line
            if let e = entry(b, connections: connections,
                             blockNames: Set(connectionBlocks.map(\.name)), sink: &sink) {
                entries.append(e)
            }
        }
        return SPD(entries)
    }

    private static func entry(_ b: ConfigParser.Block, connections: [ConnectionConfig],
                              blockNames: Set<String>,
                              sink: inout DiagnosticSink) -> SPDEntry? {
        let before = sink.errorCount
        let name = b.name
        if name.isEmpty || !name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) {
            sink.error(b.line, "policy name '\(name)' may only contain letters, digits, "
                + "'-', '_' and '.'")
        }
        let t = DirectiveTable(b.directives, scope: "in policy '\(name)'", keywords: keywords,
                               sink: &sink)
        let actions = SPDAction.allCases.map(\.rawValue).joined(separator: ", ")
        var action: SPDAction?
        if let (s, line) = t.single("action") {
            action = SPDAction(rawValue: s.lowercased())
            if action == nil {
                sink.error(line, "action: unknown action '\(s)' (use \(actions))")
            }
        } else {
            sink.error(b.line, "policy '\(name)' has no action (add 'action' with one of "
                + "\(actions))")
        }
        let localTS = selectors(t, "local-ts", &sink)
        let remoteTS = selectors(t, "remote-ts", &sink)
        var btnsOK = false
        if let (s, line) = t.single("btns") {
            switch s.lowercased() {
            case "yes", "true", "on": btnsOK = true
            case "no", "false", "off": btnsOK = false
            default: sink.error(line, "btns: '\(s)' is neither yes nor no")
            }
        }

        let connection = t.single("connection")
        if let action, !action.initiatesIKE {
            if let (_, line) = connection {
                sink.warning(line, "connection is not used by action \(action.rawValue)")
            }
            if let (_, line) = t.single("btns"), btnsOK {
                sink.warning(line, "btns is not used by action \(action.rawValue)")
            }
        } else if let action {
            check(connection, action: action, btnsOK: btnsOK, policy: name, line: b.line,
                  connections: connections, blockNames: blockNames, sink: &sink)
        }
        guard sink.errorCount == before, let action else { return nil }
        return SPDEntry(name: name, action: action,
                        localTS: localTS.isEmpty ? SPDEntry.anyAddress : localTS,
                        remoteTS: remoteTS.isEmpty ? SPDEntry.anyAddress : remoteTS,
                        connection: action.initiatesIKE ? connection?.text : nil,
                        btnsOK: btnsOK, line: b.line)
    }

    /// A protecting entry needs a connection that exists; one whose peers are always
    /// BTNS (remote-auth btns) can never satisfy an entry without BTNS_OK.
    private static func check(_ connection: (text: String, line: Int)?, action: SPDAction,
                              btnsOK: Bool, policy: String, line: Int,
                              connections: [ConnectionConfig], blockNames: Set<String>,
                              sink: inout DiagnosticSink) {
        guard let (conn, connLine) = connection else {
            sink.error(line, "policy '\(policy)' has action \(action.rawValue) but no "
                + "connection (add 'connection NAME' naming the connection that protects "
                + "its flows)")
            return
        }
        guard let c = connections.first(where: { $0.name == conn }) else {
            if !blockNames.contains(conn) {
                let known = connections.map(\.name).joined(separator: ", ")
                sink.error(connLine, "connection: unknown connection '\(conn)' (configured: "
                    + "\(known.isEmpty ? "none" : known))")
            }
            return
        }
        if c.remoteAuth.isBTNS && !btnsOK {
            sink.error(connLine, "connection '\(conn)' has remote-auth btns, so its peers are "
                + "always BTNS peers, but policy '\(policy)' does not accept them (add "
                + "'btns yes', RFC 5386 section 2)")
        }
    }

    /// The selector syntax lives in `SelectorText.parse`, the one function to swap for
    /// the shared parser.
    private static func selectors(_ t: DirectiveTable, _ key: String,
                                  _ sink: inout DiagnosticSink) -> [TrafficSelector] {
        var out: [TrafficSelector] = []
        for (text, line) in t.list(key) {
            if let ts = SelectorText.parse(text) { out.append(ts) } else {
                sink.error(line, "\(key): '\(text)' is not ADDRESS/PREFIX or FIRST-LAST, "
                    + "optionally followed by [PROTO] or [PROTO/PORT[-PORT]] "
                    + "(e.g. 10.0.0.0/24[tcp/443])")
            }
        }
        return out
    }
}
