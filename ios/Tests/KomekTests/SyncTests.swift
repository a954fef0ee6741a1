// Enrolment and sync through the generated async API against a real registry
// process, mirroring android/src/test/kotlin/kz/komek/SyncTest.kt: progress,
// the supervisor's decisions and comment coming back, cancel by SyncCancel
// and by Task cancellation (the form waits and is delivered once), a
// published rule pack becoming active, a dead registry as
// KomekError.Network, a wrong code as KomekError.Refused.
// Needs KOMEK_REGISTRY_BIN (see TestRegistry.swift); skipped without it.

import XCTest
@testable import Komek

/// Collects progress from the library's thread.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [SyncProgress] = []
    var onPush: (@Sendable () -> Void)?

    func add(_ p: SyncProgress) {
        lock.lock()
        items.append(p)
        let first = p.phase == .pushing && !items.dropLast().contains { $0.phase == .pushing }
        let hook = onPush
        lock.unlock()
        if first { hook?() }
    }

    var all: [SyncProgress] {
        lock.lock(); defer { lock.unlock() }
        return items
    }
}

final class SyncTests: XCTestCase {
    private var registry: TestRegistry!
    private var supervisor: Supervisor!

    override func setUp() async throws {
        registry = try TestRegistry.start()
        supervisor = try await registry.supervisor()
    }

    override func tearDown() async throws {
        registry?.stop()
    }

    private func enrolled() async throws -> KomekStore {
        let (store, _, _) = try await Fixtures.openUnlocked()
        let code = try await supervisor.enrolmentCode()
        _ = try await store.enrol(registryUrl: registry.url, code: code, label: "tablet")
        return store
    }

    private func finalizeOne(_ store: KomekStore) async throws -> UUID {
        let h = Fixtures.family()
        try await store.saveDraft(household: h)
        _ = try await store.finalize(id: h.id, today: Fixtures.today)
        return h.id
    }

    private func assertPending(_ store: KomekStore, _ n: Int64, line: UInt = #line) async throws {
        let pending = try await store.outboxCounts().pending
        XCTAssertEqual(pending, n, line: line)
    }

    private func sync(_ store: KomekStore, cancel: SyncCancel? = nil, _ log: ProgressLog? = nil) async throws -> SyncReport {
        let listener = log.map { l in ClosureSyncListener { l.add($0) } }
        return try await store.sync(options: nil, listener: listener, cancel: cancel)
    }

    private func atRegistry(_ id: UUID) async throws -> Int {
        try await supervisor.cases().filter { $0.caseId == id }.count
    }

    func testEnrolSyncWithProgressAndDecisionsComeBack() async throws {
        let (store, _, _) = try await Fixtures.openUnlocked()
        let komek = store
        var isEnrolled = try await komek.isEnrolled()
        XCTAssertFalse(isEnrolled)
        let code = try await supervisor.enrolmentCode()
        let enrolment = try await komek.enrol(registryUrl: registry.url, code: code, label: "Mobile centre 3, tablet 2")
        isEnrolled = try await komek.isEnrolled()
        XCTAssertTrue(isEnrolled)
        XCTAssertEqual(enrolment.registryUrl, registry.url)

        let approved = try await finalizeOne(store)
        let returned = try await finalizeOne(store)
        let log = ProgressLog()
        let report = try await sync(komek, log)
        XCTAssertEqual(report.stored, 2)
        try await assertPending(store, 0)
        XCTAssertEqual(log.all.first?.phase, .sealing)
        XCTAssertEqual(log.all.last?.phase, .done)
        let pushed = log.all.last { $0.phase == .pushing }
        XCTAssertEqual(pushed?.opsDone, 2)
        XCTAssertEqual(pushed?.opsTotal, 2)

        try await supervisor.approve(approved)
        let comment = "Приложите справку о доходах за IV квартал"
        try await supervisor.returnCase(returned, comment: comment)
        let second = try await sync(komek)
        XCTAssertEqual(second.decisions, 2)
        XCTAssertEqual(second.comments, 1)
        let a = try await komek.caseInfo(approved)
        XCTAssertEqual(a?.status, .approved)
        XCTAssertEqual(a?.comments, [])
        let r = try await komek.caseInfo(returned)
        XCTAssertEqual(r?.status, .returned)
        XCTAssertEqual(r?.comments, [comment])
        let mine = try await komek.cases().map(\.caseId)
        XCTAssertEqual(Set(mine), [approved, returned])
    }

    func testBundleCarriedToTheOfficeDeliversOnceAndItsReceiptConfirmsIt() async throws {
        let store = try await enrolled()
        let komek = store
        let id = try await finalizeOne(store)
        let bundle = try await komek.exportBundle()
        XCTAssertEqual(bundle.deviceSeqs.count, 1)
        try await assertPending(store, 1) // exporting marks nothing sent

        let receipt = try await supervisor.importBundle(bundle.bytes)
        var there = try await atRegistry(id)
        XCTAssertEqual(there, 1)
        var damaged = receipt
        damaged[damaged.count - 1] ^= 1
        do {
            _ = try await komek.applyReceipt(damaged)
            XCTFail("a damaged receipt was applied")
        } catch KomekError.Integrity {}
        try await assertPending(store, 1)

        let report = try await komek.applyReceipt(receipt)
        XCTAssertEqual(report.bundleId, bundle.bundleId)
        XCTAssertEqual(report.stored, 1)
        try await assertPending(store, 0)
        let again = try await sync(store)
        XCTAssertEqual(again.stored, 0)
        there = try await atRegistry(id)
        XCTAssertEqual(there, 1)
    }

    func testSyncCancelLeavesTheFormPendingAndTheNextSyncDeliversItOnce() async throws {
        let store = try await enrolled()
        let id = try await finalizeOne(store)
        let cancel = SyncCancel()
        let log = ProgressLog()
        log.onPush = { cancel.cancel() }
        do {
            _ = try await sync(store, cancel: cancel, log)
            XCTFail("the sync was not cancelled")
        } catch KomekError.Cancelled {}
        try await assertPending(store, 1)
        var there = try await atRegistry(id)
        XCTAssertEqual(there, 0)
        let report = try await sync(store)
        XCTAssertEqual(report.stored + report.duplicates, 1)
        there = try await atRegistry(id)
        XCTAssertEqual(there, 1)
    }

    func testCancellingTheTaskStopsTheSyncAndTheNextSyncDeliversOnce() async throws {
        let store = try await enrolled()
        let id = try await finalizeOne(store)
        let log = ProgressLog()
        let komek = store
        final class Holder: @unchecked Sendable { var task: Task<SyncReport, Error>? }
        let holder = Holder()
        // UniFFI's Swift does not cancel a Rust future with its Task: the
        // Task's cancellation reaches the sync through a SyncCancel, as
        // BackgroundSync.run does it, so the push after this never starts.
        let cancel = SyncCancel()
        log.onPush = { holder.task?.cancel() }
        holder.task = Task {
            try await withTaskCancellationHandler {
                try await self.sync(komek, cancel: cancel, log)
            } onCancel: {
                cancel.cancel()
            }
        }
        do {
            _ = try await holder.task!.value
            XCTFail("the sync was not cancelled")
        } catch KomekError.Cancelled {}
        try await assertPending(store, 1)
        var there = try await atRegistry(id)
        XCTAssertEqual(there, 0)
        let report = try await sync(store)
        XCTAssertEqual(report.stored + report.duplicates, 1)
        try await assertPending(store, 0)
        there = try await atRegistry(id)
        XCTAssertEqual(there, 1)
    }

    func testDeadRegistryIsNetworkAndTheFormWaits() async throws {
        let store = try await enrolled()
        _ = try await finalizeOne(store)
        registry.stop()
        registry = nil
        do {
            _ = try await store.sync(options: SyncOptions(maxAttempts: 1, timeoutSecs: 5), listener: nil, cancel: nil)
            XCTFail("expected a network error")
        } catch let e as KomekError {
            guard case .Network = e else { return XCTFail("\(e)") }
            XCTAssertTrue(e.isTransient())
        }
        try await assertPending(store, 1)
    }

    func testPublishedRulePackArrivesVerifiedAndBecomesActive() async throws {
        let store = try await enrolled()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("core/packs/kz-default.toml"), encoding: .utf8)
            .replacingOccurrences(of: "version = \"kz-2026.1\"", with: "version = \"kz-2026.5\"")
            .replacingOccurrences(of: "issued = 2026-01-01", with: "issued = 2026-02-01")
        let version = try await supervisor.publishRules(Data(text.utf8))
        XCTAssertEqual(version, "kz-2026.5")
        let report = try await store.sync(options: SyncOptions(today: Fixtures.today), listener: nil, cancel: nil)
        XCTAssertEqual(report.rulePacks, ["kz-2026.5"])
        XCTAssertEqual(report.activatedRulePack?.version, "kz-2026.5")
        XCTAssertEqual(try store.activeRulePack().info().version, "kz-2026.5")
        let received = try await store.receivedRulePacks(today: Fixtures.today)
        XCTAssertEqual(received.map { $0.info().version }, ["kz-2026.5"])
    }

    func testWrongEnrolmentCodeIsRefusedWithTheRegistryCode() async throws {
        let (store, _, _) = try await Fixtures.openUnlocked()
        do {
            _ = try await store.enrol(registryUrl: registry.url, code: "AAAAA-BBBBB", label: "tablet")
            XCTFail("expected a refusal")
        } catch let KomekError.Refused(code, httpStatus, _) {
            XCTAssertEqual(code, "bad_enrolment_code")
            XCTAssertTrue((400..<500).contains(Int(httpStatus)))
        }
        let enrolled = try await store.isEnrolled()
        XCTAssertFalse(enrolled)
    }
}
