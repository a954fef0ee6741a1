# Программы пособий, кроме АСП (русский). По разделу на файл в core/src/rules/programmes/.

## Рождение ребёнка (programmes/childbirth.rs)

childbirth-step-newborn = { $member } родился(лась) { $born }.
childbirth-step-order = { $member } — { $order }-й ребёнок в семье.
childbirth-step-amount = Единовременное пособие: { $coefficient } МРП × { $mrp } = { $amount }.
childbirth-flag-order-counts-all-children = Учитываются все дети матери, в том числе живущие отдельно: если это её 4-й или следующий ребёнок, пособие составляет { $later } МРП.

## Пособие многодетной семье (programmes/large_family.rs)

large-family-step-children = Учтено детей: { $children } (несовершеннолетние до { $minors } лет и студенты очной формы до { $students } лет, живущие с семьёй).
large-family-step-amount = Ежемесячное пособие: { $coefficient } МРП × { $mrp } = { $amount }.
large-family-flag-already-received = Семья уже получает это пособие: проверьте, совпадает ли сумма.

## Награждённые матери (programmes/awarded_mothers.rs)

awarded-mothers-step-award = { $member } награждена: { $award }.
awarded-mothers-step-amount = Пожизненное ежемесячное пособие: { $coefficient } МРП × { $mrp } = { $amount }.
award-kumis_alqa = подвеска «Күміс алқа»
award-altyn_alqa = подвеска «Алтын алқа»
award-mother_heroine = звание «Мать-героиня»
award-maternal_glory_i = орден «Материнская слава» I степени
award-maternal_glory_ii = орден «Материнская слава» II степени

## Уход за ребёнком до 1,5 лет (programmes/childcare.rs)

childcare-step-young-child = { $member } родился(лась) { $born }; пособие выплачивается до { $until }.
childcare-step-order = { $member } — { $order }-й ребёнок в семье.
childcare-step-amount = Ежемесячное пособие: { $coefficient } МРП × { $mrp } = { $amount }.
childcare-flag-insured-parent = У родителя есть заработная плата; он может быть участником системы социального страхования, которая выплачивает своё пособие по уходу. Нужна проверка специалиста.

## Государственное пособие по инвалидности (programmes/disability.rs)

disability-step-child-under-7 = { $member } — ребёнок с инвалидностью, { $age } лет (до 7 лет).
disability-step-since-childhood = { $member }, { $age } лет, — инвалидность с детства (ставка для детей 7-18 лет и инвалидов с детства).
disability-step-general-illness = { $member }, { $age } лет, — инвалидность от общего заболевания.
disability-step-amount = Ежемесячное пособие: { $coefficient } × прожиточный минимум { $pm } = { $amount }.
disability-flag-group-unknown = Группа инвалидности не указана в анкете, а от неё зависит сумма: I группа — { $group_i }, II — { $group_ii }, III — { $group_iii } прожиточного минимума. Показана наименьшая.
disability-flag-already-received = Этот человек уже получает пособие по инвалидности: проверьте, совпадает ли сумма.

## Уход за ребёнком с инвалидностью (programmes/carer.rs)

carer-step-cares-for = { $member } ухаживает за ребёнком с инвалидностью: { $child }.
carer-step-published = Ежемесячное пособие в { $year } году: { $amount }.
carer-step-estimated = Сумма на этот год в пакете правил не опубликована; оценка: { $coefficient } × прожиточный минимум { $pm } = { $amount }.

## Потеря кормильца (programmes/breadwinner.rs)

breadwinner-step-dependants = Иждивенцев умершего кормильца в семье: { $dependants } (дети до 18 лет, студенты до 23 лет, люди с инвалидностью, супруг(а) или родитель пенсионного возраста).
breadwinner-step-amount = Ежемесячное пособие: { $coefficient } × прожиточный минимум { $pm } = { $amount }.
breadwinner-step-share = Делится поровну на { $dependants }: по { $share }.

## Специальные социальные услуги (programmes/special_services.rs)

special-services-ground-child-disability = { $member } — ребёнок с инвалидностью от 1,5 до 18 лет: может иметь право на услуги на дому (при психоневрологических или опорно-двигательных нарушениях).
special-services-ground-disability-no-support = У { $member } инвалидность I или II группы, и в семье нет трудоспособных совершеннолетних детей или супруга, которые могли бы помогать.
special-services-ground-elderly-no-support = { $member } — пенсионного возраста, не может себя обслуживать, и в семье нет трудоспособных совершеннолетних детей или супруга, которые могли бы помогать.
special-services-step-where = Обращаться в районный отдел занятости и социальных программ; специалист оценит потребность (уход на дому, дневное пребывание, временное пребывание или стационар).
special-services-flag-already-receives = Этот человек уже получает специальные социальные услуги.

## Рекомендательные оценки (programmes/advisory.rs)

advisory-step-expenses = Основные расходы семьи: { $amount } в месяц.
advisory-step-income = Учитываемый доход: { $amount } в месяц (в среднем за расчётный квартал).
advisory-step-standard = Минимальный стандарт расходов: { $share } × прожиточный минимум { $pm } × { $members } чел. = { $amount } в месяц.
advisory-step-gap = Доход минус большее из расходов и стандарта: { $amount } в месяц.
advisory-flag-near-miss = Отказ всего на { $over } на человека (меньше { $limit }): небольшое изменение дохода или черты бедности изменит ответ. Стоит пересмотреть.
advisory-flag-child-disability-no-services = { $member } — ребёнок с инвалидностью, не получающий специальных социальных услуг.
advisory-flag-sole-carer-no-income = { $member } — единственный взрослый, ухаживает за ребёнком до 3 лет и не имеет дохода.
advisory-flag-rent-over-half = Аренда { $rent } превышает половину учитываемого дохода { $income }.
advisory-flag-food-loans = Семья брала кредиты на покупку продуктов: { $loans }.
advisory-flag-elderly-alone = { $member } — пожилой человек, живущий один и нуждающийся в уходе.
advisory-flag-not-received = Семья, вероятно, имеет право на «{ $programme }», но не получает: помогите подать заявление.
