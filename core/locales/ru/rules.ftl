# Предварительная проверка Komek: отчёт, адресная социальная помощь, общие названия (русский).

## Отчёт

report-title = Komek: предварительная проверка права на помощь
report-header = Пакет правил { $version } · { $region } · расчёт на { $date }
report-pre-check-not-decision = Это предварительная проверка, а не решение. Решение по заявлению принимает районная комиссия.
report-notes = Примечания:
report-note-pack-does-not-cover-date = Пакет правил действует с { $valid_from } по { $valid_until }; эта дата вне его срока, цифры могут быть устаревшими.
report-note-no-parameters = В пакете правил нет параметров на { $date }: проверить ничего не удалось.
report-no-programmes = Ни одну программу проверить не удалось.
report-amount-monthly = Ориентировочная сумма: { $amount } в месяц
report-amount-one-time = Ориентировочная сумма: { $amount } единовременно
report-margin-below = Ниже порога на { $amount } на человека.
report-margin-above = Выше порога на { $amount } на человека.
report-steps = Как посчитано:
report-excluded-incomes = Доходы, которые не учитываются:
report-excluded-income = { $income }: { $amount } ({ $reason })
report-flags = Проверить (может изменить результат):
report-documents = Какие документы взять:
report-confidence = Надёжность применённых правил: { $confidence }
report-advisory = Рекомендательная оценка: не является правом на выплату.
report-missing-fields = Заполните, пожалуйста: { $fields }
report-member = член семьи { $number } ({ $relation })
quarter-value = { $q }-й квартал { $year } года

outcome-likely-eligible = Вероятно, имеете право
outcome-needs-review = Нужна проверка специалистом
outcome-likely-not-eligible = Вероятно, права нет
outcome-missing-information = Не хватает сведений

confidence-verified = подтверждено официальными источниками
confidence-likely = вероятно (один вторичный источник)
confidence-unverified = не подтверждено: может применяться

## Программы

programme-targeted_social_assistance = Адресная социальная помощь (АСП)
programme-childbirth = Единовременное пособие на рождение ребёнка
programme-childcare = Пособие по уходу за ребёнком до 1,5 лет
programme-large_family = Пособие многодетной семье
programme-awarded_mothers = Пособие многодетным матерям, награждённым подвесками и орденами
programme-disability = Государственное социальное пособие по инвалидности
programme-carer = Пособие родителю, воспитывающему ребёнка с инвалидностью
programme-breadwinner = Пособие по случаю потери кормильца
programme-special_services = Специальные социальные услуги
programme-advisory_expenditure = Расходы и доходы (рекомендательно)
programme-advisory_risk_flags = Ранние признаки риска (рекомендательно)

## Адресная социальная помощь

tsa-step-reference-quarter = Квартал обращения: { $applied }. Учитываются доходы, полученные за { $quarter }.
tsa-step-income-counted = { $income }: { $amount } учитывается ({ $reason }).
tsa-step-income-total = Учитываемый доход семьи за { $quarter }: { $total }.
tsa-step-pci = Среднедушевой доход: { $total } ÷ { $members } { $members ->
        [one] человек
        [few] человека
       *[many] человек
    } ÷ { $months } месяца = { $pci } в месяц.
tsa-step-line-published = Опубликованная черта бедности, { $region }, { $quarter }: { $line }.
tsa-step-line-estimated-pm = { $national ->
        [1] Прожиточный минимум по республике
       *[0] Прожиточный минимум ({ $region })
    } за { $pm_quarter }: { $pm }; { $share } от него составляет { $line }.
tsa-step-line-median = Медианный доход: { $median }; { $share } от него составляет { $line }.
tsa-step-line-median-unknown = Медианного дохода региона нет в пакете правил, поэтому используется только прожиточный минимум.
tsa-step-line-max = Черта бедности равна большему из двух значений: { $line }.
tsa-step-line-estimated = Опубликованной черты бедности ({ $region }, { $quarter }) нет: расчётная черта { $line }.
tsa-step-below-line = Среднедушевой доход { $pci } не превышает черту бедности { $line }: он ниже на { $difference }.
tsa-step-above-line = Среднедушевой доход { $pci } превышает черту бедности { $line } на { $difference } на человека.
tsa-step-amount = Помощь: ({ $line } − { $pci }) × { $members } = { $margin } × { $members } = { $amount } в месяц.
tsa-step-child-supplement = Доплата на детей: { $children } { $children ->
        [one] ребёнок
        [few] ребёнка
       *[many] детей
    } в возрасте { $min_age }–{ $max_age } лет × { $coefficient } МРП ({ $mrp }) = { $per_child } × { $children } = { $amount } в месяц.
tsa-step-total = Итого ориентировочная помощь: { $amount } в месяц.
tsa-step-unconditional-single-retired = Безусловная помощь: { $member } живёт один (одна) и достиг(ла) пенсионного возраста.
tsa-step-unconditional-single-disabled = Безусловная помощь: { $member } живёт один (одна) и имеет инвалидность I или II группы.
tsa-step-unconditional-single-ill = Безусловная помощь: { $member } живёт один (одна) и болеет, нетрудоспособность ожидается более двух месяцев.
tsa-step-unconditional-no-able-bodied = Безусловная помощь: в семье нет трудоспособных.
tsa-step-unconditional-sole-carer = Безусловная помощь: единственный трудоспособный член семьи, { $member }, ухаживает за человеком: { $cared }.
tsa-step-conditional = Обусловленная помощь: { $able_bodied } { $able_bodied ->
        [one] трудоспособный член семьи должен
        [few] трудоспособных члена семьи должны
       *[many] трудоспособных членов семьи должны
    } участвовать в мерах содействия занятости.
tsa-step-social-contract = С семьёй заключается социальный контракт. Если он нарушен, выплаты прекращаются и в помощи отказывают на { $months } месяцев.
tsa-step-district-farming-not-income = Акимат района признал скот, птицу и землю не приносящими доход: доход от подсобного хозяйства не учитывается.
tsa-step-where-to-apply = Обратиться можно в центр трудовой мобильности, к акиму села или сельского округа или на egov.kz. Ответ: { $centre_days } рабочих дней в центре, { $akim_days } через акима, до { $max_days } календарных дней, если запрашиваются другие органы.

tsa-flag-no-income-in-reference-quarter = За { $quarter } (учитываемый квартал) доходы не записаны. Проверьте месяцы доходов.
tsa-flag-line-from-earlier-pm = Прожиточного минимума за { $quarter } нет в пакете правил; использован минимум за { $pm_quarter }. Черта может оказаться ниже действующей.
tsa-flag-line-national-pm = В пакете правил нет прожиточного минимума для региона ({ $region }); использован республиканский. Черту бедности должен проверить специалист.
tsa-flag-line-unknown = В пакете правил нет ни черты бедности, ни прожиточного минимума: { $region }, { $quarter }.
tsa-flag-asset-loans = Может привести к отказу: займы, кроме ипотеки ({ $loans }), превышают { $coefficient } прожиточных минимума на члена семьи ({ $limit } на { $members } чел.).
tsa-flag-asset-deposits = Может привести к отказу: вклады ({ $deposits }) превышают { $coefficient } МРП ({ $limit }).
tsa-flag-asset-cars = Может привести к отказу: в семье { $cars } автомобиля (больше { $max }), а семья не многодетная и не воспитывает ребёнка с инвалидностью.
tsa-flag-farming-income-may-count = У семьи есть скот или земля, но доход от подсобного хозяйства не записан. Если район не признал их не приносящими доход, орган может учесть доход от них.
tsa-flag-permanent-residence = Иностранцы и лица без гражданства могут обратиться, только если постоянно проживают в Казахстане.

## Почему доход учитывается или нет

income-reason-counted-wages = заработная плата учитывается
income-reason-counted-social-payment = социальные выплаты учитываются
income-reason-counted-alimony = алименты учитываются
income-reason-counted-subsidiary-farming = доход от личного подсобного хозяйства учитывается
income-reason-counted-business = доход от предпринимательства учитывается
income-reason-counted-property = доход от аренды или продажи имущества и транспорта учитывается
income-reason-counted-securities = доход по ценным бумагам учитывается
income-reason-counted-gift = дарение и наследство учитываются
income-reason-counted-credit = кредиты и микрокредиты учитываются
income-reason-counted-free-of-charge = безвозмездно полученные деньги учитываются
income-reason-counted-deposit-interest = вознаграждение по депозитам учитывается
income-reason-counted-transfer = денежные переводы учитываются
income-reason-counted-winnings = выигрыши учитываются
income-reason-counted-large-family = пособие многодетной семье учитывается
income-reason-counted-employment-measures = выплаты по мерам содействия занятости учитываются
income-reason-counted-housing-certificate = жилищные сертификаты учитываются
income-reason-counted-other = прочий доход учитывается, если орган не решит иначе
income-reason-excluded-relocation = единовременная выплата на переезд не учитывается
income-reason-excluded-tsa = сама адресная социальная помощь не учитывается
income-reason-excluded-housing-assistance = жилищная помощь не учитывается
income-reason-excluded-funeral = единовременные пособия на погребение не учитываются
income-reason-excluded-child-disability = пособия по инвалидности детям не учитываются
income-reason-excluded-special-child-disability = специальные государственные пособия детям с инвалидностью не учитываются
income-reason-excluded-scholarship = стипендии не учитываются (требует подтверждения)
income-reason-excluded-awarded-mothers = пособие награждённым матерям не учитывается (требует подтверждения)
income-reason-excluded-district-not-income-generating = район признал скот и землю не приносящими доход

## Виды доходов

income-wages = Заработная плата
income-pension = Пенсия
income-social_benefit = Социальное пособие
income-adult_disability_benefit = Пособие по инвалидности (взрослому)
income-survivor_benefit = Пособие по случаю потери кормильца
income-childcare_benefit = Пособие по уходу за ребёнком
income-carer_benefit = Пособие по уходу за человеком с инвалидностью
income-alimony = Алименты
income-subsidiary_farming = Личное подсобное хозяйство
income-business = Доход от предпринимательства
income-property_rent_or_sale = Аренда или продажа имущества
income-securities = Ценные бумаги
income-gift_or_inheritance = Дарение и наследство
income-credit = Кредиты и микрокредиты
income-free_of_charge = Безвозмездно полученные деньги
income-deposit_interest = Вознаграждение по депозитам
income-money_transfer = Денежные переводы
income-winnings = Выигрыши
income-large_family_allowance = Пособие многодетной семье
income-employment_measures = Выплаты по мерам содействия занятости
income-employment_relocation_one_time = Единовременная выплата на переезд
income-housing_certificate = Жилищный сертификат
income-targeted_social_assistance = Адресная социальная помощь
income-housing_assistance = Жилищная помощь
income-funeral_allowance = Пособие на погребение
income-child_disability_benefit = Пособие ребёнку с инвалидностью
income-special_child_disability_benefit = Специальное государственное пособие ребёнку с инвалидностью
income-scholarship = Стипендия
income-awarded_mothers_allowance = Пособие награждённым матерям
income-other = Прочий доход

## Документы

doc-application = Заявление
doc-identity_document = Удостоверение личности (или цифровой документ)
doc-bank_account = Банковский счёт (IBAN) на имя заявителя
doc-alimony_certificate = Справка об алиментах за учитываемый квартал
doc-unemployment_certificate = Справка о статусе безработного
doc-marriage_certificate = Свидетельство о браке
doc-divorce_certificate = Свидетельство о расторжении брака
doc-birth_certificate = Свидетельство о рождении
doc-disability_certificate = Справка об инвалидности
doc-medical_card = Медицинская карта
doc-rehabilitation_programme_extract = Выписка из индивидуальной программы реабилитации
doc-court_decision_on_incapacity = Решение суда о признании недееспособным
doc-death_certificate = Свидетельство о смерти
doc-income_certificate = Справка о доходах
doc-other = Другой документ

## Родство с главой семьи

relation-head = глава семьи
relation-spouse = супруг(а)
relation-child = ребёнок
relation-stepchild = пасынок или падчерица
relation-grandchild = внук или внучка
relation-parent = родитель
relation-grandparent = бабушка или дедушка
relation-sibling = брат или сестра
relation-other_relative = другой родственник
relation-not_related = не родственник

## Регионы

region-abai = Абайская область
region-akmola = Акмолинская область
region-aktobe = Актюбинская область
region-almaty_region = Алматинская область
region-atyrau = Атырауская область
region-west_kazakhstan = Западно-Казахстанская область
region-zhambyl = Жамбылская область
region-zhetysu = область Жетісу
region-karaganda = Карагандинская область
region-kostanay = Костанайская область
region-kyzylorda = Кызылординская область
region-mangystau = Мангистауская область
region-pavlodar = Павлодарская область
region-north_kazakhstan = Северо-Казахстанская область
region-turkistan = Туркестанская область
region-ulytau = область Улытау
region-east_kazakhstan = Восточно-Казахстанская область
region-astana = город Астана
region-almaty = город Алматы
region-shymkent = город Шымкент

## Неопределённость, состав семьи, отказы, округление (issue 12)
report-flag-pack-out-of-date = Нужна проверка: пакет правил действует с { $valid_from } по { $valid_until }, эта дата вне его. Закон мог измениться; нужен актуальный пакет правил.
tsa-review-line-lower-bound = Нужна проверка: с 2025 года черта бедности — большее из 35% медианного дохода и 70% прожиточного минимума, а медианного дохода региона { $region } за { $quarter } в пакете правил нет. Черта { $line } — лишь нижняя граница; настоящая может быть выше.
tsa-step-member-not-counted = { $member } не учитывается в составе семьи ({ $absence }).
tsa-step-member-absent-counted = { $member } учитывается в составе семьи, хотя отсутствует ({ $absence }); это подтверждает специалист.
tsa-step-unconditional-lone-minor = Безусловная помощь: { $member } — несовершеннолетний, живущий один.
tsa-step-unconditional-sole-carer-inferred = Безусловная помощь: { $member } — единственный трудоспособный член семьи, а { $cared } нуждается в уходе (выведено из состава семьи; уточните, кто осуществляет уход).
tsa-step-refusal-bar = В помощи отказали или её прекратили { $date } ({ $reason }): помощь не назначается { $months } мес. Семья может снова обратиться с { $until }.
tsa-flag-asset-card-spending = Может привести к отказу: расходы по картам { $spending } в месяц ÷ { $members } = { $per_member } на человека превышают черту бедности { $line }.
tsa-step-credit-counted-once = Кредиты, полученные в { $quarter } (остаток { $amount }), учтены как доход этого квартала и не учитываются в проверке кредитов: кредит учитывается один раз.
tsa-flag-farming-partly-not-income = Решение района признаёт не приносящей дохода только часть хозяйства (скот или землю); { $amount } дохода от хозяйства учтено полностью. Укажите, сколько получено от скота и сколько от земли.
tsa-step-rounding-tiyn = Выплачивается с точностью до тиына: { $amount } → { $paid }.
tsa-step-rounding-whole-tenge = Выплачивается в целых тенге (половина округляется вверх): { $amount } → { $paid }.
review-age-near-limit = Нужна проверка: известен только возраст ({ $member }), а не дата рождения, и он близок к границе ({ $limit }). Спросите месяц и год рождения.
limit-child-supplement = надбавка на детей от 1 до 6 лет
limit-adult = 18 лет, трудоспособный возраст
limit-retirement = пенсионный возраст
limit-childbirth-window = 12 месяцев на обращение за пособием при рождении
limit-childcare = пособие по уходу до 18 месяцев
limit-large-family = дети до 18 лет, студенты до 23 лет
limit-special-services-child = услуги на дому детям от 18 месяцев до 18 лет
absence-abroad = за границей
absence-military_service = на срочной воинской службе
absence-prison = в местах лишения свободы
absence-state_care = на полном государственном обеспечении
refusal-refused_employment_measures = отказ от мер содействия занятости
refusal-broken_social_contract = нарушен социальный контракт

## Подписи кодов (l10n::label)
disability-none = Нет инвалидности
disability-group_i = Инвалидность I группы
disability-group_i_i = Инвалидность II группы
disability-group_i_i_i = Инвалидность III группы
disability-child = Ребёнок с инвалидностью
activity-employed = Работает по найму
activity-self_employed = Самозанятый
activity-unemployed = Безработный
activity-homemaker = Ведёт домашнее хозяйство
activity-pensioner = Пенсионер
activity-student_full_time = Студент очной формы обучения
activity-child = Ребёнок (не работает)
activity-carer = Осуществляет уход
