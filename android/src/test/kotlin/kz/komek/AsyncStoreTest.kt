package kz.komek

import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotEquals
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kz.komek.Fixtures.TODAY
import kz.komek.Fixtures.family
import kz.komek.android.AsyncKomekStore
import kz.komek.android.SyncPolicy
import kz.komek.ffi.KomekException
import kz.komek.ffi.Lang
import kz.komek.ffi.Outcome
import org.junit.jupiter.api.Test

/** The coroutine layer of the Android module, run on the desktop JVM. */
class AsyncStoreTest {
    @Test
    fun `suspend wrappers run off the calling thread and keep the typed errors`() = runBlocking<Unit> {
        val o = Fixtures.openUnlocked()
        val store = AsyncKomekStore(o.store)
        val caller = Thread.currentThread()
        var worker: Thread? = null
        val households = (1..4).map { family() }
        households.map { h -> async { store.saveDraft(h) } }.awaitAll()
        assertEquals(households.map { it.id }.toSet(), store.list().map { it.id }.toSet())
        val pc = kotlinx.coroutines.withContext(kotlinx.coroutines.Dispatchers.IO) {
            worker = Thread.currentThread()
            store.precheck(households[0], TODAY, Lang.EN)
        }
        assertNotEquals(caller, worker)
        assertEquals(Outcome.LikelyEligible, pc.report.programmes.first().outcome)
        store.finalize(households[0].id, TODAY)
        assertEquals(1uL, store.outboxCounts().pending)
        store.lock()
        assertFailsWith<KomekException.Locked> { store.list() }
    }

    @Test
    fun `sync retries back off exponentially up to WorkManager's cap`() {
        assertEquals(listOf(30L, 60L, 120L, 240L), (0..3).map { SyncPolicy.backoffSeconds(it) })
        assertEquals(5L * 3600, SyncPolicy.backoffSeconds(20))
    }
}
