import Foundation

/// Writes to standard error without touching Glibc's `stderr` global, which Swift 6
/// rejects as not concurrency-safe.
public enum Stderr {
    public static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
