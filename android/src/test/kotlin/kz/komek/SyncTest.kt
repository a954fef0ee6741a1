package kz.komek

import java.io.File
import java.util.Collections
import java.util.UUID
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.flow.MutableStateFlow
import kz.komek.android.BackgroundSync
import kz.komek.android.SyncState
import kz.komek.ffi.Lang
import kz.komek.ffi.LogLevel
import kz.komek.ffi.LogRecord
import kz.komek.ffi.Logger
import kz.komek.ffi.ValidationStage
import kz.komek.ffi.installLogger
import kz.komek.Fixtures.TODAY
import kz.komek.Fixtures.family
import kz.komek.android.SyncPolicy
import kz.komek.ffi.CaseStatus
import kz.komek.ffi.KomekException
import kz.komek.ffi.KomekStore
import kz.komek.ffi.SyncCancel
import kz.komek.ffi.SyncListener
import kz.komek.ffi.SyncOptions
import kz.komek.ffi.SyncPhase
import kz.komek.ffi.SyncProgress
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

/**
 * Enrolment and sync through the generated suspend functions, against a real
 * registry process on loopback, with a supervisor deciding over HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncTest {
    private lateinit var registry: TestRegistry
    private lateinit var supervisor: Supervisor

    @BeforeAll
    fun startRegistry() {
        registry = TestRegistry.start()
        supervisor = registry.supervisor()
    }

    @AfterAll
    fun stopRegistry() {
        registry.close()
    }

    /** A fresh device with its supervisor unlocked, enrolled with [at]. */
    internal suspend fun enrolled(at: TestRegistry = registry, sup: Supervisor = supervisor): KomekStore {
        val store = Fixtures.openUnlocked().store
        store.enrol(at.url, sup.enrolmentCode(), "tablet")
        return store
    }

    private suspend fun finalizeOne(store: KomekStore): UUID {
        val h = family()
        store.saveDraft(h)
        store.finalize(h.id, TODAY)
        return h.id
    }

    private fun atRegistry(id: UUID): Int = supervisor.cases().count { it.caseId == id }

    /** Waits until a cancelled sync has stopped: the next sync takes the store's sync turn after it. */
    private suspend fun afterCancelledSyncStopped(store: KomekStore) {
        val stopped = SyncCancel().apply { cancel() }
        assertFailsWith<KomekException.Cancelled> { store.sync(null, null, stopped) }
    }

    @Test
    fun `enrol, sync with progress, and the supervisor's decisions and comment come back`() = runBlocking<Unit> {
        val o = Fixtures.openUnlocked()
        val komek = o.store
        assertFalse(komek.isEnrolled())
        val enrolment = komek.enrol(registry.url, supervisor.enrolmentCode(), "Mobile centre 3, tablet 2")
        assertTrue(komek.isEnrolled())
        assertEquals(enrolment, komek.enrolment())
        assertEquals(registry.url, enrolment.registryUrl)

        val approved = finalizeOne(o.store)
        val returned = finalizeOne(o.store)
        val seen = Collections.synchronizedList(mutableListOf<SyncProgress>())
        val threads = Collections.synchronizedSet(mutableSetOf<Thread>())
        val report = komek.sync(null, Fixtures.listener { seen.add(it); threads.add(Thread.currentThread()) }, null)
        assertEquals(2L, report.stored)
        assertEquals(0L, report.duplicates)
        assertTrue(report.rejected.isEmpty())
        assertTrue(report.bytesUp > 0L)
        assertEquals(0L, komek.outboxCounts().pending)
        assertEquals(2L, komek.outboxCounts().acked)

        assertEquals(SyncPhase.SEALING, seen.first().phase)
        assertEquals(SyncPhase.DONE, seen.last().phase)
        val pushed = seen.last { it.phase == SyncPhase.PUSHING }
        assertEquals(2L to 2L, pushed.opsDone to pushed.opsTotal)
        assertEquals(pushed.bytesTotal, pushed.bytesDone)
        assertTrue(pushed.bytesTotal > 0L)
        assertFalse(Thread.currentThread() in threads, "progress comes on a background thread")

        assertEquals(1, atRegistry(approved))
        assertEquals(1, atRegistry(returned))
        assertTrue(komek.cases().all { it.status == CaseStatus.RECEIVED })

        supervisor.approve(approved)
        val comment = "Приложите справку о доходах за IV квартал \"2025\""
        supervisor.returnCase(returned, comment)
        val second = komek.sync()
        assertEquals(0L, second.stored)
        assertEquals(2L, second.decisions)
        assertEquals(1L, second.comments)

        val a = assertNotNull(komek.caseInfo(approved))
        assertEquals(CaseStatus.APPROVED, a.status)
        assertTrue(a.comments.isEmpty())
        val r = assertNotNull(komek.caseInfo(returned))
        assertEquals(CaseStatus.RETURNED, r.status)
        assertEquals(listOf(comment), r.comments)
        assertEquals(setOf(approved, returned), komek.cases().map { it.caseId }.toSet())
        assertNull(komek.caseInfo(UUID.randomUUID()))

        komek.lock()
        assertFailsWith<KomekException.Locked> { komek.cases() }
    }

    @Test
    fun `a bundle carried to the office delivers the form once and its receipt confirms it`() = runBlocking<Unit> {
        val store = enrolled()
        val komek = store
        val id = finalizeOne(store)
        val bundle = komek.exportBundle()
        assertEquals(1, bundle.deviceSeqs.size)
        assertEquals(1L, komek.outboxCounts().pending, "exporting marks nothing sent")

        val receipt = supervisor.importBundle(bundle.bytes)
        assertEquals(1, atRegistry(id))
        val damaged = receipt.copyOf().also { it[it.size - 1] = (it[it.size - 1].toInt() xor 1).toByte() }
        assertFailsWith<KomekException.Integrity> { komek.applyReceipt(damaged) }
        assertEquals(1L, komek.outboxCounts().pending)

        val report = komek.applyReceipt(receipt)
        assertEquals(bundle.bundleId, report.bundleId)
        assertEquals(1L, report.stored)
        assertEquals(0L, komek.outboxCounts().pending)
        // Nothing left for a sync, and the registry still holds one copy.
        assertEquals(0L, komek.sync().stored)
        assertEquals(1, atRegistry(id))
    }

    @Test
    fun `a sync cancelled by its token leaves the form pending and the next one delivers it once`() = runBlocking<Unit> {
        val store = enrolled()
        val id = finalizeOne(store)
        val cancel = SyncCancel()
        val phases = Collections.synchronizedList(mutableListOf<SyncPhase>())
        val listener = object : SyncListener {
            override fun onProgress(progress: SyncProgress) {
                phases.add(progress.phase)
                if (progress.phase == SyncPhase.PUSHING) cancel.cancel()
            }
        }
        val e = assertFailsWith<KomekException.Cancelled> { store.sync(null, listener, cancel) }
        assertEquals("cancelled", e.code())
        assertTrue(cancel.isCancelled())
        assertFalse(SyncPhase.DONE in phases)
        assertEquals(1L, store.outboxCounts().pending)
        assertTrue(store.hasUnsynced(id))
        assertEquals(0, atRegistry(id))

        val report = store.sync()
        assertEquals(1L, report.stored + report.duplicates)
        assertEquals(0L, store.outboxCounts().pending)
        assertEquals(1, atRegistry(id))
        assertEquals(0L, store.sync().stored)
        assertEquals(1, atRegistry(id))
    }

    @Test
    fun `cancelling the coroutine stops the sync, and the next one delivers the form once`() = runBlocking<Unit> {
        val store = enrolled()
        val id = finalizeOne(store)
        val pushing = CompletableDeferred<Unit>()
        val phases = Collections.synchronizedList(mutableListOf<SyncPhase>())
        // Never cancelled by the test: it shows the coroutine's cancellation
        // reaching the sync's token.
        val token = SyncCancel()
        lateinit var job: Job
        val listener = object : SyncListener {
            override fun onProgress(progress: SyncProgress) {
                phases.add(progress.phase)
                if (progress.phase == SyncPhase.PUSHING && pushing.complete(Unit)) {
                    job.cancel()
                    // Hold the sync here until the coroutine has gone away (a
                    // user leaving the screen mid-sync), before the first push.
                    val deadline = System.nanoTime() + 10_000_000_000L
                    while (!token.isCancelled() && System.nanoTime() < deadline) Thread.sleep(5)
                }
            }
        }
        job = launch(Dispatchers.IO, start = CoroutineStart.LAZY) { store.sync(null, listener, token) }
        job.start()
        withTimeout(30_000) { job.join() }
        assertTrue(job.isCancelled)
        assertTrue(token.isCancelled(), "the cancelled coroutine cancelled the sync")
        afterCancelledSyncStopped(store)
        assertFalse(SyncPhase.DONE in phases)
        assertEquals(1L, store.outboxCounts().pending)
        assertEquals(0, atRegistry(id))

        val report = store.sync()
        assertEquals(1L, report.stored + report.duplicates)
        assertEquals(0L, store.outboxCounts().pending)
        assertEquals(1, atRegistry(id))
    }

    @Test
    fun `a rule pack the registry publishes arrives verified and becomes the active pack`() = runBlocking<Unit> {
        val store = enrolled()
        val toml = File("core/packs/kz-default.toml").readText()
            .replace("version = \"kz-2026.1\"", "version = \"kz-2026.5\"")
            .replace("issued = 2026-01-01", "issued = 2026-02-01")
        assertEquals("kz-2026.5", supervisor.publishRules(toml))
        assertEquals("kz-2026.1", store.activeRulePack().info().version)

        val report = store.sync(SyncOptions(today = TODAY), null, null)
        assertEquals(listOf("kz-2026.5"), report.rulePacks)
        assertTrue(report.refusedRulePacks.isEmpty())
        assertEquals("kz-2026.5", report.activatedRulePack?.version)
        assertEquals("kz-2026.5", store.activeRulePack().info().version)
        assertEquals(listOf("kz-2026.5"), store.receivedRulePacks(TODAY).map { it.info().version })
        assertNull(store.activateReceivedRulePack(TODAY), "already active")
    }

    @Test
    fun `a progress listener that throws does not stop the sync`() = runBlocking<Unit> {
        val store = enrolled()
        val id = finalizeOne(store)
        val calls = AtomicInteger()
        val report = store.sync(
            null,
            Fixtures.listener {
                calls.incrementAndGet()
                throw IllegalStateException("the progress view is gone")
            },
            null,
        )
        assertEquals(1L, report.stored)
        // Sealing, pushing (before and after the batch), pulling, done.
        assertEquals(5, calls.get())
        assertEquals(1, atRegistry(id))
    }

    @Test
    fun `a sync to a dead registry is a Network exception and the form waits`() = runBlocking<Unit> {
        val other = TestRegistry.start()
        val store = other.use { enrolled(it, it.supervisor()) }
        finalizeOne(store)
        val e = assertFailsWith<KomekException.Network> {
            store.sync(SyncOptions(maxAttempts = 1, timeoutSecs = 5), null, null)
        }
        assertEquals("network", e.code())
        assertTrue(e.isTransient())
        assertEquals(SyncPolicy.Outcome.RETRY, SyncPolicy.outcomeOf(e))
        assertEquals(1L, store.outboxCounts().pending)
    }

    @Test
    fun `a wrong enrolment code is Refused with the registry's code`() = runBlocking<Unit> {
        val store = Fixtures.openUnlocked().store
        val e = assertFailsWith<KomekException.Refused> { store.enrol(registry.url, "AAAAA-BBBBB", "tablet") }
        assertEquals("bad_enrolment_code", e.code)
        assertTrue(e.httpStatus.toInt() in 400..499)
        assertEquals("refused", e.code())
        assertFalse(e.isTransient())
        assertEquals(SyncPolicy.Outcome.FAILURE, SyncPolicy.outcomeOf(e))
        assertFalse(store.isEnrolled())
        assertFailsWith<KomekException.NotEnrolled> { store.sync() }
    }

    @Test
    fun `background sync publishes its state as a Flow and applies the one retry rule`() = runBlocking<Unit> {
        val states = MutableStateFlow<SyncState>(SyncState.Idle)
        val seen = Collections.synchronizedList(mutableListOf<SyncState>())
        val watcher = launch(Dispatchers.IO) { states.collect { seen.add(it) } }
        val sync = BackgroundSync(states)

        // Not enrolled: a failure that no retry will fix.
        val unenrolled = sync.run(Fixtures.openUnlocked().store)
        assertEquals(SyncPolicy.Outcome.FAILURE, unenrolled.outcome)
        assertEquals(SyncState.Failed("not_enrolled", willRetry = false), states.value)

        // Ten forms waiting: the sync asks to go foreground first, then succeeds.
        val store = enrolled()
        repeat(SyncPolicy.FOREGROUND_PENDING_FORMS.toInt()) { finalizeOne(store) }
        var foreground = -1L
        val done = sync.run(store, goForeground = { foreground = it })
        assertEquals(SyncPolicy.FOREGROUND_PENDING_FORMS, foreground)
        assertNull(done.outcome)
        assertEquals(SyncPolicy.FOREGROUND_PENDING_FORMS, done.report?.stored)
        assertEquals(SyncState.Succeeded(done.report!!), states.value)

        // A dead registry: transient, so the scheduler retries.
        val other = TestRegistry.start()
        val lonely = other.use { enrolled(it, it.supervisor()) }
        finalizeOne(lonely)
        val failed = sync.run(lonely, SyncOptions(maxAttempts = 1, timeoutSecs = 5))
        assertEquals(SyncPolicy.Outcome.RETRY, failed.outcome)
        assertEquals(SyncState.Failed("network", willRetry = true), states.value)
        watcher.cancel()
        assertTrue(seen.any { it is SyncState.Running }, seen.toString())
    }

    @Test
    fun `log lines of a scripted session reach the app's logger and hold no personal data`() = runBlocking<Unit> {
        val lines = Collections.synchronizedList(mutableListOf<LogRecord>())
        installLogger(
            object : Logger {
                override fun log(record: LogRecord) {
                    lines.add(record)
                }
            },
            LogLevel.TRACE,
        )
        try {
            val o = Fixtures.openUnlocked()
            assertFailsWith<KomekException.WrongPin> { o.store.unlock(o.supervisor, "000000") }
            o.store.unlock(o.supervisor, Fixtures.PIN)
            o.store.enrol(registry.url, supervisor.enrolmentCode(), "tablet 7")
            val h = family()
            h.address = "аул Қарабұлақ, көшесі Абай 17"
            h.housing.monthlyRent = Fixtures.tenge(61_283)
            h.incomes = h.incomes.map { it.copy(amount = Fixtures.tenge(93_517)) }
            o.store.saveDraft(h)
            o.store.validate(h, TODAY, ValidationStage.FINALIZE, Lang.RU)
            o.store.precheck(h, TODAY, Lang.KK)
            o.store.finalize(h.id, TODAY)
            o.store.findByIin(h.members[0].iin!!)
            o.store.sync()
            supervisor.returnCase(h.id, "Нет справки о доходах, ${h.members[0].givenName}")
            o.store.sync()
            o.store.caseInfo(h.id)
            o.store.forget(h.id)

            val text = lines.map { "${it.level} ${it.target} ${it.message}" }
            assertTrue(text.any { it.contains("sync done") }, text.toString())
            assertTrue(text.any { it.contains("wrong_pin") }, text.toString())
            val personal = h.members.flatMap { listOfNotNull(it.surname, it.givenName, it.iin) } +
                listOf("Қарабұлақ", "Абай 17", "61283", "6128300", "93517", "9351700", "справки")
            for (line in text) {
                for (p in personal) assertFalse(line.contains(p), "personal data in a log line: $line")
            }
        } finally {
            installLogger(
                object : Logger {
                    override fun log(record: LogRecord) {}
                },
                LogLevel.ERROR,
            )
        }
    }
}
