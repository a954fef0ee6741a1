// The XCTest suite, mirroring the Kotlin tests (android/src/test/kotlin/kz/komek):
// staff and PINs, a form's validation error and its fix, the pre-check in kk,
// ru and en, finalize / list / find by IIN / correct / forget, self-check, a
// signed rule pack and re-screening, vault error mapping, the async layer.
// Runs on macOS with `swift test` after build-xcframework.sh.

import CryptoKit
import XCTest
@testable import Komek

final class StaffTests: XCTestCase {
    func testOpenAddStaffUnlockAndWrongPin() throws {
        let store = try KomekStore.open(path: Fixtures.tempPath(), vault: TestVault(), config: StoreConfig(idleTimeoutSecs: 300))
        XCTAssertThrowsError(try store.addStaff(role: .field, displayName: "Field", pin: Fixtures.pin)) { e in
            guard case KomekError.NotSupervisor = e else { return XCTFail("\(e)") }
        }
        let sup = try store.addStaff(role: .supervisor, displayName: "Supervisor", pin: Fixtures.pin)
        XCTAssertThrowsError(try store.unlock(staffId: sup, pin: "000000")) { e in
            guard case let KomekError.WrongPin(remaining, reason) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(remaining, 9)
            XCTAssertTrue(reason.contains("wrong PIN"))
            XCTAssertEqual((e as? KomekError)?.code(), "wrong_pin")
        }
        try store.unlock(staffId: sup, pin: Fixtures.pin)
        XCTAssertEqual(store.currentStaff(), sup)
        _ = try store.addStaff(role: .field, displayName: "Ерлан", pin: "7319")
        XCTAssertEqual(try store.staff().count, 2)
        store.lock()
        XCTAssertNil(store.currentStaff())
    }
}

final class FormTests: XCTestCase {
    func testBadIinIsRefusedExplainedAndSavedOnceFixed() throws {
        let (store, _, _) = try Fixtures.openUnlocked()
        var h = Fixtures.family()
        h.members[0].iin = String(Fixtures.iins[0].dropLast()) + "9"
        XCTAssertThrowsError(try store.saveDraft(household: h)) { e in
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
        try store.saveDraft(household: h)
        XCTAssertEqual(try store.load(id: h.id).members, h.members)
    }

    func testPrecheckInThreeLanguagesHasTheSameNumbers() throws {
        let (store, _, _) = try Fixtures.openUnlocked()
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

    func testFinalizeListFindCorrectAndForget() throws {
        let (store, vault, _) = try Fixtures.openUnlocked()
        let h = Fixtures.family()
        try store.saveDraft(household: h)
        let final = try store.finalize(id: h.id, today: Fixtures.today)
        XCTAssertEqual(final.status, .final)
        XCTAssertEqual(try store.outboxCounts().pending, 1)
        XCTAssertEqual(try store.findByIin(iin: Fixtures.iins[2]), [h.id])
        let c = try store.startCorrection(id: h.id)
        XCTAssertEqual(c.version, 2)
        XCTAssertEqual(c.replaces, 1)
        let before = vault.aliases()
        try store.forget(id: h.id)
        XCTAssertTrue(try store.list().isEmpty)
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

    func testPackSignedInSwiftIsVerifiedAndRescreens() throws {
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

        let (store, _, _) = try Fixtures.openUnlocked()
        try store.saveDraft(household: Fixtures.family())
        let r = try store.rescreen(old: try RulePack.embedded(), new: new, date: Fixtures.today)
        XCTAssertEqual(r.screened, 1)
        XCTAssertEqual(r.hits.first?.tsaMargin, Fixtures.tenge(17_500))
    }
}

final class VaultTests: XCTestCase {
    func testVaultErrorsReachTheApp() {
        let vault = TestVault()
        vault.failWith = KomekError.Vault(reason: "user not authenticated")
        XCTAssertThrowsError(try KomekStore.open(path: Fixtures.tempPath(), vault: vault, config: StoreConfig(idleTimeoutSecs: 300))) { e in
            guard case let KomekError.Vault(reason) = e else { return XCTFail("\(e)") }
            XCTAssertTrue(reason.contains("user not authenticated"))
        }
    }

    func testAnyOtherErrorBecomesAVaultError() {
        let vault = TestVault()
        vault.failWith = CocoaError(.fileReadUnknown)
        XCTAssertThrowsError(try KomekStore.open(path: Fixtures.tempPath(), vault: vault, config: StoreConfig(idleTimeoutSecs: 300))) { e in
            guard case KomekError.Vault = e else { return XCTFail("\(e)") }
        }
    }
}

final class AsyncTests: XCTestCase {
    func testAsyncWrappers() async throws {
        let (store, _, _) = try Fixtures.openUnlocked()
        let s = AsyncKomekStore(store)
        let h = Fixtures.family()
        try await s.saveDraft(h)
        let ids = try await s.list().map(\.id)
        XCTAssertEqual(ids, [h.id])
        let pc = try await s.precheck(h, date: Fixtures.today, lang: .en)
        XCTAssertEqual(pc.report.programmes.first?.outcome, .likelyEligible)
        s.lock()
        do {
            _ = try await s.list()
            XCTFail("a locked store lists nothing")
        } catch KomekError.Locked {
        }
    }
}
