// AsyncKomekStore: KomekStore as async functions for Swift concurrency.
//
// Why it exists: every store call blocks (SQLite with fsync, PBKDF2 for a PIN,
// a Keychain round trip), and the generated bindings are plain blocking
// functions. Called from the main actor they would freeze the UI, so each one
// here runs on a global dispatch queue and resumes the caller when done.
// Errors are the generated KomekError cases, unchanged. The async `sync()` of
// issue 4 will be an async method of KomekStore itself.

import Foundation

public struct AsyncKomekStore: @unchecked Sendable {
    public let store: KomekStore

    public init(_ store: KomekStore) {
        self.store = store
    }

    private func run<T>(_ body: @escaping () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    public func addStaff(role: Role, displayName: String, pin: String) async throws -> UUID {
        try await run { try store.addStaff(role: role, displayName: displayName, pin: pin) }
    }

    public func unlock(staffId: UUID, pin: String) async throws {
        try await run { try store.unlock(staffId: staffId, pin: pin) }
    }

    /// Locking is quick and never fails: callable from the main actor.
    public func lock() {
        store.lock()
    }

    public func saveDraft(_ household: Household) async throws {
        try await run { try store.saveDraft(household: household) }
    }

    public func load(_ id: UUID) async throws -> Household {
        try await run { try store.load(id: id) }
    }

    public func list() async throws -> [HouseholdSummary] {
        try await run { try store.list() }
    }

    public func findByIin(_ iin: String) async throws -> [UUID] {
        try await run { try store.findByIin(iin: iin) }
    }

    public func validate(_ household: Household, today: IsoDate, stage: ValidationStage, lang: Lang) async throws -> [Problem] {
        try await run { try store.validate(household: household, today: today, stage: stage, lang: lang) }
    }

    public func precheck(_ household: Household, date: IsoDate, lang: Lang) async throws -> Precheck {
        try await run { try store.precheck(household: household, date: date, lang: lang) }
    }

    public func finalize(_ id: UUID, today: IsoDate) async throws -> Household {
        try await run { try store.finalize(id: id, today: today) }
    }

    public func forget(_ id: UUID) async throws {
        try await run { try store.forget(id: id) }
    }

    public func outboxCounts() async throws -> OutboxCounts {
        try await run { try store.outboxCounts() }
    }
}
