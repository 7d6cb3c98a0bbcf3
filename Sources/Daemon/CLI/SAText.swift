import Foundation
import IKEv2
import BTNSAuth

/// Human-readable rendering of SA snapshots for `ikectl list-sas` and the daemon log.
public enum SAText {
    /// One log line: `IKE SA 'rpk' established as initiator, 10.99.0.1:4500 <-> ...`.
    public static func establishedLine(_ sa: IKESASnapshot) -> String {
        var s = "IKE SA '\(sa.connection)' established as \(sa.role), \(sa.local) <-> "
            + "\(sa.remote), \(sa.localID) <-> \(sa.remoteID), \(sa.proposal), auth \(sa.authMethod)"
        if sa.btns { s += ", BTNS peer key \(sa.peerKeyFingerprint ?? "?")" }
        for c in sa.children {
            s += "; child '\(c.name)' \(c.protocolName) spi in \(c.spiIn) out \(c.spiOut) "
                + "\(c.localTS.joined(separator: ",")) === \(c.remoteTS.joined(separator: ","))"
        }
        return s
    }

    /// The multi-line block for one IKE SA.
    public static func render(_ sa: IKESASnapshot, now: Double = Date().timeIntervalSince1970)
        -> String {
        var lines: [String] = []
        var head = "\(sa.connection): \(sa.state), \(sa.role)"
        if let t = sa.established { head += ", established \(Int(max(0, now - t))) s ago" }
        lines.append(head)
        lines.append("  local  \(sa.local)  \(sa.localID)")
        lines.append("  remote \(sa.remote)  \(sa.remoteID)" + (sa.natDetected ? "  (NAT)" : ""))
        lines.append("  spi    \(sa.spiI)_i \(sa.spiR)_r")
        lines.append("  ike    \(sa.proposal)  auth \(sa.authMethod)")
        if sa.btns || sa.peerKeyFingerprint != nil {
            let kind = sa.btns ? "btns (leap of faith, pinned)" : "configured key"
            lines.append("  peer   \(kind) \(sa.peerKeyFingerprint ?? "")")
        }
        for c in sa.children {
            var algs = c.encr + (c.integ.map { "-" + $0 } ?? "") + (c.esn ? "-esn" : "")
            if c.udpEncapsulation { algs += ", in UDP" }
            lines.append("  child  \(c.name): \(c.state), \(c.protocolName) \(c.mode) \(algs)")
            lines.append("         spi in \(c.spiIn) out \(c.spiOut)")
            lines.append("         \(c.localTS.joined(separator: ", ")) === "
                + "\(c.remoteTS.joined(separator: ", "))")
        }
        return lines.joined(separator: "\n")
    }

    public static func render(_ sas: [IKESASnapshot]) -> String {
        sas.isEmpty ? "no IKE SAs" : sas.map { render($0) }.joined(separator: "\n\n")
    }

    public static func render(pins: [PinRecord]) -> String {
        guard !pins.isEmpty else { return "no pins" }
        return pins.map { p in
            var s = "\(p.id)\n  key \(p.fingerprint), first seen \(date(p.firstSeen)), last seen "
                + "\(date(p.lastSeen)), \(p.saCount) SA\(p.saCount == 1 ? "" : "s")"
            if let r = p.refusedFingerprint {
                s += "\n  REFUSED key \(r)" + (p.refusedAt.map { " at \(date($0))" } ?? "")
                    + " (forget the pin with 'ikectl pins forget \(p.id)' if the key changed "
                    + "legitimately)"
            }
            return s
        }.joined(separator: "\n")
    }

    public static func render(connections: [ConnectionInfo]) -> String {
        guard !connections.isEmpty else { return "no connections" }
        return connections.map { c in
            """
            \(c.name): \(c.localAddress ?? "%any") <-> \(c.remoteAddress ?? "%any (responder only)")
              local  \(c.localID ?? "(default)") auth \(c.localAuth)
              remote \(c.remoteID) auth \(c.remoteAuth)
              ike    \(c.ikeProposals.joined(separator: ", "))
              esp    \(c.espProposals.joined(separator: ", ")) \(c.mode)
              ts     \(c.localTS.joined(separator: ", ")) === \(c.remoteTS.joined(separator: ", "))
            """
        }.joined(separator: "\n")
    }

    static func date(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        return f.string(from: d)
    }

    /// Pin times are seconds since 1970.
    static func date(_ seconds: Double) -> String {
        date(Date(timeIntervalSince1970: seconds))
    }
}
