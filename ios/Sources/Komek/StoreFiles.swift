// StoreFiles: where the store's database lives on iOS, protected and out of
// backups.
//
// Why it exists: the database must open while the phone is locked (background
// sync) yet stay encrypted by iOS until the first unlock after a restart, so
// its directory gets the protection class completeUntilFirstUserAuthentication
// (the same "after first unlock" as the Keychain items of KeychainVault; new
// files there, the WAL and SHM included, inherit it). And it must never reach
// an iCloud or computer backup: the Keychain key that opens it is
// ThisDeviceOnly, so on another phone the copy is unreadable bytes, and a
// backup is one more place personal data could leak from. The Android
// `StoreFiles.databasePath` is the same call (its backup rules exclude the
// same directory).

import Foundation

public enum StoreFiles {
    public static let directory = "komek"
    public static let database = "komek.db"

    /// The path to pass to `KomekStore.open`: Application Support/komek/komek.db.
    /// Creates the directory with its protection class and excludes it from
    /// backups (safe to call on every launch).
    public static func databasePath() throws -> String {
        let fm = FileManager.default
        let base = try fm.url(for: .applicationSupportDirectory, in: .userDomainMask,
                              appropriateFor: nil, create: true)
        var dir = base.appendingPathComponent(directory, isDirectory: true)
        let protection: [FileAttributeKey: Any] = [.protectionKey: FileProtectionType.completeUntilFirstUserAuthentication]
        try fm.createDirectory(at: dir, withIntermediateDirectories: true, attributes: protection)
        try fm.setAttributes(protection, ofItemAtPath: dir.path)
        // Files created before this version of the package: give them the class too.
        for name in [database, database + "-wal", database + "-shm"] {
            let file = dir.appendingPathComponent(name).path
            if fm.fileExists(atPath: file) {
                try fm.setAttributes(protection, ofItemAtPath: file)
            }
        }
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        try dir.setResourceValues(values)
        return dir.appendingPathComponent(database).path
    }
}
