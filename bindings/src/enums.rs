//! The form's closed lists (relation, income kind, region...) as UniFFI enums.
//!
//! The core keeps no FFI types, so each list is mirrored here by
//! [`mirror_enum!`], which also writes both conversions as exhaustive matches:
//! a variant added to the core stops this crate compiling until it is added
//! here too. Variant names are the core's; Kotlin shows them in upper snake
//! case (`Relation.HEAD`), Swift in lower camel case (`.head`).

/// Defines an FFI enum with the variants of a core enum and `From` both ways.
macro_rules! mirror_enum {
    ($(#[$meta:meta])* $name:ident => $core:path { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl From<$core> for $name {
            fn from(v: $core) -> $name {
                type Core = $core;
                match v {
                    $(Core::$variant => $name::$variant),+
                }
            }
        }

        impl From<$name> for $core {
            fn from(v: $name) -> $core {
                type Core = $core;
                match v {
                    $($name::$variant => Core::$variant),+
                }
            }
        }
    };
}
pub(crate) use mirror_enum;

mirror_enum!(
    /// A region (oblast) or a city of republican significance.
    Region => komek_core::model::Region {
        Abai, Akmola, Aktobe, AlmatyRegion, Atyrau, WestKazakhstan, Zhambyl, Zhetysu,
        Karaganda, Kostanay, Kyzylorda, Mangystau, Pavlodar, NorthKazakhstan, Turkistan,
        Ulytau, EastKazakhstan, Astana, Almaty, Shymkent,
    }
);

mirror_enum!(
    /// The languages of messages and reports.
    Lang => komek_core::l10n::Lang { Kk, Ru, En }
);

mirror_enum!(
    /// A form is a draft until finalized; a finalized version never changes.
    FormStatus => komek_core::model::FormStatus { Draft, Final }
);

mirror_enum!(
    Tenure => komek_core::model::Tenure { Own, Rent, WithRelatives, NoHousing, Other }
);

mirror_enum!(
    ConsentMethod => komek_core::model::ConsentMethod { SignedPaper, DigitalSignature, OralWithWitness }
);

mirror_enum!(
    DocumentKind => komek_core::model::DocumentKind {
        Application, IdentityDocument, BankAccount, AlimonyCertificate, UnemploymentCertificate,
        MarriageCertificate, DivorceCertificate, BirthCertificate, DisabilityCertificate,
        MedicalCard, RehabilitationProgrammeExtract, CourtDecisionOnIncapacity, DeathCertificate,
        IncomeCertificate, Other,
    }
);

mirror_enum!(
    DocumentStatus => komek_core::model::DocumentStatus { Have, Missing, Requested }
);

mirror_enum!(
    /// Support measures people ask for (the menu of an integration plan).
    SupportMeasure => komek_core::model::SupportMeasure {
        StartOwnBusiness, SubsidiaryFarming, Education, JobSkills, AdditionalJob, Job,
    }
);

mirror_enum!(
    /// Kinds of income. Whether a kind counts is the rule pack's decision.
    IncomeKind => komek_core::model::IncomeKind {
        Wages, Pension, SocialBenefit, AdultDisabilityBenefit, SurvivorBenefit, ChildcareBenefit,
        CarerBenefit, Alimony, SubsidiaryFarming, Business, PropertyRentOrSale, Securities,
        GiftOrInheritance, Credit, FreeOfCharge, DepositInterest, MoneyTransfer, Winnings,
        LargeFamilyAllowance, EmploymentMeasures, EmploymentRelocationOneTime, HousingCertificate,
        TargetedSocialAssistance, HousingAssistance, FuneralAllowance, ChildDisabilityBenefit,
        SpecialChildDisabilityBenefit, Scholarship, AwardedMothersAllowance, Other,
    }
);

mirror_enum!(
    ExpenseCategory => komek_core::model::ExpenseCategory {
        HousingAndUtilities, Food, Medical, KindergartenAndSchool, Transport, Clothing, Other,
    }
);

mirror_enum!(
    Sex => komek_core::model::Sex { Male, Female }
);

mirror_enum!(
    /// Relation to the head of the household.
    Relation => komek_core::model::Relation {
        Head, Spouse, Child, Stepchild, Grandchild, Parent, Grandparent, Sibling, OtherRelative,
        NotRelated,
    }
);

mirror_enum!(
    ResidencyStatus => komek_core::model::ResidencyStatus { Citizen, Kandas, Refugee, Foreigner, Stateless }
);

mirror_enum!(
    Disability => komek_core::model::Disability {
        None, GroupI, GroupII, GroupIII,
        /// A child (under 18) with a disability.
        Child,
    }
);

mirror_enum!(
    Activity => komek_core::model::Activity {
        Employed, SelfEmployed, Unemployed, Homemaker, Pensioner, StudentFullTime, Child, Carer,
    }
);

mirror_enum!(
    Education => komek_core::model::Education { None, Primary, Secondary, Vocational, Higher }
);

mirror_enum!(
    /// State awards for mothers of large families.
    MotherAward => komek_core::model::MotherAward {
        KumisAlqa, AltynAlqa, MotherHeroine, MaternalGloryI, MaternalGloryII,
    }
);

mirror_enum!(
    /// Why a member does not live with the family at the moment: the law
    /// decides whether they count (see the pre-check's explanation).
    Absence => komek_core::model::Absence { Abroad, MilitaryService, Prison, StateCare }
);

mirror_enum!(
    /// Why targeted social assistance was refused or stopped before.
    RefusalReason => komek_core::model::RefusalReason {
        RefusedEmploymentMeasures, BrokenSocialContract,
    }
);

mirror_enum!(
    LivestockSpecies => komek_core::model::LivestockSpecies {
        Cattle, Horse, Sheep, Goat, Camel, Pig, Poultry,
    }
);

mirror_enum!(
    LandUse => komek_core::model::LandUse { Garden, Farm, Pasture, Other }
);

mirror_enum!(
    VehicleKind => komek_core::model::VehicleKind { Car, Truck, Motorcycle, Tractor, Other }
);

mirror_enum!(
    LoanPurpose => komek_core::model::LoanPurpose { Mortgage, Consumer, Food, Medical, Business, Other }
);

mirror_enum!(
    /// Field staff, or a supervisor who also adds staff and resets PINs.
    Role => komek_core::store::Role { Field, Supervisor }
);

impl Lang {
    pub(crate) fn core(self) -> komek_core::l10n::Lang {
        self.into()
    }
}
