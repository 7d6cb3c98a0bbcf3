import BTNSAuth

/// Text output of `ikectl pad`, `explain` and `pins show`.
enum PADText {
    static func render(pad: [PADEntryInfo]) -> String {
        guard !pad.isEmpty else { return "empty PAD: no connections, every peer is refused" }
        var lines = ["PAD (RFC 4301 4.4.3), in order; walk 1 tries non-BTNS entries first, "
                     + "then BTNS entries, wildcard BTNS last (RFC 5386 section 2)"]
        for e in pad {
            let kind = e.btns ? (e.walk1Pass == 3 ? "BTNS wildcard" : "BTNS") : "non-BTNS"
            lines.append("\(e.number). \(e.name)  [\(kind), walk 1 pass \(e.walk1Pass)]")
            lines.append("     id    \(e.idMatcher)")
            lines.append("     auth  \(e.auth)")
            lines.append("     child SA authorization  "
                         + (e.childAuthorization.isEmpty ? "none"
                            : e.childAuthorization.joined(separator: ", ")))
        }
        return lines.joined(separator: "\n")
    }

    static func render(explanation x: PADExplanation) -> String {
        let key = x.presentedKey.map { ", presenting key \($0)" } ?? ", no raw key presented"
        var lines = ["peer \(x.peerID)" + key]
        lines.append("walk 1 (IKE_AUTH, RFC 5386 section 2):")
        lines += x.walk1.map { "  " + $0 }
        lines.append("  => " + x.walk1Result)
        lines.append("walk 2 (child SA authorization"
                     + (x.peerTS.isEmpty ? "):" : " for \(x.peerTS.joined(separator: ", "))):"))
        lines += x.walk2.map { "  " + $0 }
        if let r = x.walk2Result { lines.append("  => " + r) }
        lines.append("result: " + summary(x))
        return lines.joined(separator: "\n")
    }

    /// One line: accepted or refused, and where.
    static func summary(_ x: PADExplanation) -> String {
        if x.refused { return "REFUSED in walk 1: AUTHENTICATION_FAILED" }
        let who = x.entryName.map { "entry \(x.entry ?? 0) '\($0)'" + (x.btns ? " (BTNS)" : "") }
            ?? "?"
        if x.peerTS.isEmpty { return "IKE SA under \(who); no selectors given for walk 2" }
        if x.granted.isEmpty { return "IKE SA under \(who), child SA refused: TS_UNACCEPTABLE" }
        return "ACCEPTED under \(who), child SA for \(x.granted.joined(separator: ", "))"
    }

    static func render(pin d: PinDetail) -> String {
        var lines = [SAText.render(pins: [d.pin])]
        if d.refusals.isEmpty {
            lines.append("  no refused keys")
        } else {
            lines.append("  refused keys, newest first:")
            for r in d.refusals {
                lines.append("    \(SAText.date(r.at))  \(r.fingerprint)"
                             + (r.algorithm.map { " (\($0))" } ?? ""))
            }
            lines.append("  'ikectl pins approve \(d.pin.id)' pins the newest refused key")
        }
        return lines.joined(separator: "\n")
    }
}
