/// Arguments of `ikectl pad` and `ikectl explain`.
extension CommandArgs {
    /// `pad [--json] [--config FILE]`,
    /// `explain PEER-ID [--key FILE] [--ts SELECTOR...] [--json] [--config FILE]`.
    /// A configuration given before the command (`ikectl --config FILE explain ...`)
    /// works offline too.
    mutating func padCommand(_ name: String, globalConfig: String?)
        throws(DaemonError) -> IkectlInvocation.Command
    {
        let json = flag("--json")
        let config = try option("--config") ?? globalConfig
        guard name == "explain" else { return .pad(json: json, config: config) }
        let key = try option("--key")
        let ts = try values(after: "--ts")
        return .explain(peerID: try positional("PEER-ID"), key: key, ts: ts, json: json,
                        config: config)
    }

    /// Every value after each `name` up to the next option: `--ts A B --ts C` is A, B, C.
    mutating func values(after name: String) throws(DaemonError) -> [String] {
        var out: [String] = []
        while let i = args.firstIndex(of: name) {
            var j = i + 1
            while j < args.count, !args[j].hasPrefix("--") { j += 1 }
            guard j > i + 1 else { throw DaemonError("\(command): \(name) needs a value") }
            out += args[(i + 1)..<j]
            args.removeSubrange(i..<j)
        }
        return out
    }
}
