package kz.komek.android

import android.content.pm.PackageManager
import android.content.Context
import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyPermanentlyInvalidatedException
import android.security.keystore.KeyProperties
import android.security.keystore.StrongBoxUnavailableException
import java.security.KeyStore
import java.security.KeyStoreException
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import kz.komek.ffi.KeyVault
import kz.komek.ffi.KomekException

/**
 * Komek's key vault on Android: one AES-256-GCM key per alias in the Android
 * Keystore, used to wrap and unwrap the store's data key.
 *
 * Why it exists: the database is encrypted under a random data key, and that
 * key must be useless off this phone. Keystore keys are generated inside the
 * TEE (or the StrongBox secure element where the device has one) and never
 * leave it: this class only ever holds a handle, and asks the Keystore to
 * encrypt or decrypt. A copied database file, or a backup, cannot be opened
 * elsewhere. `destroy` deletes the Keystore entry, which is what makes
 * forgetting a household hold against old copies of the file (ADR 0001).
 *
 * Errors: a missing alias is [KomekException.NotFound]; a blob that fails
 * authentication is [KomekException.Integrity]; a key invalidated by the OS
 * (lock screen removed) or any other Keystore failure is
 * [KomekException.Vault]. Messages never contain key bytes.
 *
 * All methods block briefly (Keystore IPC); the store calls them from its own
 * calls, which the app already runs on `Dispatchers.IO` ([AsyncKomekStore]).
 */
class AndroidKeystoreVault(
    private val context: Context,
    private val aliasPrefix: String = "kz.komek.vault.",
) : KeyVault {
    private val wrapper = GcmKeyWrapper()

    private fun keyStore(): KeyStore =
        try {
            KeyStore.getInstance(ANDROID_KEYSTORE).apply { load(null) }
        } catch (e: Exception) {
            throw KomekException.Vault("Android Keystore unavailable: ${e.javaClass.simpleName}")
        }

    private fun existingKey(alias: String): SecretKey? =
        keyStore().getKey(aliasPrefix + alias, null) as SecretKey?

    private fun createKey(alias: String): SecretKey {
        val strongBox = Build.VERSION.SDK_INT >= Build.VERSION_CODES.P &&
            context.packageManager.hasSystemFeature(PackageManager.FEATURE_STRONGBOX_KEYSTORE)
        return try {
            generate(alias, strongBox)
        } catch (e: Exception) {
            // Some devices announce StrongBox but fail to generate there.
            if (strongBox && isStrongBoxUnavailable(e)) generate(alias, false) else throw e
        }
    }

    private fun isStrongBoxUnavailable(e: Exception): Boolean =
        Build.VERSION.SDK_INT >= Build.VERSION_CODES.P && e is StrongBoxUnavailableException

    private fun generate(alias: String, strongBox: Boolean): SecretKey {
        val spec = KeyGenParameterSpec.Builder(
            aliasPrefix + alias,
            KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT,
        )
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setKeySize(256)
            .setRandomizedEncryptionRequired(true)
            .apply { if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) setIsStrongBoxBacked(strongBox) }
            .build()
        val generator = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, ANDROID_KEYSTORE)
        generator.init(spec)
        return generator.generateKey()
    }

    override fun wrap(alias: String, secret: ByteArray): ByteArray =
        keystoreCall {
            val key = existingKey(alias) ?: createKey(alias)
            try {
                wrapper.wrap(key, alias, secret)
            } finally {
                secret.fill(0)
            }
        }

    override fun unwrap(alias: String, wrapped: ByteArray): ByteArray =
        keystoreCall {
            val key = existingKey(alias) ?: throw KomekException.NotFound("no Keystore key for this alias")
            wrapper.unwrap(key, alias, wrapped)
        }

    override fun destroy(alias: String) =
        keystoreCall {
            val ks = keyStore()
            if (ks.containsAlias(aliasPrefix + alias)) ks.deleteEntry(aliasPrefix + alias)
        }

    /** Komek's own exceptions pass through; Keystore failures become [KomekException.Vault]. */
    private inline fun <T> keystoreCall(block: () -> T): T =
        try {
            block()
        } catch (e: KomekException) {
            throw e
        } catch (e: KeyPermanentlyInvalidatedException) {
            throw KomekException.Vault("Keystore key was invalidated (lock screen changed)")
        } catch (e: KeyStoreException) {
            throw KomekException.Vault("Android Keystore failed: ${e.javaClass.simpleName}")
        } catch (e: java.security.GeneralSecurityException) {
            throw KomekException.Vault("Keystore operation failed: ${e.javaClass.simpleName}")
        }

    private companion object {
        const val ANDROID_KEYSTORE = "AndroidKeyStore"
    }
}
