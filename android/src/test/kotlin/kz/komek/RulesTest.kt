package kz.komek

import kotlinx.coroutines.runBlocking
import java.io.File
import java.security.KeyPairGenerator
import java.security.MessageDigest
import java.security.Signature
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import kz.komek.Fixtures.TODAY
import kz.komek.Fixtures.family
import kz.komek.Fixtures.tenge
import kz.komek.ffi.Activity
import kz.komek.ffi.IncomeKind
import kz.komek.ffi.KomekException
import kz.komek.ffi.Lang
import kz.komek.ffi.Outcome
import kz.komek.ffi.ProgrammeId
import kz.komek.ffi.Region
import kz.komek.ffi.Relation
import kz.komek.ffi.RulePack
import kz.komek.ffi.SelfCheckIncome
import kz.komek.ffi.SelfCheckInput
import kz.komek.ffi.SelfCheckMember
import kz.komek.ffi.Sex
import kz.komek.ffi.Tenure
import kz.komek.ffi.selfCheck
import org.junit.jupiter.api.Test

class RulesTest {
    private fun input() = SelfCheckInput(
        region = Region.AKTOBE,
        tenure = Tenure.RENT,
        monthlyRent = tenge(60_000),
        members = listOf(
            SelfCheckMember(
                relation = Relation.HEAD, age = 34u, sex = Sex.FEMALE, activity = Activity.EMPLOYED,
                incomes = listOf(SelfCheckIncome(IncomeKind.WAGES, tenge(90_000))),
            ),
            SelfCheckMember(relation = Relation.CHILD, age = 8u),
            SelfCheckMember(relation = Relation.CHILD, age = 5u),
            SelfCheckMember(relation = Relation.CHILD, age = 2u),
        ),
    )

    @Test
    fun `self-check without a store gives the field numbers and names missing answers`() = runBlocking<Unit> {
        val pc = selfCheck(input(), TODAY, Lang.KK)
        val tsa = pc.report.programmes.first()
        assertEquals(ProgrammeId.TARGETED_SOCIAL_ASSISTANCE, tsa.programme)
        assertEquals(Outcome.LikelyEligible, tsa.outcome)
        assertEquals(tenge(14_560), tsa.margin)
        assertTrue(pc.text.contains("Ақтөбе облысы"))

        val partial = input().apply {
            region = null
            members = members.mapIndexed { i, m -> if (i == 1) m.copy(age = null) else m }
        }
        val missing = selfCheck(partial, TODAY, Lang.EN).report.programmes.first().outcome
        assertEquals(Outcome.MissingInformation(listOf("region", "members[1].age")), missing)
    }

    /** The default pack re-issued with Aktobe's line raised to 40,000 tenge, signed with a JDK Ed25519 key. */
    private fun signedRaisedPack(): Triple<ByteArray, ByteArray, ByteArray> {
        val toml = File("core/packs/kz-default.toml").readText()
            .replaceFirst("amount = 37060", "amount = 40000")
            .replace("version = \"kz-2026.1\"", "version = \"kz-2026.2\"")
            .replace("issued = 2026-01-01", "issued = 2026-02-01")
            .toByteArray()
        val keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair()
        val raw = keys.public.encoded.takeLast(32).toByteArray() // X.509 prefix + 32-byte key
        val signer = Signature.getInstance("Ed25519")
        signer.initSign(keys.private)
        signer.update("komek-rule-pack-v1\u0000".toByteArray())
        signer.update(toml)
        val keyId = MessageDigest.getInstance("SHA-256").digest(raw).copyOf(8)
        return Triple(toml, keyId + signer.sign(), raw)
    }

    @Test
    fun `a pack signed in Kotlin is verified in Rust, activated, and re-screens the stored families`() = runBlocking<Unit> {
        val (toml, signature, publicKey) = signedRaisedPack()
        val refused = assertFailsWith<KomekException.RulePack> {
            RulePack.verified(toml, signature, emptyList(), TODAY)
        }
        assertTrue(refused.reason.contains("does not trust"), refused.reason)
        val tampered = toml.copyOf().also { it[10] = (it[10].toInt() xor 1).toByte() }
        assertFailsWith<KomekException.RulePack> { RulePack.verified(tampered, signature, listOf(publicKey), TODAY) }

        val new = RulePack.verified(toml, signature, listOf(publicKey), TODAY)
        assertEquals("kz-2026.2", new.info().version)
        val old = RulePack.embedded()

        val o = Fixtures.openUnlocked()
        val h = family()
        o.store.saveDraft(h)
        val r = o.store.rescreen(old, new, TODAY)
        assertEquals(1L, r.screened)
        val hit = r.hits.single()
        assertEquals(h.id, hit.householdId)
        val change = hit.changes.single { it.programme == ProgrammeId.TARGETED_SOCIAL_ASSISTANCE }
        // (40,000 − 22,500) × 4 = 70,000 plus the child supplement 12,975.
        assertEquals(tenge(70_000 + 12_975), change.amountAfter?.value)
        assertEquals(tenge(17_500), hit.tsaMargin)

        o.store.activateRulePack(new)
        assertEquals("kz-2026.2", o.store.precheck(h, TODAY, Lang.RU).report.packVersion)
        assertFailsWith<KomekException.RulePack> { o.store.activateRulePack(old) }
    }
}
