package kz.komek

import kotlinx.coroutines.runBlocking
import java.nio.file.Files
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kz.komek.Fixtures.PIN
import kz.komek.ffi.KomekException
import kz.komek.ffi.KomekStore
import kz.komek.ffi.Role
import kz.komek.ffi.StoreConfig
import org.junit.jupiter.api.Test

class StaffTest {
    @Test
    fun `open, add staff, unlock, and a wrong PIN is a typed exception`() = runBlocking<Unit> {
        val dir = Files.createTempDirectory("komek-kt")
        KomekStore.open(dir.resolve("komek.db").toString(), TestVault(), StoreConfig()).use { store ->
            // The first staff member of a device must be a supervisor.
            assertFailsWith<KomekException.NotSupervisor> { store.addStaff(Role.FIELD, "Field", PIN) }
            val sup = store.addStaff(Role.SUPERVISOR, "Supervisor", PIN)
            assertFailsWith<KomekException.Locked> { store.list() }

            val wrong = assertFailsWith<KomekException.WrongPin> { store.unlock(sup, "000000") }
            assertEquals(9, wrong.remainingAttempts)
            assertEquals("wrong_pin", wrong.code())
            assertTrue(wrong.reason.contains("wrong PIN"), wrong.reason)

            store.unlock(sup, PIN)
            assertEquals(sup, store.currentStaff())
            val field = store.addStaff(Role.FIELD, "Ерлан", "7319")
            val staff = store.staff()
            assertEquals(setOf(sup, field), staff.map { it.id }.toSet())
            assertEquals("Ерлан", staff.single { it.id == field }.displayName)
            assertFailsWith<KomekException.BadPin> { store.addStaff(Role.FIELD, "X", "12ab") }

            store.lock()
            assertNull(store.currentStaff())
            store.unlock(field, "7319")
            assertFailsWith<KomekException.NotSupervisor> { store.addStaff(Role.FIELD, "Y", "1111") }
        }
    }

    @Test
    fun `the store reopens with its vault and refuses a vault without its keys`() = runBlocking<Unit> {
        val dir = Files.createTempDirectory("komek-kt")
        val path = dir.resolve("komek.db").toString()
        val vault = TestVault()
        val sup = KomekStore.open(path, vault, StoreConfig()).use { it.addStaff(Role.SUPERVISOR, "S", PIN) }
        KomekStore.open(path, vault, StoreConfig()).use { it.unlock(sup, PIN) }
        val e = assertFailsWith<KomekException.NotFound> { KomekStore.open(path, TestVault(), StoreConfig()) }
        assertEquals("not_found", e.code())
    }
}
