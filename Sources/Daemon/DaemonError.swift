/// A failure with a message written for the operator (what went wrong, what to do).
public struct DaemonError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
