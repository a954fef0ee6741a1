package kz.komek

import kotlinx.coroutines.runBlocking
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotNull
import kotlin.test.assertTrue
import java.time.LocalDate
import java.util.UUID
import kz.komek.Fixtures.SURNAME
import kz.komek.Fixtures.TODAY
import kz.komek.Fixtures.family
import kz.komek.ffi.Activity
import kz.komek.ffi.Check
import kz.komek.ffi.ExitReason
import kz.komek.ffi.ExitRecord
import kz.komek.ffi.FollowUpRecord
import kz.komek.ffi.KomekException
import kz.komek.ffi.LabelKind
import kz.komek.ffi.Lang
import kz.komek.ffi.MeasureKind
import kz.komek.ffi.RecordKind
import kz.komek.ffi.Relation
import kz.komek.ffi.Sex
import kz.komek.ffi.Signature
import kz.komek.ffi.SignatureMethod
import kz.komek.ffi.Visit
import kz.komek.ffi.VisitReasonKind
import kz.komek.ffi.label
import kz.komek.ffi.newMember
import kz.komek.ffi.newRecordHead
import org.junit.jupiter.api.Test

class FollowUpTest {
    @Test
    fun `a plan proposed from the pre-check is signed, a visit recorded, and the village's visit list explains who to see`() = runBlocking<Unit> {
        val o = Fixtures.openUnlocked()
        val h = family()
        h.location.settlement = "Кос-Истек"
        // An unemployed father: two able-bodied adults, so TSA is conditional.
        h.members += newMember(h, SURNAME, "Father", Relation.SPOUSE).apply {
            birthDate = LocalDate.of(1989, 3, 1)
            sex = Sex.MALE
            activity = Activity.UNEMPLOYED
        }
        val father = h.members.last().id
        o.store.saveDraft(h)

        val plan = assertNotNull(o.store.proposePlan(h.id, TODAY, "Career centre"))
        assertTrue(plan.measures.any { it.kind == MeasureKind.JOB_SEARCH && it.member == father })
        plan.signature = Signature(SignatureMethod.PAPER, TODAY, null)
        o.store.saveRecord(FollowUpRecord.Plan(plan))
        val signed = o.store.finalizeRecord(RecordKind.PLAN, plan.head.id)
        assertTrue(signed is FollowUpRecord.Plan)

        // A visit that names a stranger is refused by field, without values.
        val visit = Visit(
            head = newRecordHead(h.id),
            on = TODAY,
            seen = listOf(UUID.randomUUID()),
            checked = listOf(Check.PLAN_MEASURES),
            progress = emptyList(),
            documentsCollected = emptyList(),
            newCircumstances = "the father looks for work in the district centre",
            nextVisit = TODAY.plusDays(30),
        )
        val refused = assertFailsWith<KomekException.InvalidForm> {
            o.store.saveRecord(FollowUpRecord.Visit(visit))
        }
        assertTrue(refused.reason.contains("seen[0]: unknown_member"), refused.reason)
        assertTrue(!refused.reason.contains("district centre"), "no content in errors")
        visit.seen = listOf(father)
        o.store.saveRecord(FollowUpRecord.Visit(visit))
        o.store.finalizeRecord(RecordKind.VISIT, visit.head.id)

        val file = o.store.followUpOf(h.id)
        assertEquals(1, file.plans.size)
        assertEquals(1, file.visits.size)

        // Two months on: the job search is overdue, and the next visit due.
        val list = o.store.visitList("кос-истек", TODAY.plusDays(60))
        assertEquals(listOf(h.id), list.map { it.householdId })
        val kinds = list.single().reasons.map { it.kind }
        assertEquals(VisitReasonKind.MEASURE_OVERDUE, kinds.first())
        assertTrue(VisitReasonKind.NEXT_VISIT_DUE in kinds, kinds.toString())
        assertEquals("A plan measure is overdue", label(LabelKind.VISIT_REASON, "measure_overdue", Lang.EN))
        assertNotNull(label(LabelKind.MEASURE, "job_search", Lang.KK))

        // The family leaves assistance: recorded, and the old plan closes.
        val exit = ExitRecord(newRecordHead(h.id), LocalDate.now().plusDays(2), ExitReason.EMPLOYMENT, null)
        assertFailsWith<KomekException.InvalidForm> { o.store.saveRecord(FollowUpRecord.Exit(exit)) }
        exit.on = TODAY
        o.store.saveRecord(FollowUpRecord.Exit(exit))
        o.store.finalizeRecord(RecordKind.EXIT, exit.head.id)
        assertEquals(1, o.store.followUpOf(h.id).exits.size)
    }
}
