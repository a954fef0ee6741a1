// IsoDates: calendar dates for the Komek API.
//
// Why it exists: a birth date or a consent's end is a calendar day with no time
// zone, and Swift has no such type (Date is an instant). The bindings pass them
// as `IsoDate` ("2026-02-10") and `IsoMonth` ("2025-10") strings; these helpers
// build them from DateComponents or from a Date in a given calendar, so apps
// never format them by hand.

import Foundation

public enum IsoDates {
    /// "YYYY-MM-DD" from year, month and day components (nil if one is missing).
    public static func date(_ c: DateComponents) -> IsoDate? {
        guard let y = c.year, let m = c.month, let d = c.day else { return nil }
        return String(format: "%04d-%02d-%02d", y, m, d)
    }

    /// The calendar day of `date` in `calendar` (the device's by default).
    public static func date(of date: Date, in calendar: Calendar = .current) -> IsoDate {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1)
    }

    /// "YYYY-MM".
    public static func month(year: Int, month: Int) -> IsoMonth {
        String(format: "%04d-%02d", year, month)
    }

    /// Year, month and day of an IsoDate (nil if malformed).
    public static func components(_ iso: IsoDate) -> DateComponents? {
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return DateComponents(year: parts[0], month: parts[1], day: parts[2])
    }
}
