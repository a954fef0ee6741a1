package kz.komek

import kotlinx.coroutines.runBlocking
import java.nio.file.Files
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import kz.komek.Fixtures.PIN
import kz.komek.Fixtures.family
import kz.komek.ffi.KomekException
import kz.komek.ffi.KomekStore
import kz.komek.ffi.Role
import kz.komek.ffi.StoreConfig
import kz.komek.ffi.Vehicle
import kz.komek.ffi.VehicleKind
import org.junit.jupiter.api.Test

/** How core failures reach Kotlin: one exception class per stable code, no personal data. */
class ErrorsTest {
    @Test
    fun `a number too wide for the core is InvalidInput naming the field, not the value`() = runBlocking<Unit> {
        val o = Fixtures.openUnlocked()
        val h = family()
        h.assets.vehicles = listOf(Vehicle(VehicleKind.CAR, 70_000u))
        val e = assertFailsWith<KomekException.InvalidInput> { o.store.saveDraft(h) }
        assertEquals("invalid_input", e.code())
        assertTrue(e.reason.contains("assets.vehicles[0].year_made"), e.reason)
        assertFalse(e.reason.contains("70000"), e.reason)
    }

    @Test
    fun `the idle timeout of the config locks the store`() = runBlocking<Unit> {
        val dir = Files.createTempDirectory("komek-kt")
        KomekStore.open(dir.resolve("komek.db").toString(), TestVault(), StoreConfig(idleTimeoutSecs = 0)).use { store ->
            val id = store.addStaff(Role.SUPERVISOR, "S", PIN)
            store.unlock(id, PIN)
            Thread.sleep(5)
            val e = assertFailsWith<KomekException.Locked> { store.list() }
            assertEquals("locked", e.code())
        }
    }

    @Test
    fun `missing households and finalized versions have their own codes`() = runBlocking<Unit> {
        val o = Fixtures.openUnlocked()
        assertFailsWith<KomekException.NotFound> { o.store.load(java.util.UUID.randomUUID()) }
        val h = family()
        o.store.saveDraft(h)
        assertFailsWith<KomekException.WrongState> { o.store.startCorrection(h.id) }
    }
}
