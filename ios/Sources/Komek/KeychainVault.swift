// KeychainVault: Komek's key vault on iOS.
//
// Why it exists: the store's database is encrypted under a random data key,
// and that key must be useless off this phone. For each alias the vault keeps a
// random 256-bit AES key as a Keychain item that never leaves this device
// (kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly: not in iCloud Keychain,
// not in backups, not migrated to a new phone), and wraps the data key with
// AES-GCM (CryptoKit), the alias as associated data.
//
// Why "after first unlock" and not "when unlocked": background sync
// (BackgroundSync, BGTaskScheduler) opens the store while the phone sits
// locked in a pocket on the way back from a village; an item readable only
// while unlocked would make every background sync fail. The database file
// has the matching protection class (StoreFiles). Staff still unlock the
// store itself with their PIN.
// `destroy` deletes the item, which is what makes forgetting a household hold
// against old copies of the database (docs/adr/0001).
//
// Errors: a missing item is KomekError.NotFound, a blob that fails
// authentication KomekError.Integrity, any other Keychain failure
// KomekError.Vault with the OSStatus. Messages never contain key bytes.

import CryptoKit
import Foundation
import Security

public final class KeychainVault: KeyVault, @unchecked Sendable {
    private let service: String
    private static let format: UInt8 = 1

    /// - Parameter service: the Keychain service the items live under.
    public init(service: String = "kz.komek.vault") {
        self.service = service
    }

    private func query(_ alias: String) -> [String: Any] {
        [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: alias,
            kSecUseDataProtectionKeychain as String: true,
        ]
    }

    private func readKey(_ alias: String) throws -> SymmetricKey? {
        var q = query(alias)
        q[kSecReturnData as String] = true
        q[kSecMatchLimit as String] = kSecMatchLimitOne
        var item: CFTypeRef?
        let status = SecItemCopyMatching(q as CFDictionary, &item)
        switch status {
        case errSecSuccess:
            guard let data = item as? Data else {
                throw KomekError.Vault(reason: "Keychain item has no data")
            }
            return SymmetricKey(data: data)
        case errSecItemNotFound:
            return nil
        default:
            throw KomekError.Vault(reason: "Keychain read failed (OSStatus \(status))")
        }
    }

    private func createKey(_ alias: String) throws -> SymmetricKey {
        let key = SymmetricKey(size: .bits256)
        var q = query(alias)
        q[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        q[kSecValueData as String] = key.withUnsafeBytes { Data($0) }
        let status = SecItemAdd(q as CFDictionary, nil)
        guard status == errSecSuccess else {
            throw KomekError.Vault(reason: "Keychain write failed (OSStatus \(status))")
        }
        return key
    }

    public func wrap(alias: String, secret: Data) throws -> Data {
        let key = try readKey(alias) ?? createKey(alias)
        do {
            let box = try AES.GCM.seal(secret, using: key, authenticating: Data(alias.utf8))
            guard let combined = box.combined else {
                throw KomekError.Vault(reason: "AES-GCM produced no output")
            }
            return Data([Self.format]) + combined
        } catch let e as KomekError {
            throw e
        } catch {
            throw KomekError.Vault(reason: "AES-GCM seal failed")
        }
    }

    public func unwrap(alias: String, wrapped: Data) throws -> Data {
        guard let key = try readKey(alias) else {
            throw KomekError.NotFound(reason: "no Keychain key for this alias")
        }
        guard wrapped.first == Self.format else {
            throw KomekError.Integrity(reason: "wrapped key has an unknown format")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: wrapped.dropFirst())
            return try AES.GCM.open(box, using: key, authenticating: Data(alias.utf8))
        } catch {
            throw KomekError.Integrity(reason: "wrapped key failed authentication")
        }
    }

    public func destroy(alias: String) throws {
        let status = SecItemDelete(query(alias) as CFDictionary)
        guard status == errSecSuccess || status == errSecItemNotFound else {
            throw KomekError.Vault(reason: "Keychain delete failed (OSStatus \(status))")
        }
    }
}
