// OSLogLogger: the library's log records in the unified log (Console.app,
// sysdiagnose), under one subsystem, at their level.
//
// Why it exists: Rust's log records go nowhere on a phone unless forwarded,
// and a Rust panic aborts the process (ADR 0007): its message reaches this
// logger first (category `panic`, level fault), so the device's log says why
// the app ended. Records hold no personal data (the library's rule, tested
// on the JVM), so they are logged as public. Install once at launch:
// `OSLogLogger.install()`. The Android LogcatLogger is the same.

import Foundation
import os

public final class OSLogLogger: Logger, @unchecked Sendable {
    private let subsystem: String

    public init(subsystem: String = "kz.komek") {
        self.subsystem = subsystem
    }

    public func log(record: LogRecord) throws {
        let category = record.target == "panic" ? "panic" : "core"
        let log = OSLog(subsystem: subsystem, category: category)
        let type: OSLogType
        switch record.level {
        case .error: type = record.target == "panic" ? .fault : .error
        case .warn: type = .default
        case .info: type = .info
        case .debug, .trace: type = .debug
        }
        os_log("%{public}@: %{public}@", log: log, type: type, record.target, record.message)
    }

    /// Forward records at `level` and above (info in release builds).
    public static func install(subsystem: String = "kz.komek", level: LogLevel = .info) {
        installLogger(logger: OSLogLogger(subsystem: subsystem), maxLevel: level)
    }
}
