package kz.komek

import kotlinx.coroutines.runBlocking
import kz.komek.ffi.LabelKind
import kz.komek.ffi.Lang
import kz.komek.ffi.label
import kz.komek.ffi.Region
import kz.komek.ffi.komekVersion
import kz.komek.ffi.regionName
import kz.komek.ffi.regions
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test

class ReferenceDataTest {
    @Test
    fun `regions carry their KATO codes`() = runBlocking<Unit> {
        val all = regions()
        assertEquals(20, all.size)
        val aktobe = all.single { it.code == "aktobe" }
        assertEquals("150000000", aktobe.kato)
        assertTrue(all.all { it.kato.length == 9 })
    }

    @Test
    fun `the library reports its version`() = runBlocking<Unit> {
        assertTrue(komekVersion().matches(Regex("""\d+\.\d+\.\d+""")))
    }

    @Test
    fun `regions have names in the three languages`() = runBlocking<Unit> {
        assertEquals(Region.AKTOBE, regions().single { it.code == "aktobe" }.region)
        assertEquals("Ақтөбе облысы", regionName(Region.AKTOBE, Lang.KK))
        assertEquals("Актюбинская область", regionName(Region.AKTOBE, Lang.RU))
        assertEquals("Aktobe region", regionName(Region.AKTOBE, Lang.EN))
    }

    @Test
    fun `coded values have labels in the three languages`() = runBlocking<Unit> {
        assertEquals("Alimony", label(LabelKind.INCOME, "alimony", Lang.EN))
        assertEquals("Алименты", label(LabelKind.INCOME, "alimony", Lang.RU))
        assertEquals("Алимент", label(LabelKind.INCOME, "alimony", Lang.KK))
        assertEquals("Needs review by a specialist", label(LabelKind.OUTCOME, "needs_review", Lang.EN))
        assertEquals(null, label(LabelKind.PROGRAMME, "not_a_programme", Lang.EN))
    }
}
