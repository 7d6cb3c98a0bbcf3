import IKEv2

/// Turns configuration text into a `DaemonConfig`: groups lines into top-level directives
/// and `connection NAME { ... }` / `policy NAME { ... }` blocks, then interprets each,
/// recording every problem.
struct ConfigParser {
    let baseDirectory: String
    var sink: DiagnosticSink

    init(file: String, baseDirectory: String) {
        self.baseDirectory = baseDirectory
        self.sink = DiagnosticSink(file: file)
    }

    static let topKeywords: [String: DirectiveTable.Kind] = [
        "listen": .list, "ike-port": .single, "natt-port": .single, "socket": .single,
        "pin-store": .single, "log-level": .single, "retransmit-base": .single,
        "retransmit-tries": .single,
        "cookie-threshold": .single,
    ].merging(ConfigParser.lifetimeKeywords) { a, _ in a }

    /// Keywords that open a `KEYWORD NAME {` block.
    static let blockKeywords: Set<String> = ["connection", "policy"]

    struct Block {
        var name: String
        var line: Int
        var directives: [Directive] = []
        /// `connection` or `policy`.
        var kind = "connection"
    }

    mutating func parse(_ text: String) -> DaemonConfig {
        let lines = ConfigLexer.lines(text, sink: &sink)
        var top: [Directive] = []
        var blocks: [Block] = []
        var open: Block?
        for l in lines {
            let t = l.tokens
            if t[0].isSyntax("}") {
                if t.count > 1 { sink.error(l.number, "unexpected text after '}'") }
                if let b = open { blocks.append(b) } else {
                    sink.error(l.number, "'}' without an open 'connection NAME {' or "
                        + "'policy NAME {'")
                }
                open = nil
                continue
            }
            if t.contains(where: { $0.isSyntax("}") }) {
                sink.error(l.number, "put '}' on a line of its own")
                continue
            }
            // Inside a policy block `connection NAME` (no brace) is a directive.
            let opensBlock = open == nil || t.contains { $0.isSyntax("{") }
            if !t[0].quoted && Self.blockKeywords.contains(t[0].text) && opensBlock {
                let kind = t[0].text
                if let b = open {
                    sink.error(l.number, "'\(kind)' inside \(b.kind) '\(b.name)' "
                        + "(missing '}' for the block opened on line \(b.line)?)")
                    blocks.append(b)
                    open = nil
                }
                guard t.count == 3, t[2].isSyntax("{"), !t[1].isSyntax("{") else {
                    sink.error(l.number, "expected '\(kind) NAME {'")
                    continue
                }
                open = Block(name: t[1].text, line: l.number, kind: kind)
                continue
            }
            if t.contains(where: { $0.isSyntax("{") }) {
                sink.error(l.number, "'{' is only used after 'connection NAME' or "
                    + "'policy NAME'")
                continue
            }
            let d = Directive(keyword: t[0].text, args: Array(t.dropFirst()), line: l.number)
            if open != nil { open!.directives.append(d) } else { top.append(d) }
        }
        if let b = open {
            sink.error(b.line, "\(b.kind) '\(b.name)' is not closed (add '}')")
            blocks.append(b)
        }

        var config = parseTop(top)
        let policies = blocks.filter { $0.kind == "policy" }
        blocks.removeAll { $0.kind == "policy" }
        var seen: [String: Int] = [:]
        for b in blocks {
            if let first = seen[b.name] {
                sink.error(b.line, "connection '\(b.name)' defined twice (first on line "
                    + "\(first)); connection names must be unique")
                continue
            }
            seen[b.name] = b.line
            var builder = ConnectionBuilder(block: b, baseDirectory: baseDirectory)
            if let c = builder.build(sink: &sink, settings: config.settings) {
                config.connections.append(c)
                checkListen(c, config: config, line: b.line)
            }
        }
        if blocks.isEmpty {
            sink.warning(0, "no connections defined; iked will refuse every peer")
        }
        config.spd = PolicyBuilder.build(policies, connections: config.connections,
                                         connectionBlocks: blocks, sink: &sink)
        config.warnings = ConfigDiagnostic.inLineOrder(
            sink.items.filter { $0.severity == .warning })
        return config
    }

    private mutating func parseTop(_ directives: [Directive]) -> DaemonConfig {
        let table = DirectiveTable(directives, scope: "at top level",
                                   keywords: Self.topKeywords, sink: &sink)
        var config = DaemonConfig()
        for (text, line) in table.list("listen") {
            if let a = IPAddress(text) { config.listen.append(a) } else {
                sink.error(line, "listen: '\(text)' is not an IPv4 or IPv6 address "
                    + "(leave 'listen' out to use all addresses)")
            }
        }
        if let p = port(table, "ike-port") { config.settings.ikePort = p }
        if let p = port(table, "natt-port") { config.settings.nattPort = p }
        if config.settings.ikePort == config.settings.nattPort {
            sink.error(table.single("natt-port")?.line ?? table.single("ike-port")?.line ?? 0,
                       "ike-port and natt-port must differ (both \(config.settings.ikePort))")
        }
        if let (s, _) = table.single("socket") {
            config.socketPath = KeyFiles.resolve(s, base: baseDirectory)
        }
        if let (s, _) = table.single("pin-store") {
            config.pinStorePath = KeyFiles.resolve(s, base: baseDirectory)
        }
        if let (s, line) = table.single("log-level") {
            if let l = LogLevel(name: s) { config.logLevel = l } else {
                sink.error(line, "log-level: unknown level '\(s)' "
                    + "(use trace, debug, info, notice, warning or error)")
            }
        }
        if let (s, line) = table.single("retransmit-base") {
            if let v = Double(s), v > 0, v <= 60 { config.settings.retransmitBase = v } else {
                sink.error(line, "retransmit-base: '\(s)' is not a number of seconds in (0, 60]")
            }
        }
        if let (s, line) = table.single("retransmit-tries") {
            if let v = Int(s), (1...20).contains(v) { config.settings.retransmitTries = v } else {
                sink.error(line, "retransmit-tries: '\(s)' is not a whole number in 1...20")
            }
        }
        parseLifetimes(table, into: &config.settings)
        if let (s, line) = table.single("cookie-threshold") {
            if let v = Int(s), (0...1_000_000).contains(v) { config.settings.cookieThreshold = v } else {
                sink.error(line, "cookie-threshold: '\(s)' is not a whole number in 0...1000000")
            }
        }
        return config
    }

    private mutating func port(_ table: DirectiveTable, _ keyword: String) -> UInt16? {
        guard let (s, line) = table.single(keyword) else { return nil }
        guard let p = UInt16(s), p > 0 else {
            sink.error(line, "\(keyword): '\(s)' is not a UDP port (1-65535)")
            return nil
        }
        return p
    }

    private mutating func checkListen(_ c: ConnectionConfig, config: DaemonConfig, line: Int) {
        guard let a = c.localAddress, !config.listen.isEmpty, !config.listen.contains(a) else {
            return
        }
        sink.warning(line, "connection '\(c.name)': local-address \(a) is not among the "
            + "listen addresses, so its datagrams will not be received")
    }
}
