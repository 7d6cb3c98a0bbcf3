import Foundation
import Glibc
import IKEv2

/// Writes log records to stderr with a UTC timestamp, dropping those below `level`.
struct Logger: Sendable {
    var level: LogLevel

    func log(_ record: LogRecord) {
        guard record.level >= level else { return }
        Stderr.write(Self.timestamp() + " " + record.formatted + "\n")
    }

    func log(_ level: LogLevel, _ message: String, spi: String? = nil, peer: String? = nil) {
        log(LogRecord(level, message, spi: spi, peer: peer))
    }

    /// `2026-12-03T17:34:00.123Z`, built by hand: Foundation's formatters are not Sendable.
    static func timestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = time_t(ts.tv_sec)
        var tm = tm()
        gmtime_r(&t, &tm)
        func pad(_ v: Int32, _ n: Int = 2) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return "\(pad(tm.tm_year + 1900, 4))-\(pad(tm.tm_mon + 1))-\(pad(tm.tm_mday))T"
            + "\(pad(tm.tm_hour)):\(pad(tm.tm_min)):\(pad(tm.tm_sec))."
            + "\(pad(Int32(ts.tv_nsec / 1_000_000), 3))Z"
    }
}
