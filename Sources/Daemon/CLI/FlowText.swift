import Foundation

/// Human-readable rendering of flows, the SPD and reload reports for ikectl.
public enum FlowText {
    /// `#3 2026-...Z 10.99.0.1 -> 10.99.0.2 any: protected (policy 'opp', protect)`
    /// and the reason on the next line.
    public static func render(_ r: FlowRecord) -> String {
        var head = "#\(r.id) \(SAText.date(r.time)) \(r.flow): \(r.decision.rawValue)"
        head += r.policy.map { " (policy '\($0)', \(r.action))" } ?? " (no policy)"
        return head + "\n    " + r.reason
    }

    public static func render(flows: [FlowRecord]) -> String {
        flows.isEmpty ? "no flows" : flows.map { render($0) }.joined(separator: "\n")
    }

    public static func render(spd: [SPDEntryInfo]) -> String {
        guard !spd.isEmpty else {
            return "no policies: every flow is discarded (RFC 4301 section 5.1)"
        }
        return spd.enumerated().map { i, e in
            var s = "\(i + 1). \(e.name): \(e.action)"
            if let c = e.connection { s += " via '\(c)'" + (e.btns ? ", BTNS peers ok" : "") }
            s += "\n     \(e.localTS.joined(separator: ", ")) === "
                + e.remoteTS.joined(separator: ", ")
            return s
        }.joined(separator: "\n")
    }

    public static func render(reload r: ReloadReport, message: String?) -> String {
        var lines = [(message ?? "reloaded") + ": \(r.connections) connection"
            + "\(r.connections == 1 ? "" : "s"), \(r.policies) "
            + "polic\(r.policies == 1 ? "y" : "ies")"]
        lines += r.warnings
        lines += r.restartNeeded
        if r.unauthorized.isEmpty {
            lines.append("every IKE SA is still authorized")
        } else {
            let verb = r.deleted > 0 ? "deleting" : "kept; delete with 'ikectl reload "
                + "--delete-unauthorized' or 'ikectl terminate --unauthorized'"
            lines.append("\(r.unauthorized.count) IKE SA\(r.unauthorized.count == 1 ? "" : "s") "
                + "no longer authorized (\(verb)):")
            for sa in r.unauthorized {
                lines.append("  \(sa.connection) \(sa.spiI)_i \(sa.spiR)_r \(sa.remoteID): "
                    + (sa.unauthorized ?? ""))
            }
        }
        return lines.joined(separator: "\n")
    }
}
