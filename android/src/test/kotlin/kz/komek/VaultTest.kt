package kz.komek

import kotlinx.coroutines.runBlocking
import java.nio.file.Files
import javax.crypto.KeyGenerator
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import kz.komek.android.GcmKeyWrapper
import kz.komek.ffi.KomekException
import kz.komek.ffi.KomekStore
import kz.komek.ffi.StoreConfig
import org.junit.jupiter.api.Test

/** The key wrapping of the Android vault, and how vault failures reach the app. */
class VaultTest {
    private val key = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()

    @Test
    fun `wrapped keys unwrap only under their alias and unaltered`() = runBlocking<Unit> {
        val w = GcmKeyWrapper()
        val secret = ByteArray(32) { it.toByte() }
        val blob = w.wrap(key, "komek-dk-1", secret)
        assertEquals(2 + 12 + 32 + 16, blob.size)
        assertContentEquals(secret, w.unwrap(key, "komek-dk-1", blob))
        assertFailsWith<KomekException.Integrity> { w.unwrap(key, "komek-dk-2", blob) }
        val altered = blob.copyOf().also { it[20] = (it[20].toInt() xor 1).toByte() }
        assertFailsWith<KomekException.Integrity> { w.unwrap(key, "komek-dk-1", altered) }
        assertFailsWith<KomekException.Integrity> { w.unwrap(key, "komek-dk-1", blob.copyOf(10)) }
    }

    private fun path() = Files.createTempDirectory("komek-kt").resolve("komek.db").toString()

    @Test
    fun `a KomekException thrown by the vault reaches the app with its reason`() = runBlocking<Unit> {
        val vault = TestVault().apply { failWith = KomekException.Vault("user not authenticated") }
        val e = assertFailsWith<KomekException.Vault> { KomekStore.open(path(), vault, StoreConfig()) }
        assertTrue(e.reason.contains("user not authenticated"), e.reason)
        assertEquals("vault", e.code())
    }

    @Test
    fun `any other exception from the vault becomes a vault error, not a crash`() = runBlocking<Unit> {
        val vault = TestVault().apply { failWith = IllegalStateException("keystore busy") }
        val e = assertFailsWith<KomekException.Vault> { KomekStore.open(path(), vault, StoreConfig()) }
        assertTrue(e.reason.contains("keystore busy"), e.reason)
    }

    @Test
    fun `a wrapped key that no longer decrypts is an integrity error`() = runBlocking<Unit> {
        val p = path()
        val vault = TestVault()
        KomekStore.open(p, vault, StoreConfig()).close()
        // Replace every vault key: the stored wrapped data key no longer authenticates.
        val other = TestVault()
        vault.aliases().forEach { other.wrap(it, ByteArray(32)) }
        assertFailsWith<KomekException.Integrity> { KomekStore.open(p, other, StoreConfig()) }
    }
}
