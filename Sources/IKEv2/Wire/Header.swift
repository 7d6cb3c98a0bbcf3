/// IKE header (RFC 7296 section 3.1), 28 octets.
///
///     SPIi (8) | SPIr (8) | Next Payload | MjVer|MnVer | Exchange Type | Flags
///     | Message ID (4) | Length (4)
public struct IKEHeader: Hashable, Sendable {
    public static let size = 28

    public var spiI: UInt64
    public var spiR: UInt64
    /// Type of the first payload; filled in by the encoder from the payload list.
    public var nextPayload: PayloadType
    public var majorVersion: UInt8
    public var minorVersion: UInt8
    public var exchangeType: ExchangeType
    /// I (0x08): sent by the original initiator of the IKE SA.
    public var isInitiator: Bool
    /// R (0x20): this message is a response.
    public var isResponse: Bool
    /// V (0x10): sender could speak a higher major version; sent as 0.
    public var higherVersion: Bool
    public var messageID: UInt32
    /// Total message length; filled in by the encoder.
    public var length: UInt32

    public init(
        spiI: UInt64, spiR: UInt64, exchangeType: ExchangeType,
        isInitiator: Bool, isResponse: Bool, messageID: UInt32,
        nextPayload: PayloadType = .none, majorVersion: UInt8 = 2, minorVersion: UInt8 = 0,
        higherVersion: Bool = false, length: UInt32 = 0
    ) {
        self.spiI = spiI
        self.spiR = spiR
        self.nextPayload = nextPayload
        self.majorVersion = majorVersion
        self.minorVersion = minorVersion
        self.exchangeType = exchangeType
        self.isInitiator = isInitiator
        self.isResponse = isResponse
        self.higherVersion = higherVersion
        self.messageID = messageID
        self.length = length
    }
}
