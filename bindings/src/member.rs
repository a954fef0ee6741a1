//! A member of the household as apps fill it in (mirrors `komek_core::model::Member`).

use crate::enums::{
    Absence, Activity, Disability, Education, MotherAward, Relation, ResidencyStatus, Sex,
};
use crate::household::Household;
use crate::scalars::IsoDate;
use uuid::Uuid;

/// One person in the household. Names and the IIN are personal data: the store
/// keeps them only inside the encrypted record. `newMember(...)` fills in a
/// fresh id and the defaults (citizen, no disability).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Member {
    pub id: Uuid,
    /// Individual identification number, 12 digits; `None` for newborns.
    #[uniffi(default = None)]
    pub iin: Option<String>,
    pub surname: String,
    pub given_name: String,
    #[uniffi(default = None)]
    pub patronymic: Option<String>,
    #[uniffi(default = None)]
    pub birth_date: Option<IsoDate>,
    #[uniffi(default = None)]
    pub sex: Option<Sex>,
    pub relation: Relation,
    pub status: ResidencyStatus,
    pub disability: Disability,
    #[uniffi(default = false)]
    pub disabled_since_childhood: bool,
    /// Ill with expected incapacity for work over two months.
    #[uniffi(default = false)]
    pub long_illness: bool,
    #[uniffi(default = None)]
    pub activity: Option<Activity>,
    /// The members this person cares for (ids in the same household).
    #[uniffi(default = [])]
    pub cares_for: Vec<Uuid>,
    #[uniffi(default = false)]
    pub needs_care: bool,
    #[uniffi(default = false)]
    pub receives_special_services: bool,
    #[uniffi(default = None)]
    pub education: Option<Education>,
    #[uniffi(default = None)]
    pub mother_award: Option<MotherAward>,
    /// An age given instead of a birth date (ignored when `birthDate` is
    /// set): the pre-check then says which limits it cannot decide.
    #[uniffi(default = None)]
    pub stated_age: Option<StatedAge>,
    /// Temporarily away from the family.
    #[uniffi(default = None)]
    pub absence: Option<Absence>,
    /// The child's mother, when she lives in the household (her id): birth
    /// order counts the mother's children, not the head's.
    #[uniffi(default = None)]
    pub mother: Option<Uuid>,
    /// A mother's children who live elsewhere; `null`/`nil`: not asked.
    #[uniffi(default = None)]
    pub children_elsewhere: Option<u32>,
}

/// An age in whole years as the person said it, and the day they said it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct StatedAge {
    pub years: u32,
    pub on: IsoDate,
}

/// A new member of `household` with the required fields set and everything
/// else empty: citizen, no disability, and the id `newRecordId(household)`
/// gives (derived from the household, 1 byte on the 2G link instead of 16;
/// ADR 0004). Add the member to the household before asking for the next
/// one, or both get the same id.
#[uniffi::export]
pub fn new_member(
    household: Household,
    surname: String,
    given_name: String,
    relation: Relation,
) -> crate::error::Result<Member> {
    let h = komek_core::model::Household::try_from(household)?;
    let mut m = komek_core::model::Member::new(&surname, &given_name, relation.into());
    m.id = h.new_record_id();
    Ok(m.into())
}
