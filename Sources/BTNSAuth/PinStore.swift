import CSQLite
import Glibc
import IKEv2
import Synchronization

/// A pin store failure, naming the database file.
public struct PinStoreError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// Any SQLite or file system failure; `message` says which.
        case failure
        /// The file exists but is empty, not a database, or fails `PRAGMA quick_check`;
        /// `message` is SQLite's diagnosis.
        case corrupt
        /// Opened without creating it, and there is no file.
        case missing
    }

    public var path: String
    public var message: String
    public var kind: Kind

    public init(path: String, message: String, kind: Kind = .failure) {
        self.path = path
        self.message = message
        self.kind = kind
    }

    /// `PATH: MESSAGE`, for a caller that says "pin store" itself.
    public var detail: String { "\(path): \(message)" }

    public var description: String {
        switch kind {
        case .failure:
            return "pin store \(path): \(message)"
        case .missing:
            return "no pin store at \(path)"
        case .corrupt:
            return "pin store \(path) is corrupt (SQLite: \(message)); move it aside and "
                + "restore a backup, or start with an empty store by removing it — all BTNS "
                + "peers will then be pinned anew"
        }
    }
}

/// One pinned key, as `ikectl pins` shows it.
public struct PinRecord: Sendable, Codable, Hashable {
    /// The peer's ID, `IDPayload.displayString` (FQDN and RFC822 lower-cased).
    public var id: String
    public var fingerprint: String
    /// Seconds since 1970.
    public var firstSeen: Double
    public var lastSeen: Double
    /// How many times the pinned key was presented and accepted, the first use included.
    public var saCount: Int
    /// The most recent key refused for this ID, if any.
    public var refusedFingerprint: String?
    public var refusedAt: Double?

    public init(id: String, fingerprint: String, firstSeen: Double, lastSeen: Double,
                saCount: Int, refusedFingerprint: String? = nil, refusedAt: Double? = nil) {
        self.id = id
        self.fingerprint = fingerprint
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.saCount = saCount
        self.refusedFingerprint = refusedFingerprint
        self.refusedAt = refusedAt
    }
}

/// One refused key of a pin's history (the `refusals` table).
public struct PinRefusal: Sendable, Codable, Hashable {
    public var fingerprint: String
    /// Key algorithm (`ed25519`, `ecdsa-p256`, ...), when the stored SPKI parses.
    public var algorithm: String?
    /// Seconds since 1970.
    public var at: Double

    public init(fingerprint: String, algorithm: String?, at: Double) {
        self.fingerprint = fingerprint
        self.algorithm = algorithm
        self.at = at
    }
}

/// One pin with its refused-key history, newest refusal first (`ikectl pins show`).
public struct PinDetail: Sendable, Codable, Hashable {
    public var pin: PinRecord
    public var refusals: [PinRefusal]

    public init(pin: PinRecord, refusals: [PinRefusal]) {
        self.pin = pin
        self.refusals = refusals
    }
}

/// Result of `PinStore.approve`: the operator accepts a key change.
public enum PinApproval: Sendable, Equatable {
    /// The pin now holds the most recently refused key.
    case approved(oldFingerprint: String, newFingerprint: String)
    /// No pin for this ID.
    case noPin
    /// A pin, but no refused key to approve.
    case nothingRefused
}

/// Leap-of-faith key pins for BTNS peers (RFC 5386 section 4.2 leaves leap of faith to
/// implementations; RFC 5387 section 2): the first key a peer ID presents is pinned, and
/// later keys must be the same SubjectPublicKeyInfo.
///
/// Storage is one SQLite file (mode 0600) in WAL mode with `synchronous=FULL`; every
/// `check` commits before it returns, so a pin reported as `.pinnedNow` survives a
/// kill -9 (and a power loss) right after. Keys are compared as SPKI DER octets.
/// FQDN and RFC822 IDs are pinned lower-cased, the way `IDMatcher` compares them, so a
/// change of case does not escape a pin. All calls are serialized; safe from any thread.
public final class PinStore: @unchecked Sendable {
    public let path: String
    private let db: OpaquePointer
    private let lock = Mutex<Void>(())
    private let now: @Sendable () -> Double

    /// How a store is opened.
    public enum Access: Sendable, Equatable {
        /// Read and write; a missing file (and its parent directories) is created. iked.
        case create
        /// Read and write an existing store (`ikectl pins forget --pin-store`).
        case readWrite
        /// Read an existing store (`ikectl pins --pin-store`); `check` and `forget` fail.
        case readOnly
    }

    /// Opens the pin database at `path`; with `.create` (the default) a missing file is
    /// created, with its parent directories. An existing file must be a sound database:
    /// an empty file, another kind of file or a failed `PRAGMA quick_check` is a
    /// `.corrupt` error, never silently replaced. Without `.create` a missing file is
    /// a `.missing` error. `now` gives timestamps in seconds since 1970.
    public init(path: String, access: Access = .create,
                now: @escaping @Sendable () -> Double = PinStore.systemTime)
        throws(PinStoreError)
    {
        self.path = path
        self.now = now
        let created = try PinStore.prepareFile(path, access: access)
        var handle: OpaquePointer?
        var flags = SQLITE_OPEN_FULLMUTEX
        flags |= access == .readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK, let handle else {
            let msg = handle.map { String(cString: sqlite3_errmsg($0)) }
                ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(handle)
            throw PinStoreError(path: path, message: "cannot open: \(msg)")
        }
        db = handle
        sqlite3_busy_timeout(db, 5000)
        sqlite3_extended_result_codes(db, 1)
        do {
            if !created { try checkIntegrity() }
            if access != .readOnly {
                try requireRow("PRAGMA journal_mode=WAL", equals: "wal")
                try exec("PRAGMA synchronous=FULL")
                try exec("PRAGMA foreign_keys=ON")
                try exec(PinStore.schema)
            }
        } catch {
            sqlite3_close_v2(db)
            throw error
        }
    }

    /// `PRAGMA quick_check`; a file that is not a database fails here too.
    private func checkIntegrity() throws(PinStoreError) {
        let rows: [String]
        do {
            rows = try query("PRAGMA quick_check", []) { PinStore.textColumn($0, 0) }
        } catch {
            throw PinStoreError(path: path, message: String(cString: sqlite3_errmsg(db)),
                                kind: .corrupt)
        }
        guard rows == ["ok"] else {
            let shown = rows.prefix(3).joined(separator: "; ")
            throw PinStoreError(path: path, message: "quick_check: " + shown
                                + (rows.count > 3 ? "; ..." : ""), kind: .corrupt)
        }
    }

    deinit { sqlite3_close_v2(db) }

    /// Wall-clock time, seconds since 1970.
    @Sendable public static func systemTime() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Checks `key` against the pin for `peerID`: pins it on first use (`.pinnedNow`),
    /// counts a use when it matches (`.matches`), records the refusal when another key is
    /// pinned (`.mismatch`). Committed to disk before returning. `.failed` on any
    /// database error, with nothing changed.
    public func check(peerID: IDPayload, key: PublicKey) -> PinCheck {
        let id = PinStore.normalized(peerID)
        let t = now()
        return lock.withLock { _ -> PinCheck in
            do throws(PinStoreError) {
                return try transaction { () throws(PinStoreError) -> PinCheck in
                    let row = try queryOne(
                        "SELECT spki, fingerprint FROM pins WHERE id_type = ?1 AND id_data = ?2",
                        [.int(Int64(id.type.rawValue)), .blob(id.data)]
                    ) { stmt in (PinStore.blobColumn(stmt, 0), PinStore.textColumn(stmt, 1)) }
                    guard let (pinned, pinnedFingerprint) = row else {
                        try run("""
                            INSERT INTO pins (id_type, id_data, spki, fingerprint, first_seen,
                                              last_seen, sa_count)
                            VALUES (?1, ?2, ?3, ?4, ?5, ?5, 1)
                            """,
                            [.int(Int64(id.type.rawValue)), .blob(id.data),
                             .blob(key.spkiDER), .text(key.fingerprint), .real(t)])
                        return .pinnedNow
                    }
                    if pinned == key.spkiDER {
                        try run("""
                            UPDATE pins SET last_seen = ?3, sa_count = sa_count + 1,
                                            fingerprint = ?4
                            WHERE id_type = ?1 AND id_data = ?2
                            """,
                            [.int(Int64(id.type.rawValue)), .blob(id.data), .real(t),
                             .text(key.fingerprint)])
                        return .matches
                    }
                    try run("""
                        UPDATE pins SET refused_fingerprint = ?3, refused_at = ?4
                        WHERE id_type = ?1 AND id_data = ?2
                        """,
                        [.int(Int64(id.type.rawValue)), .blob(id.data),
                         .text(key.fingerprint), .real(t)])
                    try run("""
                        INSERT INTO refusals (id_type, id_data, spki, fingerprint, at)
                        VALUES (?1, ?2, ?3, ?4, ?5)
                        """,
                        [.int(Int64(id.type.rawValue)), .blob(id.data), .blob(key.spkiDER),
                         .text(key.fingerprint), .real(t)])
                    let shown = (try? PublicKey(spkiDER: pinned))?.fingerprint
                        ?? pinnedFingerprint
                    return .mismatch(pinnedFingerprint: shown)
                }
            } catch {
                // The engine prefixes "pin store: ".
                return .failed(error.detail)
            }
        }
    }

    /// All pins, oldest first.
    public func list() throws(PinStoreError) -> [PinRecord] {
        try lock.withLock { _ throws(PinStoreError) -> [PinRecord] in
            try query("""
                SELECT id_type, id_data, fingerprint, first_seen, last_seen, sa_count,
                       refused_fingerprint, refused_at
                FROM pins ORDER BY first_seen, id_type, id_data
                """, []) { stmt in
                let id = IDPayload(type: IDType(rawValue: UInt8(truncatingIfNeeded:
                                       sqlite3_column_int64(stmt, 0))),
                                   data: PinStore.blobColumn(stmt, 1))
                let refusedAt: Double? = sqlite3_column_type(stmt, 7) == SQLITE_NULL
                    ? nil : sqlite3_column_double(stmt, 7)
                return PinRecord(
                    id: id.displayString, fingerprint: PinStore.textColumn(stmt, 2),
                    firstSeen: sqlite3_column_double(stmt, 3),
                    lastSeen: sqlite3_column_double(stmt, 4),
                    saCount: Int(sqlite3_column_int64(stmt, 5)),
                    refusedFingerprint: sqlite3_column_type(stmt, 6) == SQLITE_NULL
                        ? nil : PinStore.textColumn(stmt, 6),
                    refusedAt: refusedAt)
            }
        }
    }

    /// Removes the pin (and its refusal history) for `peerID`, so its next key is
    /// pinned anew. False when there was no pin.
    public func forget(peerID: IDPayload) throws(PinStoreError) -> Bool {
        let id = PinStore.normalized(peerID)
        return try lock.withLock { _ throws(PinStoreError) -> Bool in
            try transaction { () throws(PinStoreError) -> Bool in
                let args: [Value] = [.int(Int64(id.type.rawValue)), .blob(id.data)]
                try run("DELETE FROM refusals WHERE id_type = ?1 AND id_data = ?2", args)
                try run("DELETE FROM pins WHERE id_type = ?1 AND id_data = ?2", args)
                return sqlite3_changes(db) > 0
            }
        }
    }

    /// The pin for `peerID` with its refusal history (newest first); nil when none.
    public func detail(peerID: IDPayload) throws(PinStoreError) -> PinDetail? {
        let id = PinStore.normalized(peerID)
        let args: [Value] = [.int(Int64(id.type.rawValue)), .blob(id.data)]
        return try lock.withLock { _ throws(PinStoreError) -> PinDetail? in
            let pin = try queryOne("""
                SELECT fingerprint, first_seen, last_seen, sa_count, refused_fingerprint,
                       refused_at
                FROM pins WHERE id_type = ?1 AND id_data = ?2
                """, args) { stmt in
                PinRecord(
                    id: id.displayString, fingerprint: PinStore.textColumn(stmt, 0),
                    firstSeen: sqlite3_column_double(stmt, 1),
                    lastSeen: sqlite3_column_double(stmt, 2),
                    saCount: Int(sqlite3_column_int64(stmt, 3)),
                    refusedFingerprint: sqlite3_column_type(stmt, 4) == SQLITE_NULL
                        ? nil : PinStore.textColumn(stmt, 4),
                    refusedAt: sqlite3_column_type(stmt, 5) == SQLITE_NULL
                        ? nil : sqlite3_column_double(stmt, 5))
            }
            guard let pin else { return nil }
            let refusals = try query("""
                SELECT spki, fingerprint, at FROM refusals
                WHERE id_type = ?1 AND id_data = ?2 ORDER BY at DESC, rowid DESC
                """, args) { stmt in
                PinRefusal(
                    fingerprint: PinStore.textColumn(stmt, 1),
                    algorithm: (try? PublicKey(spkiDER: PinStore.blobColumn(stmt, 0)))?
                        .algorithm.rawValue,
                    at: sqlite3_column_double(stmt, 2))
            }
            return PinDetail(pin: pin, refusals: refusals)
        }
    }

    /// The operator accepts a key change for `peerID`: the pinned key is replaced by the
    /// most recently refused key (RFC 5386 section 4.2 leaves leap of faith, and so its
    /// recovery, to the implementation). First seen and the SA count are kept; the
    /// refusal rows of the newly pinned key are dropped, older refusals of other keys
    /// stay as history. Committed before returning.
    public func approve(peerID: IDPayload) throws(PinStoreError) -> PinApproval {
        let id = PinStore.normalized(peerID)
        let args: [Value] = [.int(Int64(id.type.rawValue)), .blob(id.data)]
        return try lock.withLock { _ throws(PinStoreError) -> PinApproval in
            try transaction { () throws(PinStoreError) -> PinApproval in
                guard let old = try queryOne(
                    "SELECT fingerprint FROM pins WHERE id_type = ?1 AND id_data = ?2", args,
                    { PinStore.textColumn($0, 0) }) else { return .noPin }
                guard let (spki, fingerprint) = try queryOne("""
                    SELECT spki, fingerprint FROM refusals WHERE id_type = ?1 AND id_data = ?2
                    ORDER BY at DESC, rowid DESC LIMIT 1
                    """, args, { (PinStore.blobColumn($0, 0), PinStore.textColumn($0, 1)) })
                else { return .nothingRefused }
                try run("""
                    UPDATE pins SET spki = ?3, fingerprint = ?4, refused_fingerprint = NULL,
                                    refused_at = NULL
                    WHERE id_type = ?1 AND id_data = ?2
                    """, args + [.blob(spki), .text(fingerprint)])
                try run("DELETE FROM refusals WHERE id_type = ?1 AND id_data = ?2 AND spki = ?3",
                        args + [.blob(spki)])
                return .approved(oldFingerprint: old, newFingerprint: fingerprint)
            }
        }
    }

    /// Value of a PRAGMA, for diagnostics and tests (for example `journal_mode`).
    /// nil for a name that is not letters and underscores, or on error.
    public func pragma(_ name: String) -> String? {
        guard !name.isEmpty,
              name.utf8.allSatisfy({ $0 == 0x5f || (0x61...0x7a).contains($0 | 0x20) })
        else { return nil }
        return lock.withLock { _ in
            (try? queryOne("PRAGMA \(name)", []) { PinStore.textColumn($0, 0) }) ?? nil
        }
    }

    // MARK: - Schema and file

    private static let schema = """
        CREATE TABLE IF NOT EXISTS pins (
            id_type INTEGER NOT NULL,
            id_data BLOB NOT NULL,
            spki BLOB NOT NULL,
            fingerprint TEXT NOT NULL,
            first_seen REAL NOT NULL,
            last_seen REAL NOT NULL,
            sa_count INTEGER NOT NULL,
            refused_fingerprint TEXT,
            refused_at REAL,
            PRIMARY KEY (id_type, id_data)
        );
        CREATE TABLE IF NOT EXISTS refusals (
            id_type INTEGER NOT NULL,
            id_data BLOB NOT NULL,
            spki BLOB NOT NULL,
            fingerprint TEXT NOT NULL,
            at REAL NOT NULL
        );
        CREATE INDEX IF NOT EXISTS refusals_by_id ON refusals (id_type, id_data);
        """

    /// With `.create`: creates missing parent directories (0700) and the file itself with
    /// mode 0600, and tightens an existing file to 0600 (SQLite gives its -wal and -shm
    /// files the mode of the database file). Refuses an existing empty file or
    /// directory, and without `.create` a missing file. True when the file was created.
    private static func prepareFile(_ path: String, access: Access) throws(PinStoreError)
        -> Bool
    {
        var st = stat()
        if stat(path, &st) == 0 {
            if st.st_mode & S_IFMT == S_IFDIR {
                throw PinStoreError(path: path, message: "is a directory, not a database file")
            }
            if st.st_size == 0 {
                throw PinStoreError(path: path, message: "the file is empty, not a database",
                                    kind: .corrupt)
            }
            if access == .create, chmod(path, 0o600) != 0 {
                throw PinStoreError(path: path, message: "cannot set mode 0600: "
                                    + String(cString: strerror(errno)))
            }
            return false
        }
        guard errno == ENOENT || errno == ENOTDIR else {
            throw PinStoreError(path: path, message: String(cString: strerror(errno)))
        }
        guard access == .create else {
            throw PinStoreError(path: path, message: "not found", kind: .missing)
        }
        var dir = ""
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        for (i, part) in parts.enumerated() {
            dir += (i == 0 ? "" : "/") + part
            if dir.isEmpty || part.isEmpty || part == "." { continue }
            if mkdir(dir, 0o700) != 0 && errno != EEXIST {
                throw PinStoreError(path: path, message: "cannot create directory \(dir): "
                                    + String(cString: strerror(errno)))
            }
        }
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw PinStoreError(path: path, message: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        if fchmod(fd, 0o600) != 0 {
            throw PinStoreError(path: path, message: "cannot set mode 0600: "
                                + String(cString: strerror(errno)))
        }
        return true
    }

    /// The key a pin is stored under: FQDN and RFC822 values lower-cased (ASCII).
    static func normalized(_ id: IDPayload) -> IDPayload {
        guard id.type == .fqdn || id.type == .rfc822Addr else { return id }
        let lower = id.data.map { (0x41...0x5a).contains($0) ? $0 | 0x20 : $0 }
        return IDPayload(type: id.type, data: lower)
    }

    // MARK: - SQLite helpers (call with `lock` held)

    private enum Value {
        case int(Int64)
        case real(Double)
        case text(String)
        case blob([UInt8])
    }

    private static let transient = unsafeBitCast(
        OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    private func failure(_ what: String) -> PinStoreError {
        PinStoreError(path: path, message: "\(what): \(String(cString: sqlite3_errmsg(db)))")
    }

    private func exec(_ sql: String) throws(PinStoreError) {
        var err: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(db, sql, nil, nil, &err) == SQLITE_OK else {
            let msg = err.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(err)
            throw PinStoreError(path: path, message: msg)
        }
    }

    private func requireRow(_ sql: String, equals want: String) throws(PinStoreError) {
        let got = try queryOne(sql, []) { PinStore.textColumn($0, 0) }
        guard got?.lowercased() == want else {
            throw PinStoreError(path: path, message: "\(sql) gave \(got ?? "nothing")")
        }
    }

    /// Runs `body` inside BEGIN IMMEDIATE ... COMMIT; rolls back when it throws.
    private func transaction<T>(_ body: () throws(PinStoreError) -> T) throws(PinStoreError)
        -> T
    {
        try exec("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try exec("COMMIT")
            return result
        } catch {
            if sqlite3_get_autocommit(db) == 0 { _ = try? exec("ROLLBACK") }
            throw error
        }
    }

    private func prepare(_ sql: String, _ args: [Value]) throws(PinStoreError) -> OpaquePointer {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &stmt, nil) == SQLITE_OK, let stmt else {
            throw failure("prepare")
        }
        for (i, arg) in args.enumerated() {
            let n = Int32(i + 1)
            let rc: Int32
            switch arg {
            case .int(let v): rc = sqlite3_bind_int64(stmt, n, v)
            case .real(let v): rc = sqlite3_bind_double(stmt, n, v)
            case .text(let v): rc = sqlite3_bind_text(stmt, n, v, -1, PinStore.transient)
            case .blob(let v):
                rc = v.withUnsafeBytes { raw in
                    // A zero-length blob must still bind as a blob, not NULL.
                    sqlite3_bind_blob(stmt, n, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1),
                                      Int32(v.count), PinStore.transient)
                }
            }
            guard rc == SQLITE_OK else {
                sqlite3_finalize(stmt)
                throw failure("bind")
            }
        }
        return stmt
    }

    private func run(_ sql: String, _ args: [Value]) throws(PinStoreError) {
        let stmt = try prepare(sql, args)
        defer { sqlite3_finalize(stmt) }
        guard sqlite3_step(stmt) == SQLITE_DONE else { throw failure("write") }
    }

    private func query<T>(_ sql: String, _ args: [Value], _ row: (OpaquePointer) -> T)
        throws(PinStoreError) -> [T]
    {
        let stmt = try prepare(sql, args)
        defer { sqlite3_finalize(stmt) }
        var out: [T] = []
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { return out }
            guard rc == SQLITE_ROW else { throw failure("read") }
            out.append(row(stmt))
        }
    }

    private func queryOne<T>(_ sql: String, _ args: [Value], _ row: (OpaquePointer) -> T)
        throws(PinStoreError) -> T?
    {
        try query(sql, args, row).first
    }

    private static func blobColumn(_ stmt: OpaquePointer, _ i: Int32) -> [UInt8] {
        let n = Int(sqlite3_column_bytes(stmt, i))
        guard n > 0, let p = sqlite3_column_blob(stmt, i) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: n))
    }

    private static func textColumn(_ stmt: OpaquePointer, _ i: Int32) -> String {
        guard let p = sqlite3_column_text(stmt, i) else { return "" }
        return String(cString: p)
    }
}
