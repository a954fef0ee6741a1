//! A member of the household: who they are and the situation the rules look at.

use super::calendar::age_on;
use super::circumstances::{Absence, StatedAge};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One person in the household. Names and the IIN are personal data: they live
/// only inside the encrypted record, never in a plaintext column, log or error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub id: Uuid,
    /// Individual identification number, 12 digits. `None` for newborns and some
    /// foreigners who have none yet.
    #[serde(default)]
    pub iin: Option<String>,
    pub surname: String,
    pub given_name: String,
    #[serde(default)]
    pub patronymic: Option<String>,
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    #[serde(default)]
    pub sex: Option<Sex>,
    pub relation: Relation,
    #[serde(default)]
    pub status: ResidencyStatus,
    #[serde(default)]
    pub disability: Disability,
    /// Disabled since childhood (changes the state disability benefit coefficient).
    #[serde(default)]
    pub disabled_since_childhood: bool,
    /// Ill with expected incapacity for work over two months.
    #[serde(default)]
    pub long_illness: bool,
    #[serde(default)]
    pub activity: Option<Activity>,
    /// The members this person cares for (ids within the same household).
    #[serde(default)]
    pub cares_for: Vec<Uuid>,
    /// Needs care from another person (an elderly or ill person who cannot look
    /// after themselves).
    #[serde(default)]
    pub needs_care: bool,
    /// Already receives special social services (home, day care, residential).
    #[serde(default)]
    pub receives_special_services: bool,
    #[serde(default)]
    pub education: Option<Education>,
    /// A mother's state award, when one is recorded.
    #[serde(default)]
    pub mother_award: Option<MotherAward>,
    /// An age given instead of a birth date (ignored when `birth_date` is set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stated_age: Option<StatedAge>,
    /// Temporarily away from the family (abroad, military service, prison,
    /// state care): the law decides whether they count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absence: Option<Absence>,
    /// The child's mother, when she lives in the household: the birth order
    /// of childbirth and childcare counts the mother's children (not the
    /// head's: a grandchild, a stepchild).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mother: Option<Uuid>,
    /// A mother's children who do not live in the household (they count in
    /// the birth order of her later children). `None`: not asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children_elsewhere: Option<u32>,
}

impl Member {
    /// A member with the required fields set and everything else empty.
    pub fn new(surname: &str, given_name: &str, relation: Relation) -> Member {
        Member {
            id: Uuid::new_v4(),
            iin: None,
            surname: surname.to_string(),
            given_name: given_name.to_string(),
            patronymic: None,
            birth_date: None,
            sex: None,
            relation,
            status: ResidencyStatus::Citizen,
            disability: Disability::None,
            disabled_since_childhood: false,
            long_illness: false,
            activity: None,
            cares_for: Vec::new(),
            needs_care: false,
            receives_special_services: false,
            education: None,
            mother_award: None,
            stated_age: None,
            absence: None,
            mother: None,
            children_elsewhere: None,
        }
    }

    /// Age in whole years on `date`, when the birth date is known.
    pub fn age_on(&self, date: NaiveDate) -> Option<u32> {
        self.birth_date.and_then(|b| age_on(b, date))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

/// Relation to the head of the household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Head,
    Spouse,
    Child,
    Stepchild,
    Grandchild,
    Parent,
    Grandparent,
    Sibling,
    OtherRelative,
    NotRelated,
}

/// Who may apply for targeted social assistance: citizens, kandas (ethnic Kazakh
/// returnees), refugees, and foreigners and stateless persons permanently resident.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResidencyStatus {
    #[default]
    Citizen,
    Kandas,
    Refugee,
    Foreigner,
    Stateless,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disability {
    #[default]
    None,
    GroupI,
    GroupII,
    GroupIII,
    /// A child (under 18) with a disability; groups are assigned from 16 or 18.
    Child,
}

impl Disability {
    pub fn is_disabled(self) -> bool {
        self != Disability::None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    Employed,
    SelfEmployed,
    Unemployed,
    Homemaker,
    Pensioner,
    StudentFullTime,
    Child,
    Carer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Education {
    None,
    Primary,
    Secondary,
    Vocational,
    Higher,
}

/// State awards for mothers of large families (lifelong allowance, no income test).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MotherAward {
    /// "Kumis alqa": six children.
    KumisAlqa,
    /// "Altyn alqa": seven or more children.
    AltynAlqa,
    MotherHeroine,
    #[serde(rename = "maternal_glory_i")]
    MaternalGloryI,
    #[serde(rename = "maternal_glory_ii")]
    MaternalGloryII,
}
