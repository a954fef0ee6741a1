# После приёма: план интеграции, направления, посещения, выход (русский).
# Подписи кодов из core/src/followup/ (docs/case-follow-up.md).

## Мероприятия плана (plan.rs, MeasureKind)
measure-job_search = Поиск работы через центр занятости
measure-training = Обучение и профессиональные навыки
measure-temporary_work = Временная работа
measure-public_work = Общественные работы
measure-start_business = Открытие своего дела
measure-subsidiary_farming = Личное подсобное хозяйство
measure-education = Образование
measure-health = Здоровье
measure-social_cultural = Социальное и культурное участие
measure-school_attendance = Посещение школы детьми

## Состояние мероприятия (MeasureStatus)
measure-status-planned = Запланировано
measure-status-in_progress = Выполняется
measure-status-done = Выполнено
measure-status-missed = Не выполнено
measure-status-cancelled = Отменено

## Ответственный (Responsible)
responsible-family = Семья
responsible-career_centre = Центр занятости
responsible-social_worker = Социальный работник
responsible-akimat = Акимат
responsible-health_body = Поликлиника или больница
responsible-education_body = Школа или колледж
responsible-ngo = Неправительственная организация

## Как согласован план (SignatureMethod)
signature-paper = Подписан на бумаге
signature-digital_signature = Электронная цифровая подпись
signature-witnessed = Согласован при свидетеле

## Службы направления (referral.rs, Service)
service-diagnosis = Обследование в поликлинике или больнице
service-medical_social_expertise = Медико-социальная экспертиза
service-pmpc = Психолого-медико-педагогическая консультация
service-special_social_services = Специальные социальные услуги
service-career_centre = Центр занятости
service-transport = Транспорт для людей с инвалидностью
service-other = Другая служба

## Основания направления (Ground)
ground-child_disability = Ребёнок с инвалидностью
ground-disability = Инвалидность
ground-old_age_no_self_care = Невозможность самообслуживания в пожилом возрасте
ground-no_parental_care = Сиротство или отсутствие попечения родителей
ground-neglect = Безнадзорность
ground-deviant_behaviour = Девиантное поведение
ground-released_from_prison = Освобождение из мест лишения свободы
ground-homelessness = Отсутствие жилья
ground-probation = Пробация
ground-violence = Жестокое обращение или насилие
ground-unemployment = Нуждается в работе
ground-other = Другое основание

## Шаги направления (StepKind)
step-informed = Семья проинформирована
step-documents_requested = Документы запрошены
step-documents_collected = Документы собраны
step-submitted = Заявление подано
step-appointment_set = Назначен приём
step-attended = Приём состоялся
step-facilitated = Препятствие устранено (транспорт, сопровождение)
step-chased = Запрошен ответ службы

## Итог направления (ReferralResult)
referral-result-granted = Предоставлено
referral-result-refused = Отказано
referral-result-withdrawn = Семья отказалась
referral-result-not_needed = Не потребовалось

## Что проверено при посещении (visit.rs, Check)
check-plan_review = План пересмотрен с семьёй
check-plan_measures = Мероприятия плана
check-documents = Документы
check-referrals = Направления
check-children_school = Учёба детей
check-health = Здоровье
check-housing = Жильё
check-income = Доходы
check-exit_follow_up = После выхода: удержалась ли семья?
check-returned_case = Возвращённое дело разобрано
check-rescreen = Повторная проверка по новому пакету правил

## Почему семья вышла из помощи (exit.rs, ExitReason)
exit-income_rose = Доход вырос
exit-employment = Трудоустройство
exit-moved = Переезд
exit-refused = Отказ от помощи
exit-other = Другая причина

## Почему семья в списке посещений (visit_list.rs, VisitReasonKind)
visit-reason-returned_case = Реестр вернул дело
visit-reason-measure_overdue = Просрочено мероприятие плана
visit-reason-referral_no_outcome = Направление без итога
visit-reason-documents_missing = Не хватает документов
visit-reason-plan_review_due = Пора пересмотреть план
visit-reason-rescreen = Предварительная проверка изменилась по новому пакету правил
visit-reason-exit_follow_up = Посещение после выхода из помощи
visit-reason-next_visit_due = Наступила дата следующего посещения
visit-reason-long_stay = Долго получает помощь: пересмотреть план

## Ошибки записи (problems.rs, Why)
record-problem-empty = Заполните поле
record-problem-too_long = Слишком длинно
record-problem-control_characters = Содержит недопустимые символы
record-problem-unknown_member = Не член этой семьи
record-problem-duplicate = Указано дважды
record-problem-before_start = Раньше даты начала
record-problem-in_future = Слишком далеко в будущем
record-problem-missing = Обязательно
record-problem-too_many = Слишком много записей
record-problem-wrong_household = Относится к другой семье
