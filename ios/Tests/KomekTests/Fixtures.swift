// Shared set-up for the XCTest suite, mirroring android/src/test/kotlin/kz/komek/Fixtures.kt.

import CryptoKit
import Foundation
@testable import Komek

/// AES-256-GCM keys per alias in memory (the Keychain needs an entitled host
/// app); the blob format matches KeychainVault. `failWith` makes every call throw.
final class TestVault: KeyVault, @unchecked Sendable {
    private var keys: [String: SymmetricKey] = [:]
    private let lock = NSLock()
    var destroyed: [String] = []
    var failWith: Error?

    func aliases() -> Set<String> {
        lock.lock(); defer { lock.unlock() }
        return Set(keys.keys)
    }

    func wrap(alias: String, secret: Data) throws -> Data {
        if let e = failWith { throw e }
        lock.lock(); defer { lock.unlock() }
        let key = keys[alias] ?? SymmetricKey(size: .bits256)
        keys[alias] = key
        let box = try AES.GCM.seal(secret, using: key, authenticating: Data(alias.utf8))
        return Data([1]) + box.combined!
    }

    func unwrap(alias: String, wrapped: Data) throws -> Data {
        if let e = failWith { throw e }
        lock.lock(); defer { lock.unlock() }
        guard let key = keys[alias] else { throw KomekError.NotFound(reason: "no key for this alias") }
        do {
            let box = try AES.GCM.SealedBox(combined: wrapped.dropFirst())
            return try AES.GCM.open(box, using: key, authenticating: Data(alias.utf8))
        } catch {
            throw KomekError.Integrity(reason: "wrapped key failed authentication")
        }
    }

    func destroy(alias: String) throws {
        if let e = failWith { throw e }
        lock.lock(); defer { lock.unlock() }
        keys[alias] = nil
        destroyed.append(alias)
    }
}

enum Fixtures {
    static let pin = "482916"
    static let surname = "Сейткали"
    static let today: IsoDate = "2026-02-10"
    /// Made-up IINs valid by the check-digit algorithm.
    static let iins = ["910105401005", "170105501015", "200105601020", "230105501039"]

    static func tenge(_ t: Int64) -> Tiyn { t * 100 }

    static func tempPath() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("komek.db").path
    }

    static func openUnlocked() async throws -> (KomekStore, TestVault, UUID) {
        let vault = TestVault()
        let store = try await KomekStore.open(path: tempPath(), vault: vault, config: StoreConfig())
        let id = try await store.addStaff(role: .supervisor, displayName: "Supervisor", pin: pin)
        try await store.unlock(staffId: id, pin: pin)
        return (store, vault, id)
    }

    /// The mother with three children in Aktobe of the Kotlin tests: TSA likely
    /// eligible on 2026-02-10, margin 14,560 tenge.
    static func family() -> Household {
        var h = newHouseholdDraft(region: .aktobe)
        h.consents = [Consent(
            id: UUID(), recordedAt: Date(timeIntervalSince1970: 1_770_710_400), method: .signedPaper,
            operator: "Aktobe department of employment and social programmes",
            purpose: "targeted social assistance", validUntil: "2027-02-10",
            dataCategories: ["identity", "income"], transferToRegistry: true, withdrawnAt: nil
        )]
        h.housing = Housing(tenure: .rent, monthlyRent: tenge(60_000))
        let people: [(Relation, Int, Sex)] = [(.head, 1991, .female), (.child, 2017, .male), (.child, 2020, .female), (.child, 2023, .male)]
        // Each member is added before the next is made: newMember derives
        // the id from the household as it is.
        for (i, p) in people.enumerated() {
            var m = try! newMember(household: h, surname: surname, givenName: "Name\(i)", relation: p.0)
            m.birthDate = IsoDates.date(DateComponents(year: p.1, month: 1, day: 5))
            m.sex = p.2
            m.iin = iins[i]
            if p.0 == .head { m.activity = .employed }
            h.members.append(m)
        }
        let head = h.members[0].id
        h.incomes = (10...12).map { Income(id: UUID(), memberId: head, kind: .wages, amount: tenge(90_000), month: IsoDates.month(year: 2025, month: $0)) }
        return h
    }
}
