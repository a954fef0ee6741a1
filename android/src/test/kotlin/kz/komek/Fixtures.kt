package kz.komek

import java.nio.file.Files
import java.time.Instant
import java.time.LocalDate
import java.time.YearMonth
import java.util.UUID
import kz.komek.ffi.Activity
import kz.komek.ffi.Consent
import kz.komek.ffi.ConsentMethod
import kz.komek.ffi.Household
import kz.komek.ffi.Income
import kz.komek.ffi.IncomeKind
import kz.komek.ffi.KomekStore
import kz.komek.ffi.Region
import kz.komek.ffi.Relation
import kz.komek.ffi.Role
import kz.komek.ffi.Sex
import kz.komek.ffi.StoreConfig
import kz.komek.ffi.SyncListener
import kz.komek.ffi.SyncProgress
import kz.komek.ffi.Tenure
import kz.komek.ffi.newHouseholdDraft
import kz.komek.ffi.newMember

/** Shared set-up: a fresh store in a temporary directory, and a family. */
object Fixtures {
    const val PIN = "482916"
    const val SURNAME = "Сейткали"
    val TODAY: LocalDate = LocalDate.of(2026, 2, 10)

    /** Made-up IINs valid by the check-digit algorithm (born 1991-01-05 ♀, 2017, 2020, 2023). */
    val IINS = listOf("910105401005", "170105501015", "200105601020", "230105501039")

    class Opened(val store: KomekStore, val vault: TestVault, val supervisor: UUID)

    suspend fun openUnlocked(): Opened {
        val vault = TestVault()
        val dir = Files.createTempDirectory("komek-kt")
        val store = KomekStore.open(dir.resolve("komek.db").toString(), vault, StoreConfig())
        val id = store.addStaff(Role.SUPERVISOR, "Supervisor", PIN)
        store.unlock(id, PIN)
        return Opened(store, vault, id)
    }

    /**
     * A mother earning 90,000 tenge a month (Q4 2025) with three children aged 8,
     * 5 and 2, renting in Aktobe: TSA likely eligible on 2026-02-10, margin
     * 14,560 tenge (22,500 per person against the 37,060 line).
     */
    fun family(): Household {
        val h = newHouseholdDraft(Region.AKTOBE)
        h.consents = listOf(
            Consent(
                id = UUID.randomUUID(),
                recordedAt = Instant.parse("2026-02-10T08:00:00Z"),
                method = ConsentMethod.SIGNED_PAPER,
                operator = "Aktobe department of employment and social programmes",
                purpose = "targeted social assistance",
                validUntil = LocalDate.of(2027, 2, 10),
                dataCategories = listOf("identity", "income"),
                transferToRegistry = true,
            ),
        )
        h.housing.tenure = Tenure.RENT
        h.housing.monthlyRent = tenge(60_000)
        val people = listOf(
            Triple(Relation.HEAD, 1991, Sex.FEMALE),
            Triple(Relation.CHILD, 2017, Sex.MALE),
            Triple(Relation.CHILD, 2020, Sex.FEMALE),
            Triple(Relation.CHILD, 2023, Sex.MALE),
        )
        // Each member is added before the next is made: newMember derives
        // the id from the household as it is.
        people.forEachIndexed { i, (relation, year, sex) ->
            h.members += newMember(h, SURNAME, "Name$i", relation).apply {
                birthDate = LocalDate.of(year, 1, 5)
                this.sex = sex
                iin = IINS[i]
                if (relation == Relation.HEAD) activity = Activity.EMPLOYED
            }
        }
        val head = h.members[0].id
        h.incomes = (10..12).map { m ->
            Income(UUID.randomUUID(), head, IncomeKind.WAGES, tenge(90_000), YearMonth.of(2025, m))
        }
        return h
    }

    fun tenge(t: Long): Long = t * 100

    /** A progress listener from a lambda. */
    fun listener(f: (SyncProgress) -> Unit): SyncListener = object : SyncListener {
        override fun onProgress(progress: SyncProgress) = f(progress)
    }
}
