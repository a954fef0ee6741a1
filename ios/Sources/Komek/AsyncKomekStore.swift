// AsyncKomekStore: KomekStore as async functions for Swift concurrency.
//
// Why it exists: every store call blocks (SQLite with fsync, PBKDF2 for a PIN,
// a Keychain round trip), and the generated bindings are plain blocking
// functions. Called from the main actor they would freeze the UI, so each one
// here runs on a global dispatch queue and resumes the caller when done.
// Errors are the generated KomekError cases, unchanged.
//
// `enrol` and `sync` are async methods of the generated KomekStore already
// (Rust runs them on its own threads, never on the caller's). UniFFI 0.32's
// Swift does not cancel a Rust future when the Task is cancelled, so `sync`
// here bridges Task cancellation to a SyncCancel: cancelling the Task stops
// the sync at its next step with KomekError.Cancelled (what the registry
// acknowledged stays acknowledged, the rest goes next time).

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

    // MARK: enrolment and sync

    /// Enrol with a supervisor's one-time code (needs an unlocked supervisor).
    /// Enrol with a supervisor's one-time `code` (needs an unlocked supervisor).
    /// For an https registry pass the office's `tlsPin` (`sha256/…`); without it
    /// the first certificate seen is trusted. Throws `KomekError.Untrusted` when
    /// the certificate matches no pin.
    public func enrol(registryUrl: String, code: String, label: String, tlsPin: String? = nil) async throws -> Enrolment {
        try await store.enrol(registryUrl: registryUrl, code: code, label: label, tlsPin: tlsPin)
    }

    public func enrolment() async throws -> Enrolment? {
        try await run { try store.enrolment() }
    }

    public func isEnrolled() async throws -> Bool {
        try await run { try store.isEnrolled() }
    }

    /// Where no signal comes: every pending form, sealed and signed, as the
    /// bytes of a bundle file to carry to the district office. Nothing is
    /// marked sent; `applyReceipt` (or a later sync) does that.
    public func exportBundle() async throws -> OfflineBundle {
        try await store.exportBundle()
    }

    /// Apply the registry's receipt for a bundle. A receipt that does not
    /// verify throws `KomekError.Integrity` and changes nothing.
    public func applyReceipt(_ receipt: Data) async throws -> ReceiptReport {
        try await store.applyReceipt(receipt: receipt)
    }

    /// Push every finalized form, then pull decisions, comments and rule packs.
    /// `onProgress` is called on a background thread (hop to the main actor
    /// yourself). Cancelling the Task, or `cancel`, stops the sync.
    /// Throws `KomekError.Network` (retry later), `.Refused`, `.NotEnrolled`,
    /// `.Cancelled`, `.Protocol`, `.Untrusted` (certificate matches no pin).
    public func sync(
        options: SyncOptions? = nil,
        cancel: SyncCancel = SyncCancel(),
        onProgress: (@Sendable (SyncProgress) -> Void)? = nil
    ) async throws -> SyncReport {
        let listener = onProgress.map { ClosureSyncListener($0) }
        return try await withTaskCancellationHandler {
            try await store.sync(options: options, listener: listener, cancel: cancel)
        } onCancel: {
            cancel.cancel()
        }
    }

    /// The registry's decisions and comments for this device's households
    /// (needs an unlocked staff member).
    public func cases() async throws -> [CaseInfo] {
        try await run { try store.cases() }
    }

    public func caseInfo(_ id: UUID) async throws -> CaseInfo? {
        try await run { try store.caseInfo(caseId: id) }
    }

    /// After `KomekStore.open`: use the newest rule pack sync received that is in force on `today`.
    public func activateReceivedRulePack(today: IsoDate) async throws -> RulePackInfo? {
        try await run { try store.activateReceivedRulePack(today: today) }
    }
}

/// A closure as the generated SyncListener protocol.
final class ClosureSyncListener: SyncListener, @unchecked Sendable {
    private let body: @Sendable (SyncProgress) -> Void

    init(_ body: @escaping @Sendable (SyncProgress) -> Void) {
        self.body = body
    }

    func onProgress(progress: SyncProgress) throws {
        body(progress)
    }
}
