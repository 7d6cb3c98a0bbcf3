/// Notify message types (RFC 7296 section 3.10.1 and later RFCs).
///
/// Error types are below 16384, status types from 16384 on.
public struct NotifyType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public var isError: Bool { rawValue < 16384 }

    public static let unsupportedCriticalPayload = NotifyType(rawValue: 1)
    public static let invalidIKESPI = NotifyType(rawValue: 4)
    public static let invalidMajorVersion = NotifyType(rawValue: 5)
    public static let invalidSyntax = NotifyType(rawValue: 7)
    public static let invalidMessageID = NotifyType(rawValue: 9)
    public static let invalidSPI = NotifyType(rawValue: 11)
    public static let noProposalChosen = NotifyType(rawValue: 14)
    public static let invalidKEPayload = NotifyType(rawValue: 17)
    public static let authenticationFailed = NotifyType(rawValue: 24)
    public static let singlePairRequired = NotifyType(rawValue: 34)
    public static let noAdditionalSAs = NotifyType(rawValue: 35)
    public static let internalAddressFailure = NotifyType(rawValue: 36)
    public static let failedCPRequired = NotifyType(rawValue: 37)
    public static let tsUnacceptable = NotifyType(rawValue: 38)
    public static let invalidSelectors = NotifyType(rawValue: 39)
    public static let temporaryFailure = NotifyType(rawValue: 43)
    public static let childSANotFound = NotifyType(rawValue: 44)

    public static let initialContact = NotifyType(rawValue: 16384)
    public static let setWindowSize = NotifyType(rawValue: 16385)
    public static let additionalTSPossible = NotifyType(rawValue: 16386)
    public static let ipcompSupported = NotifyType(rawValue: 16387)
    public static let natDetectionSourceIP = NotifyType(rawValue: 16388)
    public static let natDetectionDestinationIP = NotifyType(rawValue: 16389)
    public static let cookie = NotifyType(rawValue: 16390)
    public static let useTransportMode = NotifyType(rawValue: 16391)
    public static let rekeySA = NotifyType(rawValue: 16393)
    public static let espTFCPaddingNotSupported = NotifyType(rawValue: 16394)
    public static let nonFirstFragmentsAlso = NotifyType(rawValue: 16395)
    public static let mobikeSupported = NotifyType(rawValue: 16396)
    public static let multipleAuthSupported = NotifyType(rawValue: 16404)
    public static let redirectSupported = NotifyType(rawValue: 16406)
    public static let ikev2FragmentationSupported = NotifyType(rawValue: 16430)
    public static let signatureHashAlgorithms = NotifyType(rawValue: 16431)

    public var description: String {
        switch rawValue {
        case 1: return "UNSUPPORTED_CRITICAL_PAYLOAD"
        case 4: return "INVALID_IKE_SPI"
        case 5: return "INVALID_MAJOR_VERSION"
        case 7: return "INVALID_SYNTAX"
        case 9: return "INVALID_MESSAGE_ID"
        case 11: return "INVALID_SPI"
        case 14: return "NO_PROPOSAL_CHOSEN"
        case 17: return "INVALID_KE_PAYLOAD"
        case 24: return "AUTHENTICATION_FAILED"
        case 34: return "SINGLE_PAIR_REQUIRED"
        case 35: return "NO_ADDITIONAL_SAS"
        case 36: return "INTERNAL_ADDRESS_FAILURE"
        case 37: return "FAILED_CP_REQUIRED"
        case 38: return "TS_UNACCEPTABLE"
        case 39: return "INVALID_SELECTORS"
        case 43: return "TEMPORARY_FAILURE"
        case 44: return "CHILD_SA_NOT_FOUND"
        case 16384: return "INITIAL_CONTACT"
        case 16385: return "SET_WINDOW_SIZE"
        case 16386: return "ADDITIONAL_TS_POSSIBLE"
        case 16387: return "IPCOMP_SUPPORTED"
        case 16388: return "NAT_DETECTION_SOURCE_IP"
        case 16389: return "NAT_DETECTION_DESTINATION_IP"
        case 16390: return "COOKIE"
        case 16391: return "USE_TRANSPORT_MODE"
        case 16393: return "REKEY_SA"
        case 16394: return "ESP_TFC_PADDING_NOT_SUPPORTED"
        case 16395: return "NON_FIRST_FRAGMENTS_ALSO"
        case 16396: return "MOBIKE_SUPPORTED"
        case 16404: return "MULTIPLE_AUTH_SUPPORTED"
        case 16406: return "REDIRECT_SUPPORTED"
        case 16430: return "IKEV2_FRAGMENTATION_SUPPORTED"
        case 16431: return "SIGNATURE_HASH_ALGORITHMS"
        default: return isError ? "ERROR(\(rawValue))" : "STATUS(\(rawValue))"
        }
    }
}
