package kz.komek.android

import java.time.LocalDate
import java.util.UUID
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import kz.komek.ffi.Household
import kz.komek.ffi.HouseholdSummary
import kz.komek.ffi.KomekStore
import kz.komek.ffi.Lang
import kz.komek.ffi.OutboxCounts
import kz.komek.ffi.Precheck
import kz.komek.ffi.Problem
import kz.komek.ffi.Role
import kz.komek.ffi.StaffMember
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
 * The async `sync()` of issue 4 will be a suspend function of the generated
 * `KomekStore` itself; it will be added here when it exists.
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
}
