# Қабылдаудан кейін: интеграция жоспары, жолдамалар, бару, шығу (қазақша).
# core/src/followup/ кодтарының атаулары (docs/case-follow-up.md).

## Жоспар шаралары (plan.rs, MeasureKind)
measure-job_search = Жұмыспен қамту орталығы арқылы жұмыс іздеу
measure-training = Оқу және кәсіби дағдылар
measure-temporary_work = Уақытша жұмыс
measure-public_work = Қоғамдық жұмыстар
measure-start_business = Өз ісін ашу
measure-subsidiary_farming = Жеке қосалқы шаруашылық
measure-education = Білім алу
measure-health = Денсаулық
measure-social_cultural = Әлеуметтік және мәдени өмірге қатысу
measure-school_attendance = Балалардың мектепке баруы

## Шараның жағдайы (MeasureStatus)
measure-status-planned = Жоспарланған
measure-status-in_progress = Орындалуда
measure-status-done = Орындалды
measure-status-missed = Орындалмады
measure-status-cancelled = Тоқтатылды

## Жауапты (Responsible)
responsible-family = Отбасы
responsible-career_centre = Жұмыспен қамту орталығы
responsible-social_worker = Әлеуметтік қызметкер
responsible-akimat = Әкімдік
responsible-health_body = Емхана немесе аурухана
responsible-education_body = Мектеп немесе колледж
responsible-ngo = Үкіметтік емес ұйым

## Жоспар қалай келісілді (SignatureMethod)
signature-paper = Қағазға қол қойылды
signature-digital_signature = Электрондық цифрлық қолтаңба
signature-witnessed = Куәнің қатысуымен келісілді

## Жолдама қызметтері (referral.rs, Service)
service-diagnosis = Емханада немесе ауруханада тексеру
service-medical_social_expertise = Медициналық-әлеуметтік сараптама
service-pmpc = Психологиялық-медициналық-педагогикалық консультация
service-special_social_services = Арнаулы әлеуметтік қызметтер
service-career_centre = Жұмыспен қамту орталығы
service-transport = Мүгедектігі бар адамдарға арналған көлік
service-other = Басқа қызмет

## Жолдама негізі (Ground)
ground-child_disability = Мүгедектігі бар бала
ground-disability = Мүгедектік
ground-old_age_no_self_care = Қарт жаста өзіне-өзі қызмет көрсете алмау
ground-no_parental_care = Жетімдік немесе ата-ана қамқорлығының болмауы
ground-neglect = Қараусыз қалу
ground-deviant_behaviour = Девиантты мінез-құлық
ground-released_from_prison = Бас бостандығынан айыру орнынан босау
ground-homelessness = Баспанасыз болу
ground-probation = Пробация
ground-violence = Қатыгездік немесе зорлық-зомбылық
ground-unemployment = Жұмысқа мұқтаж
ground-other = Басқа негіз

## Жолдама қадамдары (StepKind)
step-informed = Отбасы хабардар етілді
step-documents_requested = Құжаттар сұралды
step-documents_collected = Құжаттар жиналды
step-submitted = Өтініш берілді
step-appointment_set = Қабылдау белгіленді
step-attended = Қабылдауда болды
step-facilitated = Кедергі жойылды (көлік, алып жүру)
step-chased = Қызметтен жауап сұралды

## Жолдаманың нәтижесі (ReferralResult)
referral-result-granted = Берілді
referral-result-refused = Бас тартылды
referral-result-withdrawn = Отбасы бас тартты
referral-result-not_needed = Қажет болмады

## Барғанда не тексерілді (visit.rs, Check)
check-plan_review = Жоспар отбасымен қайта қаралды
check-plan_measures = Жоспар шаралары
check-documents = Құжаттар
check-referrals = Жолдамалар
check-children_school = Балалардың оқуы
check-health = Денсаулық
check-housing = Тұрғын үй
check-income = Табыс
check-exit_follow_up = Шыққаннан кейін: отбасы тұрақтады ма?
check-returned_case = Қайтарылған іс қаралды
check-rescreen = Жаңа ереже пакеті бойынша қайта тексерілді

## Отбасы көмектен неге шықты (exit.rs, ExitReason)
exit-income_rose = Табыс өсті
exit-employment = Жұмысқа орналасты
exit-moved = Көшіп кетті
exit-refused = Көмектен бас тартты
exit-other = Басқа себеп

## Отбасы бару тізімінде неге тұр (visit_list.rs, VisitReasonKind)
visit-reason-returned_case = Тізілім істі қайтарды
visit-reason-measure_overdue = Жоспар шарасының мерзімі өтті
visit-reason-referral_no_outcome = Жолдаманың нәтижесі жоқ
visit-reason-documents_missing = Құжаттар әлі жетіспейді
visit-reason-plan_review_due = Жоспарды қайта қарау уақыты келді
visit-reason-rescreen = Алдын ала тексеру жаңа ереже пакеті бойынша өзгерді
visit-reason-exit_follow_up = Көмектен шыққаннан кейінгі бару
visit-reason-next_visit_due = Келесі бару күні келді
visit-reason-long_stay = Көмекті ұзақ алып жүр: жоспарды қайта қарау

## Жазба қателері (problems.rs, Why)
record-problem-empty = Толтырыңыз
record-problem-too_long = Тым ұзын
record-problem-control_characters = Рұқсат етілмеген таңбалар бар
record-problem-unknown_member = Бұл отбасының мүшесі емес
record-problem-duplicate = Екі рет көрсетілген
record-problem-before_start = Басталу күнінен бұрын
record-problem-in_future = Тым алыс болашақта
record-problem-missing = Міндетті
record-problem-too_many = Жазбалар тым көп
record-problem-wrong_household = Басқа отбасына жатады
