package kz.komek

import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kz.komek.Fixtures.TODAY
import kz.komek.Fixtures.family
import kz.komek.android.SyncPolicy
import kz.komek.ffi.KomekException
import kz.komek.ffi.Lang
import kz.komek.ffi.Outcome
import kz.komek.ffi.newMember
import kz.komek.ffi.newRecordId
import kz.komek.ffi.Relation
import org.junit.jupiter.api.Test

/**
 * The API model (ADR 0008): the generated `KomekStore` is the app's API,
 * with no wrapper. Calls that touch the disk, the vault or the network are
 * suspend functions that run on the library's pool; `lock` never waits.
 */
class ApiModelTest {
    @Test
    fun `store calls suspend and run off the calling thread, typed errors unchanged`() = runBlocking<Unit> {
        val o = Fixtures.openUnlocked()
        val caller = Thread.currentThread()
        val households = (1..4).map { family() }
        households.map { h -> async { o.store.saveDraft(h) } }.awaitAll()
        assertEquals(households.map { it.id }.toSet(), o.store.list().map { it.id }.toSet())
        // forget rotates the data key through the vault: the vault is called
        // on the library's pool, never on the thread that called the store.
        o.store.forget(households[3].id)
        assertTrue(o.vault.threads.isNotEmpty())
        assertFalse(caller in o.vault.threads, "the vault ran on the caller's thread")

        val pc = o.store.precheck(households[0], TODAY, Lang.EN)
        assertEquals(Outcome.LikelyEligible, pc.report.programmes.first().outcome)
        o.store.finalize(households[0].id, TODAY)
        val pending: Long = o.store.outboxCounts().pending
        assertEquals(1L, pending)
        o.store.lock()
        assertFailsWith<KomekException.Locked> { o.store.list() }
    }

    @Test
    fun `lock returns at once while a long call holds the store, and the next call is locked`() = runBlocking<Unit> {
        val o = Fixtures.openUnlocked()
        val h = family()
        o.store.saveDraft(h)
        val entered = CountDownLatch(1)
        val release = CountDownLatch(1)
        o.vault.beforeWrap = {
            entered.countDown()
            release.await(60, TimeUnit.SECONDS)
        }
        // forget holds the store while the vault wraps the rotated key.
        val forgetting = async(Dispatchers.IO) { o.store.forget(h.id) }
        assertTrue(entered.await(60, TimeUnit.SECONDS))
        o.store.lock() // on this thread, while forget still holds the store
        assertNull(o.store.currentStaff())
        release.countDown()
        forgetting.await()
        assertFailsWith<KomekException.Locked> { o.store.list() }
    }

    @Test
    fun `new members get ids derived from the household, distinct as they are added`() = runBlocking<Unit> {
        val h = family()
        val ids = h.members.map { it.id }
        assertEquals(ids.size, ids.toSet().size)
        val next = newRecordId(h)
        val m = newMember(h, "Жақсылықова", "Ләззат", Relation.GRANDPARENT)
        assertEquals(next, m.id, "newMember takes the id newRecordId gives")
        assertFalse(m.id in ids)
    }

    @Test
    fun `the retry rule is the library's isTransient and nothing else`() = runBlocking<Unit> {
        val errors = listOf(
            KomekException.Network("cut"),
            KomekException.Cancelled("stopped"),
            KomekException.Storage("disk full"),
            KomekException.Refused("revoked", 403u, "revoked"),
            KomekException.NotEnrolled("enrol first"),
            KomekException.Protocol("unreadable"),
            KomekException.Untrusted("pin"),
            KomekException.Locked("locked"),
            KomekException.Internal("bug"),
        )
        for (e in errors) {
            val expected = if (e.isTransient()) SyncPolicy.Outcome.RETRY else SyncPolicy.Outcome.FAILURE
            assertEquals(expected, SyncPolicy.outcomeOf(e), e.code())
        }
        assertEquals(
            listOf("network", "cancelled", "storage"),
            errors.filter { it.isTransient() }.map { it.code() },
        )
    }

    @Test
    fun `sync retries back off exponentially up to WorkManager's cap`() = runBlocking<Unit> {
        assertEquals(listOf(30L, 60L, 120L, 240L), (0..3).map { SyncPolicy.backoffSeconds(it) })
        assertEquals(5L * 3600, SyncPolicy.backoffSeconds(20))
        assertFalse(SyncPolicy.needsForeground(SyncPolicy.FOREGROUND_PENDING_FORMS - 1))
        assertTrue(SyncPolicy.needsForeground(SyncPolicy.FOREGROUND_PENDING_FORMS))
    }
}
