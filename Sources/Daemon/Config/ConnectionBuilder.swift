import IKEv2

/// Builds one `ConnectionConfig` from a `connection NAME { ... }` block, checking that
/// the authentication settings fit together and loading the key and secret files.
struct ConnectionBuilder {
    let block: ConfigParser.Block
    let baseDirectory: String

    static let keywords: [String: DirectiveTable.Kind] = [
        "local-address": .single, "remote-address": .single, "remote-port": .single,
        "remote-natt-port": .single, "local-id": .single, "remote-id": .single,
        "local-auth": .single, "remote-auth": .single, "psk": .single, "psk-file": .single,
        "local-key": .single, "remote-key": .list, "send-cert": .single,
        "ike-proposals": .list, "esp-proposals": .list, "local-ts": .list,
        "remote-ts": .list, "mode": .single,
    ]
    static let defaultIKE = ["aes128gcm16-prfsha256-x25519", "aes256-sha256-x25519"]
    static let defaultESP = ["aes128gcm16", "aes256-sha256"]
    /// RFC 7296 section 2.15 wants the PSK as strong as the derived keys; below 16 octets
    /// one captured exchange makes an offline dictionary attack practical.
    static let minimumPSKLength = 16

    private var errorsBefore = 0
    private var name: String { block.name }

    init(block: ConfigParser.Block, baseDirectory: String) {
        self.block = block
        self.baseDirectory = baseDirectory
    }

    mutating func build(sink: inout DiagnosticSink, settings: EngineSettings) -> ConnectionConfig? {
        errorsBefore = sink.errorCount
        let scope = "in connection '\(name)'"
        if name.isEmpty || !name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) {
            sink.error(block.line, "connection name '\(name)' may only contain letters, digits, "
                + "'-', '_' and '.'")
        }
        let t = DirectiveTable(block.directives, scope: scope, keywords: Self.keywords, sink: &sink)

        let localAddress = address(t, "local-address", &sink)
        let remoteAddress = address(t, "remote-address", &sink)
        if let l = localAddress, let r = remoteAddress, l.isV4 != r.isV4 {
            sink.error(t.single("remote-address")!.line, "local-address \(l) and remote-address "
                + "\(r) are of different address families")
        }
        let remotePort = port(t, "remote-port", &sink) ?? 500
        let remoteNATTPort = port(t, "remote-natt-port", &sink) ?? 4500

        let localAuthName = authName(t, "local-auth", allowed: ["psk", "pubkey"], &sink)
        let remoteAuthName = authName(t, "remote-auth", allowed: ["psk", "pubkey", "btns"], &sink)
        let psk = loadPSK(t, needed: localAuthName == "psk" || remoteAuthName == "psk", &sink)

        var localAuth: LocalCredential?
        switch localAuthName {
        case "psk":
            localAuth = psk.map { .psk($0) }
            unused(t, "local-key", because: "local-auth is psk", &sink)
        case "pubkey":
            if let (path, line) = t.single("local-key") {
                let full = KeyFiles.resolve(path, base: baseDirectory)
                do {
                    localAuth = .privateKey(try KeyFiles.privateKey(at: full))
                    if KeyFiles.isExposed(full) {
                        sink.warning(line, "private key '\(full)' is readable by group or others; "
                            + "chmod 600 it")
                    }
                } catch {
                    sink.error(line, "local-key: " + error.message)
                }
            } else {
                sink.error(t.single("local-auth")!.line, "connection '\(name)' has local-auth "
                    + "pubkey but no local-key (add 'local-key FILE', e.g. from 'ikectl genkey')")
            }
        default:
            break
        }

        var remoteAuth: PeerCredential?
        var remoteKeys: [PublicKey] = []
        let (matcher, specialID) = remoteIDMatcher(t, &sink)
        var matcherKey: PublicKey?
        if case .publicKey(let k, _)? = matcher { matcherKey = k }
        switch remoteAuthName {
        case "psk":
            remoteAuth = psk.map { .psk($0) }
            unused(t, "remote-key", because: "remote-auth is psk", &sink)
        case "pubkey":
            for (path, line) in t.list("remote-key") {
                do {
                    remoteKeys.append(try KeyFiles.publicKey(at: KeyFiles.resolve(path,
                                                                                  base: baseDirectory)))
                } catch {
                    sink.error(line, "remote-key: " + error.message)
                }
            }
            if let k = matcherKey {
                // publickey:FILE names the key: remote-key may be left out (RFC 5386 2)
                if remoteKeys.isEmpty { remoteKeys = [k] } else if !remoteKeys.contains(k) {
                    sink.error(t.list("remote-key")[0].line, "remote-id publickey: names key "
                        + "\(k.fingerprint), which is not among the remote-key keys; drop "
                        + "remote-key or add that key")
                }
            } else if !t.has("remote-key") {
                sink.error(t.single("remote-auth")!.line, "connection '\(name)' has remote-auth "
                    + "pubkey but no remote-key (add 'remote-key FILE' with the peer's public "
                    + "key, or use 'remote-auth btns' to accept any key on first use)")
            }
            remoteAuth = .publicKeys(remoteKeys)
        case "btns":
            remoteAuth = .btns
            if t.has("remote-key") {
                sink.error(t.list("remote-key")[0].line, "remote-key is not used with remote-auth "
                    + "btns (any key is accepted on first use and pinned); remove it, or use "
                    + "remote-auth pubkey")
            }
        default:
            break
        }
        if psk != nil && localAuthName != "psk" && remoteAuthName != "psk" {
            let line = (t.single("psk") ?? t.single("psk-file"))!.line
            sink.warning(line, "a PSK is configured but neither local-auth nor remote-auth is psk")
        }

        let localID = parseLocalID(t, &sink)
        let remoteID = specialID ? matcher ?? .any
            : parseRemoteID(t, remoteAuthName: remoteAuthName, keys: remoteKeys, &sink)
        if matcherKey != nil, remoteAddress != nil, let (_, line) = t.single("remote-id") {
            sink.warning(line, "remote-id publickey: matches a peer by the key it presents "
                + "when it initiates; iked cannot initiate this connection (the responder's "
                + "ID is checked before its key): use remote-key FILE for that")
        }
        let sendCert = yesNo(t, "send-cert", &sink) ?? true
        let ike = proposals(t, "ike-proposals", esp: false, &sink)
        let esp = proposals(t, "esp-proposals", esp: true, &sink)
        let localTS = selectors(t, "local-ts", fallback: localAddress, &sink)
        let remoteTS = selectors(t, "remote-ts", fallback: remoteAddress, &sink)
        var mode = IPsecMode.tunnel
        if let (m, line) = t.single("mode") {
            if let parsed = IPsecMode(rawValue: m.lowercased()) { mode = parsed } else {
                sink.error(line, "mode: '\(m)' is neither 'tunnel' nor 'transport'")
            }
        }

        let errorsNow = sink.errorCount
        guard errorsNow == errorsBefore, let localAuth, let remoteAuth else { return nil }
        return ConnectionConfig(
            name: name, localAddress: localAddress, remoteAddress: remoteAddress,
            remotePort: remotePort, remoteNATTPort: remoteNATTPort, localID: localID,
            remoteID: remoteID, localAuth: localAuth, remoteAuth: remoteAuth, sendCert: sendCert,
            ikeProposals: ike, espProposals: esp, localTS: localTS, remoteTS: remoteTS, mode: mode)
    }

    // MARK: - Pieces

    private func address(_ t: DirectiveTable, _ key: String,
                         _ sink: inout DiagnosticSink) -> IPAddress? {
        guard let (s, line) = t.single(key) else { return nil }
        guard let a = IPAddress(s) else {
            sink.error(line, "\(key): '\(s)' is not an IPv4 or IPv6 address")
            return nil
        }
        return a
    }

    private func port(_ t: DirectiveTable, _ key: String, _ sink: inout DiagnosticSink) -> UInt16? {
        guard let (s, line) = t.single(key) else { return nil }
        guard let p = UInt16(s), p > 0 else {
            sink.error(line, "\(key): '\(s)' is not a UDP port (1-65535)")
            return nil
        }
        return p
    }

    private func authName(_ t: DirectiveTable, _ key: String, allowed: [String],
                          _ sink: inout DiagnosticSink) -> String? {
        guard let (s, line) = t.single(key) else {
            sink.error(block.line, "connection '\(name)' has no \(key) "
                + "(add '\(key) \(allowed.joined(separator: "|"))')")
            return nil
        }
        let v = s.lowercased()
        guard allowed.contains(v) else {
            var hint = "use \(allowed.joined(separator: ", "))"
            if key == "local-auth" && v == "btns" {
                hint = "btns describes how the peer is accepted; this end signs with its own "
                    + "key: use 'local-auth pubkey' and 'local-key FILE'"
            }
            sink.error(line, "\(key): unknown method '\(s)' (\(hint))")
            return nil
        }
        return v
    }

    private func loadPSK(_ t: DirectiveTable, needed: Bool,
                         _ sink: inout DiagnosticSink) -> SecretBytes? {
        var secret: [UInt8]?
        var line = block.line
        if let (s, l) = t.single("psk") {
            secret = Array(s.utf8)
            line = l
            if let (_, l2) = t.single("psk-file") {
                sink.error(l2, "give either psk or psk-file, not both")
                return nil
            }
        } else if let (path, l) = t.single("psk-file") {
            line = l
            let full = KeyFiles.resolve(path, base: baseDirectory)
            do {
                var text = try KeyFiles.read(full, as: .psk)
                while text.last?.isNewline == true { text.removeLast() }
                secret = Array(text.utf8)
                if KeyFiles.isExposed(full) {
                    sink.warning(l, "psk-file '\(full)' is readable by group or others; chmod 600 it")
                }
            } catch {
                sink.error(l, "psk-file: \(error.message)")
                return nil
            }
        }
        guard let secret else {
            if needed {
                sink.error(block.line, "connection '\(name)' uses psk authentication but has no "
                    + "psk or psk-file")
            }
            return nil
        }
        if secret.count < Self.minimumPSKLength {
            sink.error(line, "psk is \(secret.count) octets; use at least "
                + "\(Self.minimumPSKLength) (for example 'openssl rand -base64 24')")
            return nil
        }
        return SecretBytes(secret)
    }

    private func unused(_ t: DirectiveTable, _ key: String, because: String,
                        _ sink: inout DiagnosticSink) {
        if let line = t.list(key).first?.line ?? t.single(key)?.line {
            sink.warning(line, "\(key) is not used because \(because)")
        }
    }

    private func parseLocalID(_ t: DirectiveTable, _ sink: inout DiagnosticSink) -> IDPayload? {
        guard let (s, line) = t.single("local-id") else { return nil }
        if s.lowercased().hasPrefix("dn:") {
            guard let id = IDPayload(text: s) else {
                sink.error(line, "local-id: '\(s)' is not a distinguished name "
                    + "(dn:CN=NAME,O=ORG, quoted because of the commas)")
                return nil
            }
            return id
        }
        if let problem = Self.identityProblem(s) {
            sink.error(line, "local-id: \(problem)")
            return nil
        }
        guard s != "%any", !s.contains("*"), let id = IDPayload(text: s) else {
            sink.error(line, "local-id: '\(s)' is not an identity (use fqdn:NAME, email:USER@NAME, "
                + "ipv4:ADDR, ipv6:ADDR or keyid:HEX)")
            return nil
        }
        return id
    }

    /// The remote-id forms of `RemoteIDSyntax` (ranges, `email:*@`, `dn:`,
    /// `publickey:`); `handled` false for the other forms. Errors are reported here.
    private func remoteIDMatcher(_ t: DirectiveTable, _ sink: inout DiagnosticSink)
        -> (IDMatcher?, handled: Bool)
    {
        guard let (s, line) = t.single("remote-id"),
              let parsed = RemoteIDSyntax.parse(s, baseDirectory: baseDirectory)
        else { return (nil, false) }
        switch parsed {
        case .success(let m): return (m, true)
        case .failure(let e):
            sink.error(line, "remote-id: \(e.message)")
            return (nil, true)
        }
    }

    /// Absent remote-id: `%any` for btns and PSK; for pubkey with exactly one key, that
    /// key's ID_KEY_ID, which is what strongSwan's rpk-keyid peers send.
    private func parseRemoteID(_ t: DirectiveTable, remoteAuthName: String?, keys: [PublicKey],
                               _ sink: inout DiagnosticSink) -> IDMatcher {
        guard let (s, line) = t.single("remote-id") else {
            if remoteAuthName == "pubkey", keys.count == 1 {
                return .exact(IDPayload(type: .keyID, data: Keys.keyID(keys[0])))
            }
            return .any
        }
        if s == "%any" { return .any }
        if let problem = Self.identityProblem(s) {
            sink.error(line, "remote-id: \(problem)")
            return .any
        }
        var wild = s
        if wild.lowercased().hasPrefix("fqdn:") { wild = String(wild.dropFirst(5)) }
        if wild.hasPrefix("*.") {
            let suffix = String(wild.dropFirst(2))
            if !suffix.isEmpty, !suffix.contains("*") { return .wildcardFQDN(suffix: suffix) }
        }
        guard !s.contains("*"), let id = IDPayload(text: s) else {
            sink.error(line, "remote-id: '\(s)' is not an identity (use %any, fqdn:NAME, "
                + "fqdn:*.DOMAIN, email:USER@NAME, ipv4:ADDR, ipv6:ADDR or keyid:HEX)")
            return .any
        }
        return .exact(id)
    }

    static let identityForms = "fqdn:NAME, email:USER@NAME, ipv4:ADDR, ipv6:ADDR or keyid:HEX"

    /// Why `text` is not a usable identity, or nil. IDPayload(text:) is lenient (it
    /// takes `fqdn:` for the FQDN "fqdn:" and keeps blanks), so the configuration checks
    /// the text itself: no blanks or control characters, a value after a type prefix,
    /// and FQDNs (given or guessed) made of letters, digits, '-', '.', '_' and '*'.
    static func identityProblem(_ text: String) -> String? {
        if text.isEmpty { return "the identity is empty (use \(identityForms))" }
        if text.unicodeScalars.contains(where: {
            $0.properties.isWhitespace || $0.properties.generalCategory == .control
        }) {
            return "'\(text)' contains a blank or control character; identities may not"
        }
        var value = Substring(text)
        var prefix: String?
        if let colon = text.firstIndex(of: ":") {
            let kind = text[..<colon].lowercased()
            if ["fqdn", "email", "rfc822", "ipv4", "ipv6", "keyid"].contains(kind) {
                prefix = kind
                value = text[text.index(after: colon)...]
                if value.isEmpty {
                    return "'\(text)' has nothing after '\(text[...colon])' "
                        + "(use \(identityForms))"
                }
            }
        }
        let isFQDN: Bool
        switch prefix {
        case "fqdn": isFQDN = true
        case nil:
            // Guessed like IDPayload(text:): an address, user@name, otherwise an FQDN.
            isFQDN = IPAddress(text) == nil && !text.contains("@")
        default: isFQDN = false
        }
        if isFQDN, let bad = value.first(where: {
            !($0.isASCII && ($0.isLetter || $0.isNumber || "-._*".contains($0)))
        }) {
            var message = "'\(text)' is not a valid FQDN identity: '\(bad)' is not allowed "
                + "(letters, digits, '-', '.', '_' and '*' are)"
            if prefix == nil, bad == ":" {
                message += "; unknown type prefix '\(text.prefix { $0 != ":" })'? "
                    + "(use \(identityForms))"
            }
            return message
        }
        if prefix == "email" || prefix == "rfc822" || (prefix == nil && text.contains("@")) {
            let parts = value.split(separator: "@", omittingEmptySubsequences: false)
            if parts.count != 2 || parts[0].isEmpty || parts[1].isEmpty {
                return "'\(text)' is not an email identity (use email:USER@NAME)"
            }
        }
        return nil
    }

    private func yesNo(_ t: DirectiveTable, _ key: String, _ sink: inout DiagnosticSink) -> Bool? {
        guard let (s, line) = t.single(key) else { return nil }
        switch s.lowercased() {
        case "yes", "true", "on": return true
        case "no", "false", "off": return false
        default:
            sink.error(line, "\(key): '\(s)' is neither yes nor no")
            return nil
        }
    }

    private func proposals(_ t: DirectiveTable, _ key: String, esp: Bool,
                           _ sink: inout DiagnosticSink) -> [ProposalSpec] {
        let given = t.list(key)
        let texts = given.isEmpty ? (esp ? Self.defaultESP : Self.defaultIKE).map { ($0, 0) } : given
        var out: [ProposalSpec] = []
        for (text, line) in texts {
            do {
                let spec = try ProposalSpec(parsing: text, forESP: esp)
                if spec.usesDeprecatedAlgorithms {
                    // RFC 8247: understood for interoperability, never offered by default
                    sink.warning(line, "\(key) '\(text)' uses an algorithm RFC 8247 says should "
                                 + "not or must not be used; keep it only for an old peer")
                }
                out.append(spec)
            } catch {
                sink.error(line, "\(error) in \(key)")
            }
        }
        return out
    }

    private func selectors(_ t: DirectiveTable, _ key: String, fallback: IPAddress?,
                           _ sink: inout DiagnosticSink) -> [TrafficSelector] {
        let given = t.list(key)
        if given.isEmpty {
            // Host-to-host: protect traffic between the two IKE addresses.
            if let a = fallback, let ts = TrafficSelector(cidr: "\(a)") { return [ts] }
            let side = key == "local-ts" ? "local-address" : "remote-address"
            sink.error(block.line, "connection '\(name)' has no \(key) and no \(side) to derive "
                + "it from (add '\(key) ADDRESS/PREFIX')")
            return []
        }
        var out: [TrafficSelector] = []
        for (text, line) in given {
            switch SelectorSyntax.parse(text) {
            case .success(let ts): out.append(ts)
            case .failure(let e): sink.error(line, "\(key): \(e.message)")
            }
        }
        return out
    }
}
