package kz.komek

import java.util.concurrent.ConcurrentHashMap
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import kz.komek.android.GcmKeyWrapper
import kz.komek.ffi.KeyVault
import kz.komek.ffi.KomekException

/**
 * A key vault for the desktop tests: AES-256-GCM keys per alias in memory,
 * wrapping with the same [GcmKeyWrapper] (blob format, alias as associated
 * data, error mapping) as the Android Keystore vault. Only where the key lives
 * differs. [failWith] makes every call throw, like a keystore that is down.
 */
class TestVault : KeyVault {
    private val keys = ConcurrentHashMap<String, SecretKey>()
    private val wrapper = GcmKeyWrapper()
    val destroyed: MutableList<String> = java.util.Collections.synchronizedList(mutableListOf())

    @Volatile
    var failWith: Throwable? = null

    /** The threads the store called the vault on. */
    val threads: MutableSet<Thread> = java.util.Collections.synchronizedSet(mutableSetOf())

    /** When set, the next `wrap` runs this first (a test holds the store there). */
    @Volatile
    var beforeWrap: (() -> Unit)? = null

    private fun check() {
        failWith?.let { throw it }
    }

    override fun wrap(alias: String, secret: ByteArray): ByteArray {
        threads.add(Thread.currentThread())
        beforeWrap?.let { beforeWrap = null; it() }
        check()
        val key = keys.computeIfAbsent(alias) {
            KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()
        }
        return wrapper.wrap(key, alias, secret)
    }

    override fun unwrap(alias: String, wrapped: ByteArray): ByteArray {
        threads.add(Thread.currentThread())
        check()
        val key = keys[alias] ?: throw KomekException.NotFound("no key for this alias")
        return wrapper.unwrap(key, alias, wrapped)
    }

    override fun destroy(alias: String) {
        check()
        keys.remove(alias)
        destroyed.add(alias)
    }

    fun aliases(): Set<String> = keys.keys.toSet()
}
