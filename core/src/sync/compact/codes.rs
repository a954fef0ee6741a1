//! One fixed byte per enum variant in the compact form.
//!
//! The numbers are the format: a variant keeps its number forever and a new
//! variant takes a new one. Each `code` is an exhaustive `match`, so a variant
//! added to the model does not compile until it has a number.

use crate::model::{
    Absence, Activity, ConsentMethod, Disability, DocumentKind, DocumentStatus, Education,
    ExpenseCategory, FormStatus, IncomeKind, LandUse, LivestockSpecies, LoanPurpose, MotherAward,
    RefusalReason, Region, Relation, ResidencyStatus, Sex, SupportMeasure, Tenure, VehicleKind,
};

pub(super) trait Code: Sized + Copy {
    fn code(self) -> u8;
    fn from_code(c: u8) -> Option<Self>;
}

/// One byte per variant, fixed forever: a new variant takes a new number.
macro_rules! codes {
    ($t:ident { $($v:ident = $n:literal),+ $(,)? }) => {
        impl Code for $t {
            fn code(self) -> u8 {
                match self { $($t::$v => $n),+ }
            }
            fn from_code(c: u8) -> Option<Self> {
                match c { $($n => Some($t::$v),)+ _ => None }
            }
        }
    };
}

codes!(FormStatus { Draft = 0, Final = 1 });
codes!(Region {
    Abai = 0, Akmola = 1, Aktobe = 2, AlmatyRegion = 3, Atyrau = 4, WestKazakhstan = 5,
    Zhambyl = 6, Zhetysu = 7, Karaganda = 8, Kostanay = 9, Kyzylorda = 10, Mangystau = 11,
    Pavlodar = 12, NorthKazakhstan = 13, Turkistan = 14, Ulytau = 15, EastKazakhstan = 16,
    Astana = 17, Almaty = 18, Shymkent = 19,
});
codes!(Tenure { Own = 0, Rent = 1, WithRelatives = 2, NoHousing = 3, Other = 4 });
codes!(ConsentMethod { SignedPaper = 0, DigitalSignature = 1, OralWithWitness = 2 });
codes!(DocumentKind {
    Application = 0, IdentityDocument = 1, BankAccount = 2, AlimonyCertificate = 3,
    UnemploymentCertificate = 4, MarriageCertificate = 5, DivorceCertificate = 6,
    BirthCertificate = 7, DisabilityCertificate = 8, MedicalCard = 9,
    RehabilitationProgrammeExtract = 10, CourtDecisionOnIncapacity = 11, DeathCertificate = 12,
    IncomeCertificate = 13, Other = 14,
});
codes!(DocumentStatus { Have = 0, Missing = 1, Requested = 2 });
codes!(SupportMeasure {
    StartOwnBusiness = 0, SubsidiaryFarming = 1, Education = 2, JobSkills = 3,
    AdditionalJob = 4, Job = 5,
});
codes!(IncomeKind {
    Wages = 0, Pension = 1, SocialBenefit = 2, AdultDisabilityBenefit = 3, SurvivorBenefit = 4,
    ChildcareBenefit = 5, CarerBenefit = 6, Alimony = 7, SubsidiaryFarming = 8, Business = 9,
    PropertyRentOrSale = 10, Securities = 11, GiftOrInheritance = 12, Credit = 13,
    FreeOfCharge = 14, DepositInterest = 15, MoneyTransfer = 16, Winnings = 17,
    LargeFamilyAllowance = 18, EmploymentMeasures = 19, EmploymentRelocationOneTime = 20,
    HousingCertificate = 21, TargetedSocialAssistance = 22, HousingAssistance = 23,
    FuneralAllowance = 24, ChildDisabilityBenefit = 25, SpecialChildDisabilityBenefit = 26,
    Scholarship = 27, AwardedMothersAllowance = 28, Other = 29,
});
codes!(ExpenseCategory {
    HousingAndUtilities = 0, Food = 1, Medical = 2, KindergartenAndSchool = 3, Transport = 4,
    Clothing = 5, Other = 6,
});
codes!(Sex { Male = 0, Female = 1 });
codes!(Relation {
    Head = 0, Spouse = 1, Child = 2, Stepchild = 3, Grandchild = 4, Parent = 5,
    Grandparent = 6, Sibling = 7, OtherRelative = 8, NotRelated = 9,
});
codes!(ResidencyStatus { Citizen = 0, Kandas = 1, Refugee = 2, Foreigner = 3, Stateless = 4 });
codes!(Disability { None = 0, GroupI = 1, GroupII = 2, GroupIII = 3, Child = 4 });
codes!(Activity {
    Employed = 0, SelfEmployed = 1, Unemployed = 2, Homemaker = 3, Pensioner = 4,
    StudentFullTime = 5, Child = 6, Carer = 7,
});
codes!(Education { None = 0, Primary = 1, Secondary = 2, Vocational = 3, Higher = 4 });
codes!(MotherAward {
    KumisAlqa = 0, AltynAlqa = 1, MotherHeroine = 2, MaternalGloryI = 3, MaternalGloryII = 4,
});
codes!(LivestockSpecies {
    Cattle = 0, Horse = 1, Sheep = 2, Goat = 3, Camel = 4, Pig = 5, Poultry = 6,
});
codes!(LandUse { Garden = 0, Farm = 1, Pasture = 2, Other = 3 });
codes!(VehicleKind { Car = 0, Truck = 1, Motorcycle = 2, Tractor = 3, Other = 4 });
codes!(LoanPurpose { Mortgage = 0, Consumer = 1, Food = 2, Medical = 3, Business = 4, Other = 5 });
codes!(Absence { Abroad = 0, MilitaryService = 1, Prison = 2, StateCare = 3 });
codes!(RefusalReason { RefusedEmploymentMeasures = 0, BrokenSocialContract = 1 });
