//! Exhaustive round trips (proptest over every field of the model) and
//! strict decoding (no input panics; damage is an error).

use super::*;
use crate::model::{
    record_id, Absence, Activity, ConsentMethod, Disability, DocumentKind, DocumentStatus,
    Education, ExpenseCategory, FormStatus, IncomeKind, LandUse, LivestockSpecies, LoanPurpose,
    MotherAward, RefusalReason, Region, Relation, ResidencyStatus, StatedAge, SupportMeasure,
    Tenure, Tiyn, TsaRefusal, VehicleKind,
};
use chrono::{DateTime, Utc};
use proptest::prelude::*;
use proptest::sample::select;

fn uuid() -> impl Strategy<Value = Uuid> {
    any::<u128>().prop_map(Uuid::from_u128)
}

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    prop_oneof![
        // Around now, as forms are.
        (1_700_000_000i64..1_900_000_000, 0u32..1_000_000_000),
        // Anything chrono can hold.
        (
            -8_000_000_000_000i64..8_000_000_000_000,
            0u32..1_000_000_000
        ),
        (1_700_000_000i64..1_900_000_000, Just(0u32)),
    ]
    .prop_filter_map("a valid instant", |(s, n)| DateTime::from_timestamp(s, n))
}

fn later(base: DateTime<Utc>) -> impl Strategy<Value = DateTime<Utc>> {
    prop_oneof![
        Just(base),
        (0i64..10_000_000_000_000).prop_map(move |d| base + chrono::Duration::nanoseconds(d)),
        instant(),
    ]
}

fn date() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![(690_000i32..740_000), (-250_000_000i32..250_000_000),]
        .prop_filter_map("a valid date", NaiveDate::from_num_days_from_ce_opt)
}

fn month() -> impl Strategy<Value = YearMonth> {
    (-200_000i32..200_000, 1u8..=12).prop_filter_map("a month", |(y, m)| YearMonth::new(y, m))
}

fn tiyn() -> impl Strategy<Value = Tiyn> {
    prop_oneof![
        any::<i64>(),
        (-100_000_000i64..100_000_000).prop_map(|t| t * 100),
        Just(i64::MIN),
        Just(i64::MAX),
        Just(0),
    ]
    .prop_map(Tiyn)
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![".{0,12}", "[0-9]{0,14}", Just(String::new())]
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(text())
}

macro_rules! all {
    ($t:ident: $($v:ident),+ $(,)?) => { select(vec![$($t::$v),+]) };
}

fn consent() -> impl Strategy<Value = Consent> {
    (
        uuid(),
        instant(),
        all!(ConsentMethod: SignedPaper, DigitalSignature, OralWithWitness),
        (text(), text(), date()),
        proptest::collection::vec(text(), 0..4),
        any::<bool>(),
        proptest::option::of(instant()),
    )
        .prop_map(
            |(id, recorded_at, method, (operator, purpose, valid_until), cats, t, w)| Consent {
                id,
                recorded_at,
                method,
                operator,
                purpose,
                valid_until,
                data_categories: cats,
                transfer_to_registry: t,
                withdrawn_at: w,
            },
        )
}

fn member() -> impl Strategy<Value = Member> {
    (
        (uuid(), opt_text(), text(), text(), opt_text()),
        (
            proptest::option::of(date()),
            proptest::option::of(all!(Sex: Male, Female)),
            all!(Relation: Head, Spouse, Child, Stepchild, Grandchild, Parent, Grandparent,
                Sibling, OtherRelative, NotRelated),
            all!(ResidencyStatus: Citizen, Kandas, Refugee, Foreigner, Stateless),
            all!(Disability: None, GroupI, GroupII, GroupIII, Child),
        ),
        (
            any::<[bool; 4]>(),
            proptest::option::of(
                all!(Activity: Employed, SelfEmployed, Unemployed, Homemaker,
                Pensioner, StudentFullTime, Child, Carer),
            ),
            proptest::collection::vec(uuid(), 0..3),
            proptest::option::of(all!(Education: None, Primary, Secondary, Vocational, Higher)),
            proptest::option::of(all!(MotherAward: KumisAlqa, AltynAlqa, MotherHeroine,
                MaternalGloryI, MaternalGloryII)),
            proptest::option::of(
                (0u32..120, date()).prop_map(|(years, on)| StatedAge { years, on }),
            ),
            proptest::option::of(all!(Absence: Abroad, MilitaryService, Prison, StateCare)),
            proptest::option::of(uuid()),
            proptest::option::of(0u32..20),
        ),
    )
        .prop_map(
            |(
                (id, iin, surname, given_name, patronymic),
                (birth_date, sex, relation, status, disability),
                (
                    b,
                    activity,
                    cares_for,
                    education,
                    mother_award,
                    stated_age,
                    absence,
                    mother,
                    children_elsewhere,
                ),
            )| Member {
                id,
                iin,
                surname,
                given_name,
                patronymic,
                birth_date,
                sex,
                relation,
                status,
                disability,
                disabled_since_childhood: b[0],
                long_illness: b[1],
                activity,
                cares_for,
                needs_care: b[2],
                receives_special_services: b[3],
                education,
                mother_award,
                stated_age,
                absence,
                mother,
                children_elsewhere,
            },
        )
}

fn income() -> impl Strategy<Value = Income> {
    (
        uuid(),
        uuid(),
        select(IncomeKind::ALL.to_vec()),
        tiyn(),
        month(),
    )
        .prop_map(|(id, member_id, kind, amount, month)| Income {
            id,
            member_id,
            kind,
            amount,
            month,
        })
}

fn assets() -> impl Strategy<Value = Assets> {
    (
        proptest::collection::vec(
            (
                all!(LivestockSpecies: Cattle, Horse, Sheep, Goat, Camel, Pig, Poultry),
                any::<u32>(),
            )
                .prop_map(|(species, head)| Livestock { species, head }),
            0..3,
        ),
        proptest::collection::vec(
            (any::<u64>(), all!(LandUse: Garden, Farm, Pasture, Other))
                .prop_map(|(area_m2, use_)| Land { area_m2, use_ }),
            0..3,
        ),
        proptest::collection::vec(
            (
                all!(VehicleKind: Car, Truck, Motorcycle, Tractor, Other),
                proptest::option::of(any::<u16>()),
            )
                .prop_map(|(kind, year_made)| Vehicle { kind, year_made }),
            0..3,
        ),
        proptest::collection::vec(tiyn().prop_map(|amount| Deposit { amount }), 0..3),
        proptest::collection::vec(
            (
                all!(LoanPurpose: Mortgage, Consumer, Food, Medical, Business, Other),
                tiyn(),
                tiyn(),
                proptest::option::of(month()),
            )
                .prop_map(|(purpose, outstanding, monthly_payment, taken)| Loan {
                    purpose,
                    outstanding,
                    monthly_payment,
                    taken,
                }),
            0..3,
        ),
    )
        .prop_map(|(livestock, land, vehicles, deposits, loans)| Assets {
            livestock,
            land,
            vehicles,
            deposits,
            loans,
        })
}

fn document() -> impl Strategy<Value = Document> {
    (
        all!(DocumentKind: Application, IdentityDocument, BankAccount, AlimonyCertificate,
            UnemploymentCertificate, MarriageCertificate, DivorceCertificate, BirthCertificate,
            DisabilityCertificate, MedicalCard, RehabilitationProgrammeExtract,
            CourtDecisionOnIncapacity, DeathCertificate, IncomeCertificate, Other),
        proptest::option::of(uuid()),
        all!(DocumentStatus: Have, Missing, Requested),
    )
        .prop_map(|(kind, member_id, status)| Document {
            kind,
            member_id,
            status,
        })
}

/// Any household, then with some ids re-made the ways the app makes them:
/// derived from the household (any version back, any index), references
/// pointed at members, and IINs that the birth date and sex give.
fn household() -> impl Strategy<Value = Household> {
    (
        (
            // The schema versions this build reads (others are refused).
            1u16..=crate::model::SCHEMA_VERSION,
            uuid(),
            1u32..40,
            proptest::option::of(any::<u32>()),
        ),
        (
            all!(FormStatus: Draft, Final),
            select(Region::ALL.to_vec()),
            opt_text(),
            opt_text(),
            opt_text(),
        ),
        (
            proptest::option::of(all!(Tenure: Own, Rent, WithRelatives, NoHousing, Other)),
            proptest::option::of(tiyn()),
        ),
        (
            proptest::collection::vec(consent(), 0..3),
            proptest::collection::vec(member(), 0..7),
            proptest::collection::vec(income(), 0..14),
            proptest::collection::vec(
                (
                    all!(ExpenseCategory: HousingAndUtilities, Food, Medical,
                        KindergartenAndSchool, Transport, Clothing, Other),
                    tiyn(),
                )
                    .prop_map(|(category, amount)| Expense { category, amount }),
                0..4,
            ),
            assets(),
            proptest::collection::vec(document(), 0..4),
        ),
        (
            proptest::collection::vec(
                all!(SupportMeasure: StartOwnBusiness, SubsidiaryFarming, Education, JobSkills,
                    AdditionalJob, Job),
                0..4,
            ),
            any::<bool>(),
            opt_text(),
            proptest::option::of(
                (
                    date(),
                    all!(RefusalReason: RefusedEmploymentMeasures, BrokenSocialContract),
                )
                    .prop_map(|(date, reason)| TsaRefusal { date, reason }),
            ),
            proptest::option::of(tiyn()),
        ),
        instant().prop_flat_map(|c| (Just(c), later(c))),
        proptest::option::of(instant()),
        proptest::collection::vec(any::<u16>(), 64),
    )
        .prop_map(
            |(
                (schema_version, id, version, replaces),
                (status, region, district, settlement, address),
                (tenure, monthly_rent),
                (consents, members, incomes, expenses, assets, documents),
                (
                    wanted_support,
                    breadwinner_lost,
                    notes,
                    previous_tsa_refusal,
                    card_spending_monthly,
                ),
                (created_at, updated_at),
                finalized_at,
                choices,
            )| {
                let mut h = Household {
                    schema_version,
                    id,
                    version,
                    replaces,
                    status,
                    location: Location {
                        region,
                        district,
                        settlement,
                    },
                    address,
                    housing: Housing {
                        tenure,
                        monthly_rent,
                    },
                    consents,
                    members,
                    incomes,
                    expenses,
                    assets,
                    documents,
                    wanted_support,
                    breadwinner_lost,
                    previous_tsa_refusal,
                    card_spending_monthly,
                    notes,
                    created_at,
                    updated_at,
                    finalized_at,
                };
                make_like_the_app(&mut h, &choices);
                h
            },
        )
}

fn make_like_the_app(h: &mut Household, choices: &[u16]) {
    let mut c = choices.iter().copied().cycle();
    let derive = |c: u16, h: &Household| -> Option<Uuid> {
        (!c.is_multiple_of(3)).then(|| {
            let back = u32::from(c / 3) % h.version.min(12);
            record_id(h.id, h.version - back, u32::from(c / 40) % 200)
        })
    };
    for i in 0..h.consents.len() {
        if let Some(id) = derive(c.next().unwrap_or(0), h) {
            h.consents[i].id = id;
        }
    }
    for i in 0..h.members.len() {
        if let Some(id) = derive(c.next().unwrap_or(0), h) {
            h.members[i].id = id;
        }
    }
    for i in 0..h.incomes.len() {
        if let Some(id) = derive(c.next().unwrap_or(0), h) {
            h.incomes[i].id = id;
        }
    }
    let ids: Vec<Uuid> = h.members.iter().map(|m| m.id).collect();
    if ids.is_empty() {
        return;
    }
    let pick = |c: u16| (!c.is_multiple_of(4)).then(|| ids[usize::from(c) % ids.len()]);
    for i in 0..h.incomes.len() {
        if let Some(m) = pick(c.next().unwrap_or(0)) {
            h.incomes[i].member_id = m;
        }
    }
    for d in &mut h.documents {
        if let (Some(_), Some(m)) = (d.member_id, pick(c.next().unwrap_or(0))) {
            d.member_id = Some(m);
        }
    }
    for m in &mut h.members {
        for r in &mut m.cares_for {
            if let Some(x) = pick(c.next().unwrap_or(0)) {
                *r = x;
            }
        }
        let k = c.next().unwrap_or(0);
        if let (Some(b), Some(s)) = (m.birth_date, m.sex) {
            match k % 3 {
                0 => m.iin = Some(crate::synth::iin_for(b, s, u32::from(k) % 10_000)),
                1 => m.iin = Some(format!("{:012}", u64::from(k) * 1_234_567)),
                _ => {}
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_household_round_trips(h in household()) {
        let bytes = encode(&h);
        prop_assert_eq!(decode(&bytes), Ok(h.clone()));
        let sealed = crate::sync::codec::encode(&h).unwrap();
        prop_assert_eq!(crate::sync::codec::decode(&sealed).unwrap(), h);
    }

    #[test]
    fn no_strict_prefix_decodes_and_flips_never_panic(h in household(), at in any::<prop::sample::Index>(), bit in 0u8..8) {
        let bytes = encode(&h);
        for n in 0..bytes.len() {
            prop_assert!(decode(&bytes[..n]).is_err(), "prefix {} of {}", n, bytes.len());
        }
        let mut bad = bytes.clone();
        let i = at.index(bad.len());
        bad[i] ^= 1 << bit;
        let _ = decode(&bad);
        let mut extra = bytes;
        extra.push(0);
        prop_assert!(matches!(decode(&extra), Err(CompactError::Trailing(_))));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = decode(&bytes);
        let mut v1 = vec![crate::sync::codec::CODEC_COMPACT_V1];
        v1.extend_from_slice(&bytes);
        let _ = crate::sync::codec::decode(&v1);
        let _ = crate::sync::codec::decode(&bytes);
    }
}

fn synth_today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 2, 10).unwrap()
}

#[test]
fn derived_ids_and_member_references_cost_a_byte() {
    let h = crate::synth::households(31, 6, synth_today())
        .into_iter()
        .find(|h| h.members.len() == 5)
        .unwrap();
    let mut random = h.clone();
    for m in &mut random.members {
        m.id = Uuid::new_v4();
    }
    for i in &mut random.incomes {
        i.id = Uuid::new_v4();
        // Keep each income with its member (by position).
        let pos = h.members.iter().position(|m| m.id == i.member_id).unwrap();
        i.member_id = random.members[pos].id;
    }
    for c in &mut random.consents {
        c.id = Uuid::new_v4();
    }
    for d in &mut random.documents {
        d.member_id = d
            .member_id
            .map(|id| random.members[h.members.iter().position(|m| m.id == id).unwrap()].id);
    }
    let ids = h.members.len() + h.incomes.len() + h.consents.len();
    let (a, b) = (encode(&h), encode(&random));
    assert_eq!(decode(&b).unwrap(), random);
    // Each random id costs its 16 bytes instead of one (index < 64);
    // references cost a byte either way.
    assert!(ids > 15);
    assert_eq!(b.len() - a.len(), ids * 16);
}

#[test]
fn iins_travel_as_their_serial_when_birth_date_and_sex_give_the_rest() {
    let mut h = crate::synth::households(32, 1, synth_today()).remove(0);
    let m = &mut h.members[0];
    let iin = m.iin.clone().unwrap();
    let short = encode(&h).len();
    // The same IIN with a birth date that does not match: 12 digits packed.
    h.members[0].birth_date = h.members[0].birth_date.map(|d| d + chrono::Days::new(1));
    let packed = encode(&h);
    assert_eq!(
        decode(&packed).unwrap().members[0].iin.as_deref(),
        Some(&iin[..])
    );
    assert_eq!(packed.len(), short + 5 - 2);
    // Not digits: sent as text.
    h.members[0].iin = Some("not an iin".into());
    assert_eq!(decode(&encode(&h)).unwrap(), h);
}

#[test]
fn damaged_values_are_typed_errors_with_offsets_only() {
    let h = crate::synth::households(33, 1, synth_today()).remove(0);
    let bytes = encode(&h);
    // Schema version, then the household id: byte 17 is the version.
    let mut bad = bytes.clone();
    bad[17] = 0; // version 0 leaves derived ids without a version
    assert!(decode(&bad).is_err());
    // A schema this build does not know (0, or newer than SCHEMA_VERSION) is
    // refused at byte 0, as the JSON form refuses it.
    for schema in [0u8, 2, 127] {
        let mut bad = bytes.clone();
        bad[0] = schema;
        assert_eq!(
            decode(&bad),
            Err(CompactError::Invalid(0)),
            "schema {schema}"
        );
    }
    // An unknown status code.
    let mut bad = bytes.clone();
    bad[19] = 9;
    assert_eq!(decode(&bad), Err(CompactError::Invalid(19)));
    // A non-canonical varint (a trailing zero group) is refused.
    let mut v = vec![0x81, 0x00];
    v.extend_from_slice(&bytes[1..]);
    assert_eq!(decode(&v), Err(CompactError::Invalid(0)));
    // Messages name offsets, never content.
    let e = decode(&bytes[..40]).unwrap_err().to_string();
    assert!(!e.contains(&h.members[0].surname), "{e}");
}

/// Inputs the fuzzer found (`fuzz/fuzz_targets/compact.rs`, docs/reliability.md):
/// whatever decodes must encode back to the same bytes.
#[test]
fn fuzz_found_inputs_decode_canonically_or_not_at_all() {
    let found: [&[u8]; 2] = [
        include_bytes!("fuzz_found/compact-1.bin"),
        include_bytes!("fuzz_found/compact-2.bin"),
    ];
    for bytes in found {
        // compact-1: an instant sent whole (marker 1) that the short form
        // (nanoseconds after the form's creation) can carry: decoded on main,
        // and encoded back the short way, so two byte strings meant one form.
        if let Ok(h) = decode(bytes) {
            let again = encode(&h);
            let first = again.iter().zip(bytes).position(|(a, b)| a != b);
            assert!(
                again == bytes,
                "not canonical: first difference at {first:?}"
            );
        }
    }
    // compact-2: an income's id sent as a record index beyond the span the
    // writer searches, so encoded back as 16 bytes. Refused whole now: the
    // decoder checks the form by encoding it again.
    for bytes in found {
        assert!(decode(bytes).is_err());
    }
}
