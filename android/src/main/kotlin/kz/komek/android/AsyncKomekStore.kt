package kz.komek.android

import java.time.LocalDate
import java.util.UUID
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import kz.komek.ffi.CaseInfo
import kz.komek.ffi.Enrolment
import kz.komek.ffi.Household
import kz.komek.ffi.HouseholdSummary
import kz.komek.ffi.KomekStore
import kz.komek.ffi.Lang
import kz.komek.ffi.OfflineBundle
import kz.komek.ffi.OutboxCounts
import kz.komek.ffi.Precheck
import kz.komek.ffi.Problem
import kz.komek.ffi.ReceiptReport
import kz.komek.ffi.Role
import kz.komek.ffi.RulePackInfo
import kz.komek.ffi.StaffMember
import kz.komek.ffi.SyncCancel
import kz.komek.ffi.SyncListener
import kz.komek.ffi.SyncOptions
import kz.komek.ffi.SyncProgress
import kz.komek.ffi.SyncReport
import kz.komek.ffi.ValidationStage

/**
 * [KomekStore] as suspend functions, for coroutines and ViewModels.
 *
 * Why it exists: every store call is blocking (SQLite with fsync, PBKDF2 for a
 * PIN, a Keystore round trip), and the generated bindings are plain blocking
 * functions. Calling them on the main thread freezes the UI, so each one here
 * hops to [io] (`Dispatchers.IO` by default). Errors are the generated
 * `KomekException` subclasses, unchanged. No Android imports: the desktop
 * Kotlin tests compile and run this file.
 *
 * `enrol` and `sync` are suspend functions of the generated `KomekStore`
 * already (the Rust side runs them on its own threads, never on the caller's),
 * so they are forwarded without a dispatcher hop; `sync` takes a plain lambda
 * for progress. Cancelling the calling coroutine cancels the sync: what the
 * registry acknowledged stays acknowledged, the rest goes next time.
 */
class AsyncKomekStore(
    val store: KomekStore,
    private val io: CoroutineDispatcher = Dispatchers.IO,
) {
    suspend fun addStaff(role: Role, displayName: String, pin: String): UUID =
        withContext(io) { store.addStaff(role, displayName, pin) }

    suspend fun staff(): List<StaffMember> = withContext(io) { store.staff() }

    suspend fun unlock(staffId: UUID, pin: String) = withContext(io) { store.unlock(staffId, pin) }

    /** Locking is quick and never fails: callable from any thread. */
    fun lock() = store.lock()

    suspend fun saveDraft(household: Household) = withContext(io) { store.saveDraft(household) }

    suspend fun load(id: UUID): Household = withContext(io) { store.load(id) }

    suspend fun list(): List<HouseholdSummary> = withContext(io) { store.list() }

    suspend fun findByIin(iin: String): List<UUID> = withContext(io) { store.findByIin(iin) }

    suspend fun validate(
        household: Household,
        today: LocalDate,
        stage: ValidationStage,
        lang: Lang,
    ): List<Problem> = withContext(io) { store.validate(household, today, stage, lang) }

    suspend fun precheck(household: Household, date: LocalDate, lang: Lang): Precheck =
        withContext(io) { store.precheck(household, date, lang) }

    suspend fun finalize(id: UUID, today: LocalDate): Household =
        withContext(io) { store.finalize(id, today) }

    suspend fun startCorrection(id: UUID): Household = withContext(io) { store.startCorrection(id) }

    suspend fun forget(id: UUID) = withContext(io) { store.forget(id) }

    suspend fun outboxCounts(): OutboxCounts = withContext(io) { store.outboxCounts() }

    // ---- enrolment and sync --------------------------------------------------

    /**
     * Enrol with a supervisor's one-time [code] (needs an unlocked supervisor).
     * For an https registry pass the office's [tlsPin] (`sha256/…`); without it
     * the first certificate seen is trusted. Throws `KomekException.Untrusted`
     * when the certificate matches no pin.
     */
    suspend fun enrol(registryUrl: String, code: String, label: String, tlsPin: String? = null): Enrolment =
        store.enrol(registryUrl, code, label, tlsPin)

    suspend fun enrolment(): Enrolment? = withContext(io) { store.enrolment() }

    suspend fun isEnrolled(): Boolean = withContext(io) { store.isEnrolled() }

    /**
     * Push every finalized form, then pull decisions, comments and rule packs.
     * [onProgress] is called on a background thread (post to the UI yourself).
     * Throws `KomekException.Network` (retry later), `Refused`, `NotEnrolled`,
     * `Cancelled`, `Protocol`, `Untrusted` (certificate matches no pin).
     */
    suspend fun sync(
        options: SyncOptions? = null,
        cancel: SyncCancel? = null,
        onProgress: ((SyncProgress) -> Unit)? = null,
    ): SyncReport {
        val listener = onProgress?.let { f ->
            object : SyncListener {
                override fun onProgress(progress: SyncProgress) = f(progress)
            }
        }
        return store.sync(options, listener, cancel)
    }

    /**
     * Where no signal comes: every pending form, sealed and signed, as the
     * bytes of a bundle file to carry to the district office. Nothing is
     * marked sent; [applyReceipt] (or a later sync) does that.
     */
    suspend fun exportBundle(): OfflineBundle = store.exportBundle()

    /**
     * Apply the registry's receipt for a bundle: its forms become delivered
     * (or refused). A receipt that does not verify throws
     * `KomekException.Integrity` and changes nothing.
     */
    suspend fun applyReceipt(receipt: ByteArray): ReceiptReport = store.applyReceipt(receipt)

    /** The registry's decisions and comments (needs an unlocked staff member). */
    suspend fun cases(): List<CaseInfo> = withContext(io) { store.cases() }

    suspend fun caseInfo(id: UUID): CaseInfo? = withContext(io) { store.caseInfo(id) }

    /** After `KomekStore.open`: use the newest rule pack sync received that is in force on [today]. */
    suspend fun activateReceivedRulePack(today: LocalDate): RulePackInfo? =
        withContext(io) { store.activateReceivedRulePack(today) }
}
