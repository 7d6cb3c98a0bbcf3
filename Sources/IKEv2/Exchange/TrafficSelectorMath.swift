/// Set arithmetic on traffic selectors (RFC 7296 section 2.9, section 3.13.1).
///
/// A selector is the product of three ranges: IP protocol (0 = any), port range and
/// address range. Addresses compare as big-endian unsigned integers of 32 or 128 bits
/// (held in `UInt128`), so every range boundary is computed exactly: no range is ever
/// shrunk to one address, and `::/0` against two allowed hosts yields both hosts
/// (the libreswan #918/#921 bug, spec digest 7.8).
///
/// Rules shared by all functions:
/// - Selectors of different types (IPv4 vs IPv6) never overlap.
/// - A malformed selector (address length not 4/16 or not matching its type, start
///   address above end address, start port above end port other than OPAQUE) is empty.
/// - OPAQUE ports (start 65535, end 0; RFC 7296 section 3.13.1, RFC 4301 4.4.1.1) are
///   their own value: they overlap only OPAQUE and the full range 0-65535 (ANY), and the
///   intersection is OPAQUE.
///
/// Pure: no I/O, no state.
public enum TrafficSelectorMath {
    /// The selector matching exactly the traffic both `a` and `b` match; nil when they
    /// share no traffic.
    public static func intersect(_ a: TrafficSelector, _ b: TrafficSelector)
        -> TrafficSelector?
    {
        guard let ra = Ranges(a), let rb = Ranges(b), ra.width == rb.width,
              a.type == b.type
        else { return nil }
        guard let proto = intersectProtocol(a.ipProtocol, b.ipProtocol),
              let ports = intersectPorts(ra.ports, rb.ports)
        else { return nil }
        let lo = max(ra.start, rb.start)
        let hi = min(ra.end, rb.end)
        guard lo <= hi else { return nil }
        return TrafficSelector(
            type: a.type, ipProtocol: proto, startPort: ports.start, endPort: ports.end,
            startAddress: bytes(lo, width: ra.width), endAddress: bytes(hi, width: ra.width))
    }

    /// Responder narrowing (RFC 7296 section 2.9): every non-empty intersection of a
    /// requested selector with an allowed one, in the order of `requested` (then of
    /// `allowed`), without exact duplicates. Empty: nothing acceptable (TS_UNACCEPTABLE).
    public static func narrow(requested: [TrafficSelector], allowed: [TrafficSelector])
        -> [TrafficSelector]
    {
        var out: [TrafficSelector] = []
        var seen = Set<TrafficSelector>()
        for r in requested {
            for a in allowed {
                if let i = intersect(r, a), seen.insert(i).inserted { out.append(i) }
            }
        }
        return out
    }

    /// `ts` minus the address ranges of `removing`, as disjoint selectors in ascending
    /// address order, each with the protocol and ports of `ts`.
    ///
    /// Only addresses are subtracted. A removed selector that overlaps `ts` in
    /// addresses removes those addresses for *all* protocols and ports of `ts`, even
    /// when it covers only some of them (or none: different protocol or ports).
    /// Reason (RFC 5386 section 2, walk 2): an address a non-BTNS PAD entry may claim
    /// belongs to an authenticated peer; letting an unauthenticated peer use it on the
    /// remaining ports would still let it pose as that host. This is the conservative
    /// choice: it may remove more than strictly necessary, never less.
    /// Selectors of another address family remove nothing. A malformed `ts` gives [].
    public static func subtract(_ ts: TrafficSelector, removing: [TrafficSelector])
        -> [TrafficSelector]
    {
        guard let r = Ranges(ts) else { return [] }
        var pieces: [(UInt128, UInt128)] = [(r.start, r.end)]
        for cut in removing {
            guard cut.type == ts.type, let c = Ranges(cut), c.width == r.width else {
                continue
            }
            var next: [(UInt128, UInt128)] = []
            for (s, e) in pieces {
                if c.end < s || c.start > e {
                    next.append((s, e))
                    continue
                }
                // c.start > s implies c.start - 1 >= s; c.end < e implies c.end + 1 <= e.
                if c.start > s { next.append((s, c.start - 1)) }
                if c.end < e { next.append((c.end + 1, e)) }
            }
            pieces = next
            if pieces.isEmpty { break }
        }
        return pieces.map { s, e in
            TrafficSelector(
                type: ts.type, ipProtocol: ts.ipProtocol, startPort: ts.startPort,
                endPort: ts.endPort, startAddress: bytes(s, width: r.width),
                endAddress: bytes(e, width: r.width))
        }
    }

    /// True when every packet `inner` matches is matched by `outer` (the initiator's
    /// subset check on a narrowed answer, RFC 7296 section 2.9). An empty (malformed)
    /// `inner` is covered by nothing, so a bad answer is never accepted.
    public static func covers(_ outer: TrafficSelector, _ inner: TrafficSelector) -> Bool {
        guard let ro = Ranges(outer), let ri = Ranges(inner), ro.width == ri.width,
              outer.type == inner.type
        else { return false }
        guard outer.ipProtocol == 0 || outer.ipProtocol == inner.ipProtocol else {
            return false
        }
        let portsOK: Bool
        switch (ro.ports, ri.ports) {
        case (.opaque, .opaque): portsOK = true
        case (.opaque, .range): portsOK = false
        case (.range(let s, let e), .opaque): portsOK = s == 0 && e == 65535
        case (.range(let os, let oe), .range(let s, let e)): portsOK = os <= s && e <= oe
        }
        return portsOK && ro.start <= ri.start && ri.end <= ro.end
    }

    /// True when every selector in `inner` is covered by some selector in `outer`, or
    /// by the union of several (a selector split across adjacent allowed ranges counts).
    public static func covers(_ outer: [TrafficSelector], _ inner: [TrafficSelector])
        -> Bool
    {
        inner.allSatisfy { ts in
            if outer.contains(where: { covers($0, ts) }) { return true }
            // Union check: subtract the outer selectors that cover ts's protocol and
            // ports; nothing may remain.
            let sameTraffic = outer.filter { o in
                var widened = ts
                widened.startAddress = o.startAddress
                widened.endAddress = o.endAddress
                return covers(o, widened)
            }
            return Ranges(ts) != nil && subtract(ts, removing: sameTraffic).isEmpty
        }
    }

    // MARK: - Internals

    private enum Ports: Equatable {
        case range(UInt16, UInt16)
        case opaque
    }

    /// A selector decoded into comparable ranges; nil when malformed (empty).
    private struct Ranges {
        var width: Int
        var start: UInt128
        var end: UInt128
        var ports: Ports

        init?(_ ts: TrafficSelector) {
            let n = ts.startAddress.count
            guard n == ts.endAddress.count else { return nil }
            switch ts.type {
            case .ipv4AddrRange: guard n == 4 else { return nil }
            case .ipv6AddrRange: guard n == 16 else { return nil }
            default: return nil
            }
            width = n
            start = TrafficSelectorMath.value(ts.startAddress)
            end = TrafficSelectorMath.value(ts.endAddress)
            guard start <= end else { return nil }
            if ts.startPort == 65535 && ts.endPort == 0 {
                ports = .opaque
            } else {
                guard ts.startPort <= ts.endPort else { return nil }
                ports = .range(ts.startPort, ts.endPort)
            }
        }
    }

    private static func intersectProtocol(_ a: UInt8, _ b: UInt8) -> UInt8? {
        if a == 0 { return b }
        if b == 0 || a == b { return a }
        return nil
    }

    private static func intersectPorts(_ a: Ports, _ b: Ports)
        -> (start: UInt16, end: UInt16)?
    {
        switch (a, b) {
        case (.opaque, .opaque):
            return (65535, 0)
        case (.opaque, .range(let s, let e)), (.range(let s, let e), .opaque):
            return s == 0 && e == 65535 ? (65535, 0) : nil
        case (.range(let s1, let e1), .range(let s2, let e2)):
            let s = max(s1, s2)
            let e = min(e1, e2)
            return s <= e ? (s, e) : nil
        }
    }

    /// Big-endian octets as an unsigned integer.
    private static func value(_ octets: [UInt8]) -> UInt128 {
        var v: UInt128 = 0
        for b in octets { v = v << 8 | UInt128(b) }
        return v
    }

    /// The low `width` octets of `v`, big-endian.
    private static func bytes(_ v: UInt128, width: Int) -> [UInt8] {
        (0..<width).map { i in UInt8(truncatingIfNeeded: v >> (8 * (width - 1 - i))) }
    }
}
