import IKEv2

/// The `remote-id` forms beyond exact identities and `fqdn:*.DOMAIN`: the ID matchers
/// of a PAD entry (RFC 4301 section 4.4.3.1) and PUBLICKEY (RFC 5386 section 2).
///
/// - `ipv4:10.0.0.0/24`, `ipv4:10.0.0.1-10.0.0.9`, the same with `ipv6:`: an address
///   range (`ipv4:10.0.0.1` alone stays an exact identity)
/// - `email:*@example.com`: any user at that domain
/// - `dn:CN=host,O=Example`: an ID_DER_ASN1_DN, RDNs in DER order
/// - `publickey:FILE`: the peer whose presented raw key is the one in FILE
///   (SubjectPublicKeyInfo PEM), whatever ID it asserts
enum RemoteIDSyntax {
    /// The forms this type handles; nil for every other text (the caller's forms).
    static func parse(_ text: String, baseDirectory: String) -> Result<IDMatcher, DaemonError>? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let kind = text[..<colon].lowercased()
        let value = String(text[text.index(after: colon)...])
        switch kind {
        case "ipv4", "ipv6":
            guard value.contains("/") || value.contains("-") else { return nil }
            return addressRange(value, v4: kind == "ipv4", text: text)
        case "email", "rfc822":
            guard value.hasPrefix("*@") else { return nil }
            let domain = String(value.dropFirst(2))
            guard !domain.isEmpty, !domain.contains("@"), !domain.contains("*"),
                  domain.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber
                                                     || "-._".contains($0)) })
            else {
                return .failure(DaemonError("'\(text)' is not email:*@DOMAIN (any user at "
                    + "DOMAIN)"))
            }
            return .success(.rfc822Domain(domain))
        case "dn", "asn1dn":
            switch DistinguishedName.der(fromText: value) {
            case .success(let der):
                let shown = DistinguishedName.text(fromDER: der) ?? value
                return .success(.distinguishedName(der: der, text: shown))
            case .failure(let e):
                return .failure(DaemonError("'\(text)': \(e) (write dn:CN=NAME,O=ORG, RDNs in "
                    + "DER order)"))
            }
        case "publickey":
            guard !value.isEmpty else {
                return .failure(DaemonError("'\(text)' names no key file (publickey:FILE)"))
            }
            do {
                let key = try KeyFiles.publicKey(at: KeyFiles.resolve(value, base: baseDirectory))
                return .success(.publicKey(key, source: value))
            } catch {
                return .failure(DaemonError("publickey: \(error.message)"))
            }
        default:
            return nil
        }
    }

    private static func addressRange(_ value: String, v4: Bool,
                                     text: String) -> Result<IDMatcher, DaemonError> {
        let family = v4 ? "IPv4" : "IPv6"
        guard let ts = TrafficSelector(cidr: value),
              ts.startAddress.count == (v4 ? 4 : 16),
              let first = IPAddress(bytes: ts.startAddress),
              let last = IPAddress(bytes: ts.endAddress) else {
            return .failure(DaemonError("'\(text)' is not an \(family) address, ADDRESS/PREFIX "
                + "or FIRST-LAST"))
        }
        return .success(.addressRange(first: first, last: last))
    }
}
