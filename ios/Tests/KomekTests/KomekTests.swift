// The XCTest suite, mirroring the Kotlin tests (android/src/test/kotlin/kz/komek):
// staff and PINs, a form's validation error and its fix, the pre-check in kk,
// ru and en, finalize / list / find by IIN / correct / forget, self-check, a
// signed rule pack and re-screening, vault error mapping, the retry rule.
// Store calls are async (ADR 0008). Runs on macOS with `swift test` after
// build-xcframework.sh.

import CryptoKit
import XCTest
@testable import Komek

/// `XCTAssertThrowsError` takes no `await`: this does, and hands the error on.
func assertThrows<T>(_ body: () async throws -> T, _ check: (Error) -> Void = { _ in },
                     file: StaticString = #filePath, line: UInt = #line) async {
    do {
        _ = try await body()
        XCTFail("no error thrown", file: file, line: line)
    } catch {
        check(error)
    }
}

final class StaffTests: XCTestCase {
    func testOpenAddStaffUnlockAndWrongPin() async throws {
        let store = try await KomekStore.open(path: Fixtures.tempPath(), vault: TestVault(), config: StoreConfig())
        await assertThrows({ try await store.addStaff(role: .field, displayName: "Field", pin: Fixtures.pin) }) { e in
            guard case KomekError.NotSupervisor = e else { return XCTFail("\(e)") }
        }
        let sup = try await store.addStaff(role: .supervisor, displayName: "Supervisor", pin: Fixtures.pin)
        await assertThrows({ try await store.unlock(staffId: sup, pin: "000000") }) { e in
            guard case let KomekError.WrongPin(remaining, reason) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(remaining, 9)
            XCTAssertTrue(reason.contains("wrong PIN"))
            XCTAssertEqual((e as? KomekError)?.code(), "wrong_pin")
        }
        try await store.unlock(staffId: sup, pin: Fixtures.pin)
        XCTAssertEqual(store.currentStaff(), sup)
        _ = try await store.addStaff(role: .field, displayName: "Ерлан", pin: "7319")
        let staff = try await store.staff()
        XCTAssertEqual(staff.count, 2)
        store.lock()
        XCTAssertNil(store.currentStaff())
    }
}

final class FormTests: XCTestCase {
    func testBadIinIsRefusedExplainedAndSavedOnceFixed() async throws {
        let (store, _, _) = try await Fixtures.openUnlocked()
        var h = Fixtures.family()
        h.members[0].iin = String(Fixtures.iins[0].dropLast()) + "9"
        let bad = h
        await assertThrows({ try await store.saveDraft(household: bad) }) { e in
            guard case let KomekError.InvalidForm(reason) = e else { return XCTFail("\(e)") }
            XCTAssertTrue(reason.contains("members[0].iin problem-iin-check-digit"))
            XCTAssertFalse(reason.contains(Fixtures.surname))
        }
        var messages: [String] = []
        for lang in [Lang.kk, .ru, .en] {
            let p = try store.validate(household: h, today: Fixtures.today, stage: .draft, lang: lang)
                .first { $0.path == "members[0].iin" }
            XCTAssertEqual(p?.key, .iinCheckDigit)
            XCTAssertEqual(p?.severity, .error)
            messages.append(p?.message ?? "")
        }
        XCTAssertEqual(Set(messages).count, 3)
        h.members[0].iin = Fixtures.iins[0]
        try await store.saveDraft(household: h)
        let loaded = try await store.load(id: h.id)
        XCTAssertEqual(loaded.members, h.members)
    }

    func testPrecheckInThreeLanguagesHasTheSameNumbers() async throws {
        let (store, _, _) = try await Fixtures.openUnlocked()
        var texts: [String] = []
        for lang in [Lang.kk, .ru, .en] {
            let pc = try store.precheck(household: Fixtures.family(), date: Fixtures.today, lang: lang)
            let tsa = pc.report.programmes.first { $0.programme == .targetedSocialAssistance }!
            XCTAssertEqual(tsa.outcome, .likelyEligible)
            XCTAssertEqual(tsa.margin, Fixtures.tenge(14_560))
            XCTAssertEqual(tsa.amount?.value, Fixtures.tenge(58_240 + 12_975))
            XCTAssertFalse(pc.text.contains(Fixtures.surname))
            texts.append(pc.text)
        }
        XCTAssertTrue(texts[0].contains("Ақтөбе облысы"))
        XCTAssertTrue(texts[1].contains("Актюбинская область"))
        XCTAssertTrue(texts[2].contains("Aktobe region"))
    }

    func testFinalizeListFindCorrectAndForget() async throws {
        let (store, vault, _) = try await Fixtures.openUnlocked()
        let h = Fixtures.family()
        try await store.saveDraft(household: h)
        let final = try await store.finalize(id: h.id, today: Fixtures.today)
        XCTAssertEqual(final.status, .final)
        let pending = try await store.outboxCounts().pending
        XCTAssertEqual(pending, 1)
        let found = try await store.findByIin(iin: Fixtures.iins[2])
        XCTAssertEqual(found, [h.id])
        let c = try await store.startCorrection(id: h.id)
        XCTAssertEqual(c.version, 2)
        XCTAssertEqual(c.replaces, 1)
        let before = vault.aliases()
        try await store.forget(id: h.id)
        let left = try await store.list()
        XCTAssertTrue(left.isEmpty)
        XCTAssertTrue(vault.destroyed.contains { before.contains($0) })
    }
}

final class RulesTests: XCTestCase {
    func testSelfCheck() throws {
        let input = SelfCheckInput(
            region: .aktobe,
            members: [
                SelfCheckMember(relation: .head, age: 34, sex: .female, activity: .employed,
                                incomes: [SelfCheckIncome(kind: .wages, monthly: Fixtures.tenge(90_000))]),
                SelfCheckMember(relation: .child, age: 8),
                SelfCheckMember(relation: .child, age: 5),
                SelfCheckMember(relation: .child, age: 2),
            ],
            tenure: .rent, monthlyRent: Fixtures.tenge(60_000)
        )
        let pc = try selfCheck(input: input, date: Fixtures.today, lang: .kk)
        XCTAssertEqual(pc.report.programmes.first?.outcome, .likelyEligible)
        XCTAssertEqual(pc.report.programmes.first?.margin, Fixtures.tenge(14_560))
    }

    func testPackSignedInSwiftIsVerifiedAndRescreens() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var text = try String(contentsOf: root.appendingPathComponent("core/packs/kz-default.toml"), encoding: .utf8)
        if let r = text.range(of: "amount = 37060") { text.replaceSubrange(r, with: "amount = 40000") }
        text = text.replacingOccurrences(of: "version = \"kz-2026.1\"", with: "version = \"kz-2026.2\"")
            .replacingOccurrences(of: "issued = 2026-01-01", with: "issued = 2026-02-01")
        let toml = Data(text.utf8)
        let key = Curve25519.Signing.PrivateKey()
        let raw = key.publicKey.rawRepresentation
        let keyId = Data(SHA256.hash(data: raw)).prefix(8)
        let signature = keyId + (try key.signature(for: Data("komek-rule-pack-v1\0".utf8) + toml))

        XCTAssertThrowsError(try RulePack.verified(toml: toml, signature: signature, trustedKeys: [], today: Fixtures.today))
        let new = try RulePack.verified(toml: toml, signature: signature, trustedKeys: [raw], today: Fixtures.today)
        XCTAssertEqual(new.info().version, "kz-2026.2")

        let (store, _, _) = try await Fixtures.openUnlocked()
        try await store.saveDraft(household: Fixtures.family())
        let r = try await store.rescreen(old: try RulePack.embedded(), new: new, date: Fixtures.today)
        XCTAssertEqual(r.screened, 1)
        XCTAssertEqual(r.hits.first?.tsaMargin, Fixtures.tenge(17_500))
    }
}

final class VaultTests: XCTestCase {
    func testVaultErrorsReachTheApp() async {
        let vault = TestVault()
        vault.failWith = KomekError.Vault(reason: "user not authenticated")
        await assertThrows({ try await KomekStore.open(path: Fixtures.tempPath(), vault: vault, config: StoreConfig()) }) { e in
            guard case let KomekError.Vault(reason) = e else { return XCTFail("\(e)") }
            XCTAssertTrue(reason.contains("user not authenticated"))
        }
    }

    func testAnyOtherErrorBecomesAVaultError() async {
        let vault = TestVault()
        vault.failWith = CocoaError(.fileReadUnknown)
        await assertThrows({ try await KomekStore.open(path: Fixtures.tempPath(), vault: vault, config: StoreConfig()) }) { e in
            guard case KomekError.Vault = e else { return XCTFail("\(e)") }
        }
    }
}

final class ApiModelTests: XCTestCase {
    func testStoreCallsAreAsyncAndLockNeverWaits() async throws {
        let (store, _, _) = try await Fixtures.openUnlocked()
        let h = Fixtures.family()
        try await store.saveDraft(household: h)
        let ids = try await store.list().map(\.id)
        XCTAssertEqual(ids, [h.id])
        store.lock()
        await assertThrows({ try await store.list() }) { e in
            guard case KomekError.Locked = e else { return XCTFail("\(e)") }
        }
    }

    func testTheRetryRuleIsIsTransient() {
        let errors: [KomekError] = [
            .Network(reason: "cut"), .Cancelled(reason: "stopped"), .Storage(reason: "disk full"),
            .Refused(code: "revoked", httpStatus: 403, reason: "revoked"), .NotEnrolled(reason: "enrol"),
            .Protocol(reason: "unreadable"), .Untrusted(reason: "pin"), .Internal(reason: "bug"),
        ]
        for e in errors {
            XCTAssertEqual(SyncPolicy.outcomeOf(e), e.isTransient() ? .retry : .failure)
        }
        XCTAssertEqual(errors.filter { $0.isTransient() }.map { $0.code() }, ["network", "cancelled", "storage"])
        XCTAssertEqual((0...3).map { SyncPolicy.backoffSeconds(attempt: $0) }, [30, 60, 120, 240])
        XCTAssertEqual(SyncPolicy.backoffSeconds(attempt: 20), 5 * 3600)
    }
}
