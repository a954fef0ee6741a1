//! A member of the household as apps fill it in (mirrors `komek_core::model::Member`).

use crate::enums::{Activity, Disability, Education, MotherAward, Relation, ResidencyStatus, Sex};
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
}

/// A member with the required fields set and everything else empty: a fresh
/// id, citizen, no disability.
#[uniffi::export]
pub fn new_member(surname: String, given_name: String, relation: Relation) -> Member {
    komek_core::model::Member::new(&surname, &given_name, relation.into()).into()
}
