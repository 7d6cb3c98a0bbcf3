/// Why a message or payload could not be decoded, and where (RFC 7296 section 2.21).
///
/// `Wire` never logs and never traps on input: every failed check throws one of these,
/// and the exchange layer maps it to the notify the RFC asks for (`mappedNotify`).
public struct WireError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        /// A length field disagrees with the bytes present, or a fixed-size field is short.
        case invalidLength
        /// A field holds a value the RFC forbids (reserved bits, bad counts, bad ranges).
        case invalidSyntax
        /// The major version is above 2 (section 2.5): answer INVALID_MAJOR_VERSION.
        case invalidMajorVersion
        /// An unknown payload with the critical bit set (section 2.5).
        case unsupportedCriticalPayload
    }

    public var code: Code
    public var reason: String
    /// Offset in the decoded buffer where the problem was seen.
    public var offset: Int
    /// For `unsupportedCriticalPayload`: the payload type to echo in the notify.
    public var payloadType: UInt8?

    public init(_ code: Code, _ reason: String, at offset: Int, payloadType: UInt8? = nil) {
        self.code = code
        self.reason = reason
        self.offset = offset
        self.payloadType = payloadType
    }

    public var description: String { "\(code.rawValue) at offset \(offset): \(reason)" }
}
