package kz.komek

import kotlinx.coroutines.runBlocking
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotEquals
import kotlin.test.assertNotNull
import kotlin.test.assertTrue
import kz.komek.Fixtures.IINS
import kz.komek.Fixtures.SURNAME
import kz.komek.Fixtures.TODAY
import kz.komek.Fixtures.family
import kz.komek.Fixtures.tenge
import kz.komek.ffi.FormStatus
import kz.komek.ffi.KomekException
import kz.komek.ffi.Lang
import kz.komek.ffi.Outcome
import kz.komek.ffi.ProblemKey
import kz.komek.ffi.ProgrammeId
import kz.komek.ffi.Severity
import kz.komek.ffi.Relation
import kz.komek.ffi.ValidationStage
import kz.komek.ffi.Absence
import kz.komek.ffi.RefusalReason
import kz.komek.ffi.StatedAge
import kz.komek.ffi.TsaRefusal
import kz.komek.ffi.newMember
import kz.komek.ffi.newRecordId
import org.junit.jupiter.api.Test

class FormTest {
    @Test
    fun `a form with a bad IIN is refused, explained in three languages, and saved once fixed`() = runBlocking<Unit> {
        val o = Fixtures.openUnlocked()
        val h = family()
        h.members[0].iin = IINS[0].dropLast(1) + "9"

        val refused = assertFailsWith<KomekException.InvalidForm> { o.store.saveDraft(h) }
        assertTrue(refused.reason.contains("members[0].iin problem-iin-check-digit"), refused.reason)
        assertFalse(refused.reason.contains(h.members[0].iin!!), "no IIN in errors")
        assertFalse(refused.reason.contains(SURNAME), "no name in errors")

        val messages = listOf(Lang.KK, Lang.RU, Lang.EN).map { lang ->
            val p = o.store.validate(h, TODAY, ValidationStage.DRAFT, lang).single { it.path == "members[0].iin" }
            assertEquals(ProblemKey.IIN_CHECK_DIGIT, p.key)
            assertEquals(Severity.ERROR, p.severity)
            assertEquals("problem-iin-check-digit", p.messageId)
            p.message
        }
        assertTrue(messages[2].contains("IIN"), messages[2])
        assertEquals(3, messages.toSet().size, "each language has its own text")

        h.members[0].iin = IINS[0]
        val left = o.store.validate(h, TODAY, ValidationStage.FINALIZE, Lang.EN)
        assertTrue(left.none { it.severity == Severity.ERROR }, left.toString())
        o.store.saveDraft(h)
        val loaded = o.store.load(h.id)
        assertEquals(h.members, loaded.members)
        assertEquals(h.incomes, loaded.incomes)
        assertEquals(FormStatus.DRAFT, loaded.status)
    }

    @Test
    fun `the pre-check report in kk, ru and en has the same numbers`() = runBlocking<Unit> {
        val o = Fixtures.openUnlocked()
        val texts = listOf(Lang.KK, Lang.RU, Lang.EN).map { lang ->
            val pc = o.store.precheck(family(), TODAY, lang)
            val tsa = pc.report.programmes.single { it.programme == ProgrammeId.TARGETED_SOCIAL_ASSISTANCE }
            assertEquals(Outcome.LikelyEligible, tsa.outcome)
            assertEquals(tenge(14_560), tsa.margin)
            // (37,060 − 22,500) × 4 = 58,240, plus 2 × 1.5 MRP (12,975) for children aged 1-6.
            assertEquals(tenge(58_240 + 12_975), tsa.amount?.value)
            assertTrue(tsa.steps.isNotEmpty() && tsa.steps.all { it.text.isNotBlank() && it.text != it.id })
            assertEquals("report-pre-check-not-decision", pc.report.notice.id)
            assertTrue(pc.text.contains(tsa.programmeName))
            assertFalse(pc.text.contains(SURNAME))
            pc.text
        }
        assertTrue(texts[0].contains("Ақтөбе"), texts[0].take(300))
        assertTrue(texts[1].contains("Актюбинская область"), texts[1].take(300))
        assertTrue(texts[2].contains("Aktobe"), texts[2].take(300))
        assertEquals(3, texts.toSet().size)
    }

    @Test
    fun `finalize, list, find by IIN, correct and forget`() = runBlocking<Unit> {
        val o = Fixtures.openUnlocked()
        val h = family()
        o.store.saveDraft(h)
        val final = o.store.finalize(h.id, TODAY)
        assertEquals(FormStatus.FINAL, final.status)
        assertNotNull(final.finalizedAt)
        assertEquals(1L, o.store.outboxCounts().pending)
        assertTrue(o.store.hasUnsynced(h.id))
        assertFailsWith<KomekException> { o.store.saveDraft(final) }

        assertEquals(listOf(h.id), o.store.findByIin(IINS[2]))
        assertEquals(emptyList(), o.store.findByIin("880101300011"))

        val correction = o.store.startCorrection(h.id)
        assertEquals(2u, correction.version)
        assertEquals(1u, correction.replaces)
        val summary = o.store.list().single()
        assertEquals(h.id, summary.id)
        assertEquals(2u, summary.version)
        assertEquals(FormStatus.DRAFT, summary.status)

        val other = family()
        o.store.saveDraft(other)
        val aliasesBefore = o.vault.aliases()
        o.store.forget(h.id)
        assertFailsWith<KomekException.NotFound> { o.store.load(h.id) }
        assertEquals(listOf(other.id), o.store.list().map { it.id })
        // Forgetting rotated the data key and destroyed the old vault key.
        assertTrue(o.vault.destroyed.any { it in aliasesBefore }, o.vault.destroyed.toString())
        assertNotEquals(aliasesBefore, o.vault.aliases())
        assertEquals(other.members, o.store.load(other.id).members)
    }

    @Test
    fun `record ids derived from the household are stable, move on, and survive the store`() = runBlocking<Unit> {
        val o = Fixtures.openUnlocked()
        val h = family()
        val id = newRecordId(h)
        assertEquals(id, newRecordId(h), "the same form gives the same next id")
        h.members = h.members + newMember(h, SURNAME, "Aruzhan", Relation.CHILD).apply {
            assertEquals(id, this.id, "newMember takes the next derived id")
            birthDate = java.time.LocalDate.of(2024, 3, 1)
            sex = kz.komek.ffi.Sex.FEMALE
        }
        val next = newRecordId(h)
        assertNotEquals(id, next, "an id in use is never handed out again")
        assertTrue(h.members.none { it.id == next } && h.incomes.none { it.id == next })
        o.store.saveDraft(h)
        assertEquals(id, o.store.load(h.id).members.last().id)
    }

    @Test
    fun `what the law needs to count the family is saved and loaded, and checked`() = runBlocking<Unit> {
        val o = Fixtures.openUnlocked()
        val h = family()
        val mother = h.members[0].id
        h.members[1].mother = mother
        h.members[2].mother = mother
        h.members[0].childrenElsewhere = 1u
        h.members[3].birthDate = null
        h.members[3].statedAge = StatedAge(years = 3u, on = java.time.LocalDate.of(2026, 2, 1))
        h.members[1].absence = Absence.STATE_CARE
        h.previousTsaRefusal = TsaRefusal(java.time.LocalDate.of(2025, 12, 1), RefusalReason.BROKEN_SOCIAL_CONTRACT)
        h.cardSpendingMonthly = tenge(55_000)
        o.store.saveDraft(h)
        val loaded = o.store.load(h.id)
        assertEquals(h.members, loaded.members, "no field of a member is lost on the way")
        assertEquals(h.previousTsaRefusal, loaded.previousTsaRefusal)
        assertEquals(h.cardSpendingMonthly, loaded.cardSpendingMonthly)

        // A child named as its own mother is refused, naming the field.
        h.members[2].mother = h.members[2].id
        val refused = assertFailsWith<KomekException.InvalidForm> { o.store.saveDraft(h) }
        assertTrue(refused.reason.contains("members[2].mother problem-mother-is-self"), refused.reason)
    }
}
