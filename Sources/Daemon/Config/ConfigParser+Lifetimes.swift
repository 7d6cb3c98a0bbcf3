import IKEv2

/// Global keywords for liveness, rekeying and half-open SA limits (the `EngineSettings`
/// fields beyond ports and retransmission).
extension ConfigParser {
    static let lifetimeKeywords: [String: DirectiveTable.Kind] = [
        "dpd-delay": .single, "ike-rekey-time": .single, "child-rekey-time": .single,
        "max-half-open": .single, "half-open-timeout": .single,
    ]

    /// 30 days: longer rekey intervals or liveness delays are more likely typos (a value
    /// in minutes or milliseconds) than intent.
    static let maxLifetime = 86_400.0 * 30

    mutating func parseLifetimes(_ table: DirectiveTable, into s: inout EngineSettings) {
        // RFC 7296 section 1.4: an empty INFORMATIONAL checks the peer is alive.
        if let v = seconds(table, "dpd-delay", zero: "off") { s.dpdDelay = v }
        // Sections 1.3.2 and 2.8: rekey with CREATE_CHILD_SA before keys wear out.
        if let v = seconds(table, "ike-rekey-time", zero: "never") { s.ikeRekeyTime = v }
        if let v = seconds(table, "child-rekey-time", zero: "never") { s.childRekeyTime = v }
        // Section 2.6: bound the state an attacker can make us keep.
        if let (text, line) = table.single("max-half-open") {
            if let v = Int(text), (1...1_000_000).contains(v) { s.maxHalfOpen = v } else {
                sink.error(line, "max-half-open: '\(text)' is not a whole number in 1...1000000")
            }
        }
        if let (text, line) = table.single("half-open-timeout") {
            if let v = Double(text), v > 0, v <= 600 { s.halfOpenTimeout = v } else {
                sink.error(line, "half-open-timeout: '\(text)' is not a number of seconds "
                    + "in (0, 600]")
            }
        }
    }

    /// A number of seconds in [0, 30 days]; `zero` says what 0 means, for the message.
    private mutating func seconds(_ table: DirectiveTable, _ key: String,
                                  zero: String) -> Double? {
        guard let (text, line) = table.single(key) else { return nil }
        guard let v = Double(text), v >= 0, v <= Self.maxLifetime else {
            sink.error(line, "\(key): '\(text)' is not a number of seconds in 0...2592000 "
                + "(0 = \(zero))")
            return nil
        }
        return v
    }
}
